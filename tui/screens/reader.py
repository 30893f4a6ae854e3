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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label
from textual.worker import Worker, WorkerState

from tui.clipboard import OpenOutcome
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record, Reference
from tui.history import History
from tui.keys import bindings
from tui.screens.citing import EXPORT_HINT, Citer
from tui.screens.commands import ReaderCommands
from tui.screens.copy_links import CopyLinks
from tui.screens.fulltext_reader import FullTextReader
from tui.screens.graph import GraphLoader
from tui.screens.host import Job
from tui.screens.jobs import error_sentence, failure_sentence
from tui.screens.panes import LINK_PANES, PANE_TABLE, PANE_TITLES, PANES, RIGHT_PANES, Move
from tui.screens.prefetching import Prefetcher
from tui.screens.reader_moves import ReaderMoves
from tui.widgets.abstract import AbstractPane
from tui.widgets.corrections import PmidChosen, UrlChosen
from tui.widgets.details import DetailsView
from tui.widgets.footer import ReaderFooter
from tui.widgets.fulltext import FullTextPane
from tui.widgets.header import RecordHeader
from tui.widgets.keywords import KeywordsPane
from tui.widgets.links import LinksPane
from tui.widgets.notice_banner import NoticeBanner
from tui.widgets.progress import PrefetchProgress
from tui.widgets.references import ReferencesPane
from tui.widgets.status import StatusBanner

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice
    from tui.data.service import PubMed

__all__ = [
    "PANES",
    "PANE_TITLES",
    "ReaderScreen",
    "Request",
    "cache_sentence",
    "error_sentence",
]

# Below this width the panes are shown one at a time behind a tab strip.
WIDE_COLUMNS = 120
FIRST_PANE = "abstract"
FIRST_RIGHT = "references"


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


class ReaderScreen(Screen[None]):
    """One record at a time, with a browser-like history of records walked through."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("reader")]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ReaderCommands}
    AUTO_FOCUS = "#abstract"

    record: reactive[Record | None] = reactive(None)
    """The record on screen (None until the first fetch answers)."""
    active_pane: reactive[str] = reactive("abstract")
    """The pane the reader is in (the one shown, when narrow)."""
    right_pane: reactive[str] = reactive("references")
    """Which of References / Cited by / Similar the right column shows."""

    def __init__(self, service: PubMed, initial: ArticleId | None = None) -> None:
        super().__init__()
        self.service = service
        self.initial = initial
        self.history: History[ArticleId] = History()
        self.copier = CopyLinks(self)
        self.citer = Citer(self)
        self.graph = GraphLoader(self)
        self.prefetcher = Prefetcher(self)
        self.moves = ReaderMoves(self)
        self.full_text = FullTextReader(self)
        self.request: Request | None = None
        self._fetch_worker: Worker[Record] | None = None
        # PMID -> (pane, highlighted reference number) when the reader walked away.
        self._places: dict[str, tuple[str, int | None]] = {}
        self._cache_warned = False

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The screen's classes are set before its children exist, so they are styled once
        # with them; on_mount then finds nothing to change (each change restyles the tree).
        # The reactives' defaults, not the reactives: reading one runs its watchers, which
        # need the tabs composed below.
        self._set_screen_classes(self.app.size.width < WIDE_COLUMNS, FIRST_PANE, FIRST_RIGHT)
        yield RecordHeader(id="header").data_bind(ReaderScreen.record)
        yield NoticeBanner(id="notices").data_bind(ReaderScreen.record)
        yield StatusBanner(id="status")
        yield PrefetchProgress(id="prefetch")
        yield PrefetchProgress(id="export-progress", verb="Resolving references", hint=EXPORT_HINT)
        with Horizontal(id="tabs"):
            for pane in PANE_TABLE:
                yield Label(
                    f"{pane.key} {pane.title}",
                    id=f"tab-{pane.id}",
                    classes="tab -active" if pane.id == FIRST_PANE else "tab",
                )
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield AbstractPane(id="abstract", classes="pane").data_bind(ReaderScreen.record)
                yield KeywordsPane(id="keywords", classes="pane").data_bind(ReaderScreen.record)
                yield FullTextPane(id="fulltext", classes="pane")
            with Vertical(id="right"):
                with Horizontal(id="right-tabs"):
                    for pane in PANE_TABLE:
                        if pane.side == "right":
                            active = " -active" if pane.id == FIRST_RIGHT else ""
                            yield Label(
                                f"{pane.key} {pane.title}",
                                id=f"rtab-{pane.id}",
                                classes=f"rtab{active}",
                            )
                yield ReferencesPane(id="references", classes="pane").data_bind(ReaderScreen.record)
                yield LinksPane(
                    "Cited by", "No PubMed record cites this one.", id="cited-by", classes="pane"
                )
                yield LinksPane(
                    "Similar articles",
                    "PubMed lists no similar articles.",
                    id="similar",
                    classes="pane",
                )
                yield DetailsView(id="details", classes="pane").data_bind(ReaderScreen.record)
        yield ReaderFooter()

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        self.watch_active_pane("abstract")
        self.watch_right_pane("references")
        if self.initial is not None:
            self.load(self.initial)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < WIDE_COLUMNS
        self._set_screen_classes(narrow, self.active_pane, self.right_pane)
        # At 80 columns every cell of the footer counts: ctrl+p is listed in the help.
        footer = self.query_one(Footer)
        footer.compact = narrow
        footer.show_command_palette = not narrow

    def _set_screen_classes(self, narrow: bool, active: str, right: str) -> None:
        """The screen's layout classes, with one restyle of the tree if any changed."""
        wanted = {"-narrow": narrow, "-show-right": active in RIGHT_PANES}
        wanted.update({f"-show-{pane}": pane == active for pane in PANES})
        wanted.update({f"-right-{pane}": pane == right for pane in RIGHT_PANES})
        changed = [name for name, on in wanted.items() if self.has_class(name) != on]
        for name in changed:
            self.set_class(wanted[name], name, update=False)
        if changed and self.is_mounted:
            self.update_node_styles()

    def watch_active_pane(self, name: str) -> None:
        self._set_screen_classes(self.has_class("-narrow"), name, self.right_pane)
        for pane in PANES:
            self.query_one(f"#tab-{pane}").set_class(pane == name, "-active")

    def watch_right_pane(self, name: str) -> None:
        self._set_screen_classes(self.has_class("-narrow"), self.active_pane, name)
        for pane in RIGHT_PANES:
            self.query_one(f"#rtab-{pane}").set_class(pane == name, "-active")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        pane = self.pane_of(event.widget)
        if pane is not None:
            self.active_pane = pane
            if pane in RIGHT_PANES:
                self.right_pane = pane

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
        self.request = Request(aid, move, refresh)
        verb = "Refetching" if refresh else "Fetching"
        self.banner.loading(f"{verb} {aid}…")
        self._fetch_worker = self.start_job(self._fetch(aid, refresh), "fetch")

    async def _fetch(self, aid: ArticleId, refresh: bool) -> Record:
        return await self.service.fetch(aid, refresh=refresh)

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
        """Say why the fetch is waiting ("Rate limited by NCBI, retrying in 2 s").

        Only while a record is being fetched: background work (titles, links, prefetch)
        retries quietly rather than hiding what the banner says about the record."""
        worker = self._fetch_worker
        if worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            self.banner.loading(str(notice))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a job's end is handled: results to their owner, failures to
        the banner as a sentence."""
        worker = event.worker
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR) and worker.group != "prefetch":
            # The cache may first fail in a background job (the first record can come
            # from the early fetch, which has a cache of its own): say so when it does.
            self._warn_about_cache()
        if worker.group == "fetch":
            if worker is not self._fetch_worker:
                return
            if event.state is WorkerState.SUCCESS and isinstance(worker.result, Record):
                self._loaded(worker.result)
            elif event.state is WorkerState.ERROR:
                self.moves.fetch_failed(worker.error)
            return
        if worker.group == "prefetch" and self.prefetcher.changed(worker, event.state):
            self._cache_warned = True  # its report said what the cache could not keep
        if event.state is WorkerState.ERROR:
            self.banner.notice(failure_sentence(worker.group, worker.error))
        elif (
            worker.group == "open"
            and event.state is WorkerState.SUCCESS
            and isinstance(worker.result, OpenOutcome)
        ):
            self.copier.opened(worker.result)

    def _loaded(self, record: Record) -> None:
        move = self.request.move if self.request is not None else "stay"
        previous = self.record
        new = previous is None or previous.pmid != record.pmid
        if previous is not None and new:
            # Remember where the reader was, so going back returns to the same spot.
            self._places[previous.pmid] = (self.active_pane, self.references.highlighted_number)
        if move == "back":
            self.history.back()
        elif move == "visit":
            self.history.visit(ArticleId(IdKind.PMID, record.pmid))
        self.request = Request(ArticleId(IdKind.PMID, record.pmid), "stay")
        self.record = record
        if record.stale:
            self.banner.notice(record.stale)
        else:
            self.banner.clear()
        self._warn_about_cache()
        pane, number = self._places.get(record.pmid, ("abstract", None))
        if move != "back":
            pane = "abstract"
        if new:
            self.right_pane = pane if pane in RIGHT_PANES else "references"
        self.graph.record_shown(record, new=new)
        if move == "back" and number is not None:
            listing = self.references.reference_list
            self.call_after_refresh(setattr, listing, "highlighted", number - 1)
        if move != "stay" or self.focused is None:
            self.action_focus_pane(pane)

    def _warn_about_cache(self) -> None:
        """Say once that the cache is not working: the reader would otherwise believe its
        records are kept for offline reading when they are not."""
        warning = self.service.cache_warning
        if self._cache_warned or not warning:
            return
        self._cache_warned = True
        self.notify(cache_sentence(warning), title="Cache", severity="warning", timeout=10)

    # -- panes -------------------------------------------------------------------------

    def _focus_target(self, name: str) -> Widget:
        if name == "references":
            pane = self.references
            return pane.filter_input if pane.filter_input.has_focus else pane.reference_list
        if name in LINK_PANES:
            return self.links_pane(name).paper_list
        return self.query_one(f"#{name}")

    def action_focus_pane(self, name: str) -> None:
        if name not in PANES:
            return
        self.active_pane = name
        if name in RIGHT_PANES:
            self.right_pane = name
        # At once, not on the next idle: keys typed in the same burst ("3jjy") must
        # reach the pane just focused.
        self.set_focus(self._focus_target(name))
        if name in LINK_PANES:
            self.graph.ensure_links(name)

    def action_cycle_pane(self, step: int) -> None:
        current = self.pane_of(self.focused) or self.active_pane
        index = (PANES.index(current) + step) % len(PANES)
        self.action_focus_pane(PANES[index])

    # -- walking -----------------------------------------------------------------------

    @on(ReferencesPane.ReferenceChosen)
    def _reference_chosen(self, event: ReferencesPane.ReferenceChosen) -> None:
        event.stop()
        self.open_reference(event.reference)

    def open_reference(self, reference: Reference) -> None:
        """Walk into a cited paper: by PMID when known, else by DOI, else by PMCID."""
        from tui.data.bibliography import reference_ids

        ids = reference_ids(reference)
        if ids:
            self.load(ids[0])
        else:
            self.notify("This reference has no PMID or DOI to open", severity="warning")

    def action_open_reference(self) -> None:
        reference = self.copier.highlighted_reference()
        if reference is not None:
            self.open_reference(reference)

    def action_back(self) -> None:
        if self.moves.back_from_failed_walk():
            return
        previous = self.history.peek_back()
        if previous is None:
            self.notify("No earlier record", severity="information")
            return
        self.load(previous, move="back")

    def action_filter_references(self) -> None:
        self.action_focus_pane("references")
        self.references.start_filter()

    def action_refresh(self) -> None:
        if self.request is None:
            self.notify("Nothing to refetch", severity="warning")
            return
        self.load(self.request.aid, move=self.request.move, refresh=True)

    @on(PmidChosen)
    def _pmid_chosen(self, event: PmidChosen) -> None:
        """A notice, comment or update asked to be opened (banner or Details)."""
        event.stop()
        self.load(ArticleId(IdKind.PMID, event.pmid))

    @on(UrlChosen)
    def _url_chosen(self, event: UrlChosen) -> None:
        event.stop()
        self.copier.open(event.url)

    def action_open_notice(self) -> None:
        self.query_one(NoticeBanner).open_notice()

    @on(LinksPane.PaperChosen)
    def _paper_chosen(self, event: LinksPane.PaperChosen) -> None:
        event.stop()
        self.load(ArticleId(IdKind.PMID, event.pmid))

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

    def pane_of(self, widget: Widget | None) -> str | None:
        """The name of the pane holding ``widget`` (None outside the panes)."""
        node: Any = widget
        while node is not None and node is not self:
            if getattr(node, "id", None) in PANES:
                return str(node.id)
            node = node.parent
        return None

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
        self.references.toggle_mark()

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
