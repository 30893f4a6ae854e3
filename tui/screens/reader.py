"""The record reader: header, panes, status line, and the reader's record actions.

All network work happens in workers, so the screen keeps answering keys while a record
loads, and a newer request simply replaces an older one.  Errors end as sentences in
the status banner, never as a traceback.  Copying, citing, the citation graph and
prefetching are small objects of their own (``copy_links``, ``citing``, ``graph``,
``prefetching``) that the screen holds and calls; every job they start goes through
``start_job`` and ends, if it fails, as a sentence in the banner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui.clipboard import OpenOutcome
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record, Reference
from tui.history import History
from tui.keys import bindings
from tui.screens.cited_contexts import show_where_cited
from tui.screens.citing import Citer
from tui.screens.commands import ReaderCommands
from tui.screens.copy_links import CopyLinks
from tui.screens.fulltext_reader import FullTextReader
from tui.screens.graph import GraphLoader
from tui.screens.host import Job
from tui.screens.jobs import error_sentence, failure_sentence
from tui.screens.panes import PANE_TITLES, PANES, RIGHT_PANES, Move
from tui.screens.prefetching import Prefetcher
from tui.screens.reader_compose import FIRST_PANE, FIRST_RIGHT, reader_widgets
from tui.screens.reader_layout import WIDE_COLUMNS, PaneLayout
from tui.screens.reader_moves import ReaderMoves
from tui.screens.reading_state import MarkToggled, ReadingEvent, ReadingState, Visit
from tui.screens.walking import Request, Walker, cache_sentence
from tui.widgets.corrections import PmidChosen, UrlChosen
from tui.widgets.header import RecordHeader
from tui.widgets.links import LinksPane
from tui.widgets.notice_banner import NoticeBanner
from tui.widgets.paper_list import WhereCited
from tui.widgets.progress import PrefetchProgress
from tui.widgets.references import ReferencesPane
from tui.widgets.status import StatusBanner

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice
    from tui.data.service import PubMed

__all__ = ["PANES", "PANE_TITLES", "ReaderScreen", "Request", "cache_sentence", "error_sentence"]


class ReaderScreen(Screen[None]):
    """One record at a time, with a browser-like history of records walked through."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("reader")]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ReaderCommands}
    AUTO_FOCUS = "#abstract"

    state: reactive[ReadingState] = reactive(ReadingState, always_update=True)
    """Everything the reader reads and did to it; replaced whole on every change and
    bound down to the panes (``update`` changes it)."""
    record: reactive[Record | None] = reactive(None)
    """The record on screen (None until the first fetch answers): ``state.record``, for
    the panes that show the record alone."""

    def __init__(self, service: PubMed, initial: ArticleId | None = None) -> None:
        super().__init__()
        self.service = service
        self.initial = initial
        self.pane_layout = PaneLayout(self)
        self.walker = Walker(self)
        self.history: History[Visit] = self.walker.history
        self.copier = CopyLinks(self)
        self.citer = Citer(self)
        self.graph = GraphLoader(self)
        self.prefetcher = Prefetcher(self)
        self.moves = ReaderMoves(self)
        self.full_text = FullTextReader(self)

    # -- the reading state -------------------------------------------------------------

    def update(self, change: Callable[[ReadingState], ReadingState]) -> None:
        """Replace the reading state with ``change(state)``; a change that changes nothing
        is not bound down."""
        new = change(self.state)
        if new is not self.state:
            self.state = new

    def report(self, event: ReadingEvent) -> None:
        """What a pane says the reader did (a mark, the filter, a cursor move)."""
        self.update(lambda state: state.after(event))

    def watch_state(self, old: ReadingState, new: ReadingState) -> None:
        if new.record is not old.record:
            self.record = new.record
        if (new.pane, new.right) != (old.pane, old.right) and self.is_mounted:
            self.pane_layout.show(new.pane, new.right)

    @property
    def active_pane(self) -> str:
        """The pane the reader is in (the one shown, when narrow)."""
        return self.state.pane

    @property
    def right_pane(self) -> str:
        """Which of References / Cited by / Similar the right column shows."""
        return self.state.right

    @property
    def request(self) -> Request | None:
        return self.walker.request

    @request.setter
    def request(self, request: Request | None) -> None:
        """What ``r`` refetches (after a failed walk, the record still on screen)."""
        self.walker.request = request

    @property
    def _fetch_worker(self) -> Worker[Record] | None:
        return self.walker.fetch_worker

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The screen's classes are set before its children exist, so they are styled once
        # with them; on_mount then finds nothing to change (each change restyles the tree).
        self.pane_layout.set_classes(self.app.size.width < WIDE_COLUMNS, FIRST_PANE, FIRST_RIGHT)
        yield from reader_widgets(ReaderScreen.record, ReaderScreen.state, self.report)

    def on_mount(self) -> None:
        self.pane_layout.fit(self.app.size.width, self.active_pane, self.right_pane)
        self.pane_layout.show(self.active_pane, self.right_pane)
        if self.initial is not None:
            self.load(self.initial)

    def on_resize(self, event: events.Resize) -> None:
        self.pane_layout.fit(event.size.width, self.active_pane, self.right_pane)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        pane = self.pane_of(event.widget)
        if pane is not None:
            self.update(lambda state: state.focusing(pane, right=pane in RIGHT_PANES))

    def on_click(self, event: events.Click) -> None:
        widget_id = getattr(event.widget, "id", None) or ""
        if widget_id.startswith(("tab-", "rtab-")):
            self.action_focus_pane(widget_id.split("-", 1)[1])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape is the reader's only while it has something to stop or put away."""
        if action == "put_away":
            return self.moves.can_dismiss() or self.citer.cancellable
        return True

    # -- fetching ----------------------------------------------------------------------

    def load(self, aid: ArticleId, *, move: Move = "visit", refresh: bool = False) -> None:
        """Fetch ``aid`` in the background; the screen stays live meanwhile."""
        self.walker.load(aid, move=move, refresh=refresh)

    def start_job(self, work: Job, group: str, *, thread: bool = False) -> Worker[Any]:
        """Run ``work`` in the background: the one way every job of the reader starts.

        Named after its group, exclusive within it (a newer job replaces an older one),
        and never fatal: a failure reaches ``on_worker_state_changed`` and the banner."""
        return self.run_worker(
            work, name=group, group=group, exclusive=True, exit_on_error=False, thread=thread
        )

    def cancel_jobs(self, group: str) -> None:
        """Stop the jobs of ``group`` (a newer record makes them pointless)."""
        self.workers.cancel_group(self, group)

    async def after_paint(self) -> None:
        """Wait for the next paint.  The first request builds the HTTP client (importing
        httpx takes about 90 ms on the event loop): a cached record must show first."""
        await self.wait_for_refresh()

    def show_retry(self, notice: RetryNotice) -> None:
        """Say why the fetch is waiting (only while a record is being fetched)."""
        self.walker.show_retry(notice)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a job's end is handled: results to their owner, failures to
        the banner as a sentence."""
        worker, state = event.worker, event.state
        if state in (WorkerState.SUCCESS, WorkerState.ERROR) and worker.group != "prefetch":
            # The cache may first fail in a background job (the first record can come
            # from the early fetch, which has a cache of its own): say so when it does.
            self.walker.warn_about_cache()
        if worker.group == "fetch":
            self.walker.ended(worker, state)
            return
        if worker.group == "prefetch" and self.prefetcher.changed(worker, state):
            self.walker.cache_warned = True  # its report said what the cache could not keep
        if state is WorkerState.ERROR:
            self.banner.notice(failure_sentence(worker.group, worker.error))
        elif state is WorkerState.SUCCESS and isinstance(worker.result, OpenOutcome):
            self.copier.opened(worker.result)

    # -- panes -------------------------------------------------------------------------

    def action_focus_pane(self, name: str) -> None:
        self.pane_layout.focus(name)

    def action_cycle_pane(self, step: int) -> None:
        self.pane_layout.cycle(step)

    # -- walking -----------------------------------------------------------------------

    @on(ReferencesPane.ReferenceChosen)
    def _reference_chosen(self, event: ReferencesPane.ReferenceChosen) -> None:
        event.stop()
        self.open_reference(event.reference)

    def open_reference(self, reference: Reference) -> None:
        """Walk into a cited paper: by PMID when known, else by DOI, else by PMCID."""
        self.walker.open_reference(reference)

    def action_open_reference(self) -> None:
        reference = self.copier.highlighted_reference()
        if reference is not None:
            self.open_reference(reference)

    def action_back(self) -> None:
        if not self.moves.back_from_failed_walk():
            self.walker.back()

    def action_filter_references(self) -> None:
        self.action_focus_pane("references")
        self.references.start_filter()

    def action_refresh(self) -> None:
        self.walker.refresh()

    @on(WhereCited)
    def _where_cited(self, event: WhereCited) -> None:
        event.stop()
        show_where_cited(self.full_text, event.index)

    @on(PmidChosen)
    @on(LinksPane.PaperChosen)
    def _pmid_chosen(self, event: PmidChosen | LinksPane.PaperChosen) -> None:
        """A notice, comment or update (banner or Details), or a linked paper, asked to
        be opened."""
        event.stop()
        self.load(ArticleId(IdKind.PMID, event.pmid))

    @on(UrlChosen)
    def _url_chosen(self, event: UrlChosen) -> None:
        event.stop()
        self.copier.open(event.url)

    def action_open_notice(self) -> None:
        self.query_one(NoticeBanner).open_notice()

    # -- what the composed helpers see (tui.screens.host.ReaderHost) -------------------

    @property
    def references(self) -> ReferencesPane:
        return self.query_one("#references", ReferencesPane)

    @property
    def banner(self) -> StatusBanner:
        return self.query_one("#status", StatusBanner)

    @property
    def prefetch_progress(self) -> PrefetchProgress:
        return self.query_one("#prefetch", PrefetchProgress)

    @property
    def export_progress(self) -> PrefetchProgress:
        return self.query_one("#export-progress", PrefetchProgress)

    @property
    def prefetching(self) -> bool:
        """True while a prefetch runs."""
        return self.prefetcher.running

    def links_pane(self, name: str) -> LinksPane:
        """The Cited by (``cited-by``) or Similar (``similar``) pane."""
        return self.query_one(f"#{name}", LinksPane)

    def show_reference(self, index: int) -> None:
        """Put the References cursor on reference ``index`` (its original index), when
        the list shows it."""
        pane = self.references
        if pane.is_mounted and index in pane.visible_indexes:
            pane.reference_list.highlighted = pane.visible_indexes.index(index)

    def pane_of(self, widget: Widget | None) -> str | None:
        """The name of the pane holding ``widget`` (None outside the panes)."""
        return self.pane_layout.pane_of(widget)

    def focused_pane(self) -> str | None:
        """The pane holding the keyboard focus."""
        return self.pane_of(self.focused)

    # -- actions the keys reach, each handed to its helper -----------------------------

    def action_copy_doi(self) -> None:
        self.copier.copy_doi()

    def action_copy_all_dois(self) -> None:
        self.copier.copy_all_dois()

    def action_copy_all_pmids(self) -> None:
        self.copier.copy_all_pmids()

    def action_open_doi(self) -> None:
        self.copier.open_doi()

    def action_open_pubmed(self) -> None:
        self.copier.open_pubmed()

    def action_cite(self) -> None:
        self.citer.cite()

    def action_export(self) -> None:
        self.citer.export()

    def action_prefetch(self) -> None:
        self.prefetcher.toggle()

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted reference (the palette's Mark reaches this)."""
        cursor = self.state.cursor
        if cursor is not None:
            self.report(MarkToggled(cursor))

    # -- the small moves (tui.screens.reader_moves) ------------------------------------

    def action_put_away(self) -> None:
        """Escape: stop a running prefetch or a long export, else put away an error banner."""
        if self.citer.cancellable and not self.prefetching:
            self.citer.cancel()
        else:
            self.moves.dismiss()

    def cancel_prefetch(self) -> None:
        self.prefetcher.cancel()

    def action_clear_marks(self) -> None:
        self.moves.clear_marks()

    def action_go_to_reference(self) -> None:
        self.moves.go_to_reference()

    def action_open_id(self) -> None:
        self.moves.open_id()

    def action_toggle_title(self) -> None:
        """Show a long title whole, or cut it again."""
        header = self.query_one(RecordHeader)
        header.full_title = not header.full_title
