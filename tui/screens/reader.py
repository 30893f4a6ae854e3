"""The record reader: header, panes, status line, and the reader's record actions.

All network work happens in workers, so the screen keeps answering keys while a record
loads, and a newer request simply replaces an older one.  Errors end as sentences in
the status banner, never as a traceback.  Copying, citing, the citation graph and
prefetching are small objects of their own (``copy_links``, ``citing``, ``graph``,
``prefetching``) that the screen holds and calls, most keys handed to them in one line
(``reader_parts``); every job they start goes through ``start_job`` and ends in
``JobEnds``, if it fails as a sentence in the banner.
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
from textual.worker import Worker

from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record
from tui.history import History
from tui.keys import bindings
from tui.screens.cited_contexts import show_where_cited
from tui.screens.citing import Citer
from tui.screens.commands import ReaderCommands
from tui.screens.copy_links import CopyLinks
from tui.screens.fulltext_reader import FullTextReader
from tui.screens.graph import GraphLoader
from tui.screens.host import Job
from tui.screens.job_ends import JobEnds
from tui.screens.jobs import error_sentence
from tui.screens.panes import PANE_TITLES, PANES, RIGHT_PANES, Move
from tui.screens.prefetching import Prefetcher
from tui.screens.reader_compose import FIRST_PANE, FIRST_RIGHT, reader_widgets
from tui.screens.reader_layout import WIDE_COLUMNS, PaneLayout
from tui.screens.reader_moves import ReaderMoves
from tui.screens.reader_parts import Part, handed_to
from tui.screens.reading_events import MarkToggled, ReadingEvent
from tui.screens.reading_state import ReadingState, Visit
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

    state: reactive[ReadingState] = reactive(ReadingState, always_update=True, repaint=False)
    """Everything the reader reads and did to it; replaced whole on every change and
    bound down to the panes (``update`` changes it).  The screen draws nothing of it
    itself, so a change repaints only what the panes redraw (a repaint here would
    redraw the whole screen on every cursor move)."""
    record: reactive[Record | None] = reactive(None, repaint=False)
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
        # The banner is looked up when a job ends: it is not composed yet.
        say: Callable[[str], None] = lambda sentence: self.banner.notice(sentence)  # noqa: E731
        self.job_ends = JobEnds(self.walker, self.prefetcher, self.copier, say)

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
        """The one place a job's end is handled (``JobEnds``): results to their owner,
        failures to the banner as a sentence."""
        self.job_ends.ended(event.worker, event.state)

    # -- panes -------------------------------------------------------------------------

    action_focus_pane = handed_to("pane_layout", "focus", "Show and focus the pane named.")
    action_cycle_pane = handed_to("pane_layout", "cycle", "Go to the next or previous pane.")

    # -- walking -----------------------------------------------------------------------

    @on(ReferencesPane.ReferenceChosen)
    def _reference_chosen(self, event: ReferencesPane.ReferenceChosen) -> None:
        event.stop()
        self.walker.open_reference(event.reference)

    def action_open_reference(self) -> None:
        """Walk into a cited paper: by PMID when known, else by DOI, else by PMCID."""
        reference = self.copier.highlighted_reference()
        if reference is not None:
            self.walker.open_reference(reference)

    def action_back(self) -> None:
        if not self.moves.back_from_failed_walk():
            self.walker.back()

    def action_filter_references(self) -> None:
        self.action_focus_pane("references")
        self.references.start_filter()

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

    # -- what the composed helpers see (tui.screens.host.ReaderHost) -------------------

    references = Part("#references", ReferencesPane)
    banner = Part("#status", StatusBanner)
    prefetch_progress = Part("#prefetch", PrefetchProgress)
    export_progress = Part("#export-progress", PrefetchProgress)
    record_header = Part("#header", RecordHeader)
    notices = Part("#notices", NoticeBanner)

    @property
    def prefetching(self) -> bool:
        """True while a prefetch runs."""
        return self.prefetcher.running

    def links_pane(self, name: str) -> LinksPane:
        """The Cited by (``cited-by``) or Similar (``similar``) pane."""
        return self.query_one(f"#{name}", LinksPane)

    show_reference = handed_to("references", "show_index", "Put the cursor on reference i.")

    def pane_of(self, widget: Widget | None) -> str | None:
        """The name of the pane holding ``widget`` (None outside the panes)."""
        return self.pane_layout.pane_of(widget)

    def focused_pane(self) -> str | None:
        """The pane holding the keyboard focus."""
        return self.pane_of(self.focused)

    # -- actions the keys reach, each handed to its helper -----------------------------

    action_copy_doi = handed_to("copier", "copy_doi", "Copy the DOI of what is highlighted.")
    action_copy_all_dois = handed_to("copier", "copy_all_dois", "Copy the listed DOIs.")
    action_copy_all_pmids = handed_to("copier", "copy_all_pmids", "Copy the listed PMIDs.")
    action_open_doi = handed_to("copier", "open_doi", "Open the DOI in the browser.")
    action_open_pubmed = handed_to("copier", "open_pubmed", "Open the PubMed page.")
    action_cite = handed_to("citer", "cite", "Cite the record or the marked references.")
    action_export = handed_to("citer", "export", "Export the references to a file.")
    action_prefetch = handed_to("prefetcher", "toggle", "Start or stop the prefetch.")
    action_clear_marks = handed_to("moves", "clear_marks", "Unmark every reference.")
    action_go_to_reference = handed_to("moves", "go_to_reference", "Go to reference n.")
    action_open_id = handed_to("moves", "open_id", "Ask for an ID to open.")
    action_refresh = handed_to("walker", "refresh", "Fetch the record again.")
    action_open_notice = handed_to("notices", "open_notice", "Open the highlighted notice.")
    action_toggle_title = handed_to("record_header", "toggle_title", "Show the title whole.")

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted reference (the palette's Mark reaches this)."""
        cursor = self.state.cursor
        if cursor is not None:
            self.report(MarkToggled(cursor))

    def action_put_away(self) -> None:
        """Escape: stop a running prefetch or a long export, else put away an error banner."""
        if self.citer.cancellable and not self.prefetching:
            self.citer.cancel()
        else:
            self.moves.dismiss()

    cancel_prefetch = handed_to("prefetcher", "cancel", "Stop the running prefetch.")
