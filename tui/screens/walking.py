"""Walking between records: fetching one, going back, refetching, and the history.

The reader moves like a browser: entering a reference visits a new record, ``b`` goes
back to the one before, at the same place (pane, reference, filter, scroll), because the
history's entries carry it.  Each fetch is a job of the ``fetch`` group, so a newer one
replaces an older one and the screen answers keys meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record, Reference
from tui.history import History
from tui.screens.panes import RIGHT_PANES, Move
from tui.screens.reading_state import Place, Visit

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice
    from tui.screens.reader import ReaderScreen


@dataclass(frozen=True, slots=True)
class Request:
    """What the current fetch is for, so a retry repeats it and success updates history."""

    aid: ArticleId
    move: Move
    refresh: bool = False


def cache_sentence(warning: str) -> str:
    """The data layer's cache warning as the reader shows it, saying what it costs."""
    sentence = warning[:1].upper() + warning[1:]
    if warning.startswith("cache disabled"):
        sentence += ": records will not be kept for offline reading"
    return sentence


class Walker:
    """The fetches, the history and the places of one reader screen."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.history: History[Visit] = History()
        self.request: Request | None = None
        self.fetch_worker: Worker[Record] | None = None
        self.cache_warned = False

    def load(self, aid: ArticleId, *, move: Move = "visit", refresh: bool = False) -> None:
        """Fetch ``aid`` in the background; the screen stays live meanwhile."""
        self.request = Request(aid, move, refresh)
        verb = "Refetching" if refresh else "Fetching"
        self.screen.banner.loading(f"{verb} {aid}…")
        self.fetch_worker = self.screen.start_job(self._fetch(aid, refresh), "fetch")

    async def _fetch(self, aid: ArticleId, refresh: bool) -> Record:
        return await self.screen.service.fetch(aid, refresh=refresh)

    def show_retry(self, notice: RetryNotice) -> None:
        """Say why the fetch is waiting ("Rate limited by NCBI, retrying in 2 s").

        Only while a record is being fetched: background work (titles, links, prefetch)
        retries quietly rather than hiding what the banner says about the record."""
        worker = self.fetch_worker
        if worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            self.screen.banner.loading(str(notice))

    def ended(self, worker: Worker[object], state: WorkerState) -> None:
        """A fetch job ended: show its record, or say why there is none."""
        if worker is not self.fetch_worker:
            return
        if state is WorkerState.SUCCESS and isinstance(worker.result, Record):
            self.loaded(worker.result)
        elif state is WorkerState.ERROR:
            self.screen.moves.fetch_failed(worker.error)

    def loaded(self, record: Record) -> None:
        screen = self.screen
        move = self.request.move if self.request is not None else "stay"
        before = screen.state
        previous = before.record
        new = previous is None or previous.pmid != record.pmid
        history = self.history
        current = history.current
        if previous is not None and new and current is not None:
            # Remember where the reader was, so going back returns to the same spot.
            history.replace_current(replace(current, place=before.place))
        if move == "back":
            history.back()
        elif move == "visit":
            history.visit(Visit(ArticleId(IdKind.PMID, record.pmid)))
        self.request = Request(ArticleId(IdKind.PMID, record.pmid), "stay")
        shown = history.current
        place = shown.place if move == "back" and shown is not None else Place()
        screen.update(lambda state: state.showing(record, place))
        if record.stale:
            screen.banner.notice(record.stale)
        else:
            screen.banner.clear()
        self.warn_about_cache()
        pane = place.pane if move == "back" else "abstract"
        if new:
            right = pane if pane in RIGHT_PANES else "references"
            screen.update(lambda state: state.with_right(right))
        screen.graph.record_shown(record, new=new)
        if move != "stay" or screen.focused is None:
            screen.action_focus_pane(pane)

    def warn_about_cache(self) -> None:
        """Say once that the cache is not working: the reader would otherwise believe its
        records are kept for offline reading when they are not."""
        warning = self.screen.service.cache_warning
        if self.cache_warned or not warning:
            return
        self.cache_warned = True
        self.screen.notify(cache_sentence(warning), title="Cache", severity="warning", timeout=10)

    def back(self) -> None:
        previous = self.history.peek_back()
        if previous is None:
            self.screen.notify("No earlier record", severity="information")
            return
        self.load(previous.aid, move="back")

    def refresh(self) -> None:
        if self.request is None:
            self.screen.notify("Nothing to refetch", severity="warning")
            return
        self.load(self.request.aid, move=self.request.move, refresh=True)

    def open_reference(self, reference: Reference) -> None:
        """Walk into a cited paper: by PMID when known, else by DOI, else by PMCID."""
        from tui.data.bibliography import reference_ids

        ids = reference_ids(reference)
        if ids:
            self.load(ids[0])
        else:
            self.screen.notify("This reference has no PMID or DOI to open", severity="warning")
