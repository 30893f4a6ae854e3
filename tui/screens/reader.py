"""The record reader: header, three panes, status banner, and every reader action.

All network work happens in one exclusive worker group, so the screen keeps answering
keys while a record loads, and a newer request simply replaces an older one.  Errors end
as sentences in the status banner, never as a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label
from textual.worker import Worker, WorkerState

from tui.clipboard import OpenOutcome, Outcome, copy_text, doi_url, open_url, pubmed_url
from tui.data.errors import PubtermError
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record, Reference
from tui.history import History
from tui.keys import bindings
from tui.screens.cite_actions import CiteActions
from tui.screens.commands import ReaderCommands
from tui.widgets.abstract import AbstractPane
from tui.widgets.header import RecordHeader
from tui.widgets.keywords import KeywordsPane
from tui.widgets.references import ReferencesPane
from tui.widgets.status import StatusBanner

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice
    from tui.data.service import PubMed

PANES = ("abstract", "keywords", "references")
PANE_TITLES = {"abstract": "Abstract", "keywords": "Keywords", "references": "References"}
# Below this width the panes are shown one at a time behind a tab strip.
WIDE_COLUMNS = 120

Move = Literal["visit", "back", "stay"]


@dataclass(frozen=True, slots=True)
class Request:
    """What the current fetch is for, so a retry repeats it and success updates history."""

    aid: ArticleId
    move: Move
    refresh: bool = False


def error_sentence(error: BaseException | None) -> str:
    """The words shown for a failed fetch; unexpected errors are named, never traced."""
    if isinstance(error, PubtermError):
        return str(error)
    if error is None:
        return "Unexpected error"
    detail = str(error) or type(error).__name__
    return f"Unexpected error: {detail}"


class ReaderScreen(CiteActions, Screen[None]):
    """One record at a time, with a browser-like history of records walked through."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("reader")]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ReaderCommands}
    AUTO_FOCUS = "#abstract"

    record: reactive[Record | None] = reactive(None)
    active_pane: reactive[str] = reactive("abstract")

    def __init__(self, service: PubMed, initial: ArticleId | None = None) -> None:
        super().__init__()
        self.service = service
        self.initial = initial
        self.history: History[ArticleId] = History()
        self.request: Request | None = None
        self._fetch_worker: Worker[Record] | None = None
        # PMID -> (pane, highlighted reference number) when the reader walked away.
        self._places: dict[str, tuple[str, int | None]] = {}

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield RecordHeader(id="header").data_bind(ReaderScreen.record)
        yield StatusBanner(id="status")
        with Horizontal(id="tabs"):
            for number, name in enumerate(PANES, 1):
                yield Label(f"{number} {PANE_TITLES[name]}", id=f"tab-{name}", classes="tab")
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield AbstractPane(id="abstract", classes="pane").data_bind(ReaderScreen.record)
                yield KeywordsPane(id="keywords", classes="pane").data_bind(ReaderScreen.record)
            yield ReferencesPane(id="references", classes="pane").data_bind(ReaderScreen.record)
        yield Footer()

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        self.watch_active_pane("abstract")
        for field in self.query(Input):
            field.cursor_blink = bool(getattr(self.app, "CURSOR_BLINK", True))
        if self.initial is not None:
            self.load(self.initial)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < WIDE_COLUMNS
        self.set_class(narrow, "-narrow")
        # At 80 columns every cell of the footer counts: ctrl+p is listed in the help.
        footer = self.query_one(Footer)
        footer.compact = narrow
        footer.show_command_palette = not narrow

    def watch_active_pane(self, name: str) -> None:
        for pane in PANES:
            self.set_class(pane == name, f"-show-{pane}")
            self.query_one(f"#tab-{pane}").set_class(pane == name, "-active")

    def pane_of(self, widget: Widget | None) -> str | None:
        """The name of the pane holding ``widget`` (None outside the panes)."""
        node: Any = widget
        while node is not None and node is not self:
            if getattr(node, "id", None) in PANES:
                return str(node.id)
            node = node.parent
        return None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        pane = self.pane_of(event.widget)
        if pane is not None:
            self.active_pane = pane

    def on_click(self, event: events.Click) -> None:
        widget_id = getattr(event.widget, "id", None) or ""
        if widget_id.startswith("tab-"):
            self.action_focus_pane(widget_id.removeprefix("tab-"))

    @property
    def references(self) -> ReferencesPane:
        return self.query_one("#references", ReferencesPane)

    @property
    def banner(self) -> StatusBanner:
        return self.query_one("#status", StatusBanner)

    # -- fetching ----------------------------------------------------------------------

    def load(self, aid: ArticleId, *, move: Move = "visit", refresh: bool = False) -> None:
        """Fetch ``aid`` in the background; the screen stays live meanwhile."""
        self.request = Request(aid, move, refresh)
        verb = "Refetching" if refresh else "Fetching"
        self.banner.loading(f"{verb} {aid}…")
        self._fetch_worker = self._fetch(aid, refresh)

    @work(exclusive=True, group="fetch", exit_on_error=False)
    async def _fetch(self, aid: ArticleId, refresh: bool) -> Record:
        return await self.service.fetch(aid, refresh=refresh)

    def show_retry(self, notice: RetryNotice) -> None:
        """Say why the fetch is waiting ("Rate limited by NCBI, retrying in 2 s")."""
        self.banner.loading(str(notice))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "fetch" and worker is self._fetch_worker:
            if event.state is WorkerState.SUCCESS and isinstance(worker.result, Record):
                self._loaded(worker.result)
            elif event.state is WorkerState.ERROR:
                self.banner.error(error_sentence(worker.error))
        elif (
            worker.group == "open"
            and event.state is WorkerState.SUCCESS
            and isinstance(worker.result, OpenOutcome)
        ):
            self._opened(worker.result)

    def _loaded(self, record: Record) -> None:
        move = self.request.move if self.request is not None else "stay"
        previous = self.record
        if previous is not None and previous.pmid != record.pmid:
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
        pane, number = self._places.get(record.pmid, ("abstract", None))
        if move == "back" and number is not None:
            listing = self.references.reference_list
            self.call_after_refresh(setattr, listing, "highlighted", number - 1)
        if move != "stay" or self.focused is None:
            self.action_focus_pane(pane if move == "back" else "abstract")

    # -- panes -------------------------------------------------------------------------

    def action_focus_pane(self, name: str) -> None:
        if name not in PANES:
            return
        self.active_pane = name
        if name == "references":
            self.references.focus_list()
            return
        self.query_one(f"#{name}").focus()

    def action_cycle_pane(self, step: int) -> None:
        current = self.pane_of(self.focused) or self.active_pane
        index = (PANES.index(current) + step) % len(PANES)
        self.action_focus_pane(PANES[index])

    def _reference(self) -> Reference | None:
        reference = self.references.highlighted_reference
        if reference is None:
            self.notify("No reference is highlighted", severity="warning")
        return reference

    # -- copy and open -----------------------------------------------------------------

    def _focused_id(self, kind: Literal["DOI", "PMID"]) -> str | None:
        """The DOI or PMID the keys act on: the highlighted reference's when the references
        pane has focus, else the record's.  None after saying why there is none."""
        if self.record is None:
            self.notify("No record loaded yet", severity="warning")
            return None
        if self.pane_of(self.focused) == "references":
            reference = self._reference()
            if reference is None:
                return None
            what, value = "reference", reference.doi if kind == "DOI" else reference.pmid
        else:
            what, value = "record", self.record.doi if kind == "DOI" else self.record.pmid
        if not value:
            self.notify(f"This {what} has no {kind}", severity="warning")
        return value or None

    def action_copy_doi(self) -> None:
        doi = self._focused_id("DOI")
        if doi:
            copy_text(self.app, doi)
            self.notify(f"Copied DOI {doi}", markup=False)

    def action_copy_all_dois(self) -> None:
        if self.record is None:
            self.notify("No record loaded yet", severity="warning")
            return
        dois = [ref.doi for ref in self.record.references if ref.doi]
        if not dois:
            self.notify("No reference has a DOI", severity="warning")
            return
        copy_text(self.app, "\n".join(dois))
        self.notify(f"Copied {len(dois)} DOI{'s' if len(dois) != 1 else ''}")

    def action_open_doi(self) -> None:
        doi = self._focused_id("DOI")
        if doi:
            self._open(doi_url(doi))

    def action_open_pubmed(self) -> None:
        pmid = self._focused_id("PMID")
        if pmid:
            self._open(pubmed_url(pmid))

    def _open(self, url: str) -> None:
        # Browsers can take seconds to start: never on the UI thread.
        self.run_worker(partial(open_url, url), thread=True, group="open", exit_on_error=False)

    def _opened(self, outcome: OpenOutcome) -> None:
        if outcome.outcome is Outcome.COPY_INSTEAD:
            copy_text(self.app, outcome.url)
        failed = outcome.outcome in (Outcome.REFUSED, Outcome.FAILED)
        self.notify(outcome.message, severity="error" if failed else "information", markup=False)

    # -- walking -----------------------------------------------------------------------

    @on(ReferencesPane.ReferenceChosen)
    def _reference_chosen(self, event: ReferencesPane.ReferenceChosen) -> None:
        event.stop()
        self.open_reference(event.reference)

    def open_reference(self, reference: Reference) -> None:
        """Walk into a cited paper: by PMID when known, else by DOI."""
        if reference.pmid:
            self.load(ArticleId(IdKind.PMID, reference.pmid))
        elif reference.doi:
            self.load(ArticleId(IdKind.DOI, reference.doi))
        else:
            self.notify("This reference has no PMID or DOI to open", severity="warning")

    def action_open_reference(self) -> None:
        reference = self._reference()
        if reference is not None:
            self.open_reference(reference)

    def action_back(self) -> None:
        previous = self.history.peek_back()
        if previous is None:
            self.notify("No earlier record", severity="information")
            return
        self.load(previous, move="back")

    def action_filter_references(self) -> None:
        self.active_pane = "references"
        self.references.start_filter()

    def action_refresh(self) -> None:
        if self.request is None:
            self.notify("Nothing to refetch", severity="warning")
            return
        self.load(self.request.aid, move=self.request.move, refresh=True)
