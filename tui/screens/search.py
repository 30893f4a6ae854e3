"""The search screen: a PubMed query in, a list of papers out, straight into the reader.

The input takes what people have: a query in PubMed's own language, or an identifier
(what parses as a PMID, DOI, link or PMC ID opens at once).  Results come a page at a
time, a page ahead of the user (:mod:`tui.screens.search_paging`).  The screen stays
installed while the reader shows a result, so coming back finds the cursor where it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.worker import Worker

from tui.data.errors import InvalidIdError
from tui.data.ids import ArticleId, IdKind, parse_id
from tui.data.search import DEFAULT_LIMIT, Search
from tui.data.search_history import QueryHistory, history_path
from tui.data.warm import import_network
from tui.keys import bindings
from tui.screens.commands import ReaderCommands
from tui.screens.search_export import ResultsOut
from tui.screens.search_paging import SearchPaging
from tui.screens.search_prefetch import ResultsPrefetch
from tui.screens.search_saved import SavedList, SavedSearches
from tui.screens.search_state import SearchState
from tui.widgets.footer import ReaderFooter
from tui.widgets.progress import PrefetchProgress
from tui.widgets.query_input import QueryInput
from tui.widgets.search_results import SearchResults

if TYPE_CHECKING:
    from tui.data.service import PubMed
    from tui.data.settings import Settings


class SearchScreen(Screen[None]):
    """Search PubMed; posts ``OpenRequested`` for a result or an ID, ``LeaveRequested``."""

    CSS_PATH = "search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*bindings("search")]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ReaderCommands}
    PALETTE_SCOPES: ClassVar[tuple[str, ...]] = ("app", "search")

    state: reactive[SearchState] = reactive(SearchState, init=False)
    """Everything shown; replaced whole, rendered by ``watch_state``."""

    class OpenRequested(Message):
        """Open this identifier in the reader (a chosen result, or an ID typed)."""

        def __init__(self, aid: ArticleId) -> None:
            super().__init__()
            self.aid = aid

    class LeaveRequested(Message):
        """The user is done searching (escape or b on the results)."""

    def __init__(self, service: PubMed, settings: Settings) -> None:
        super().__init__()
        self.service = service
        self.settings = settings
        """Where the saved searches and the query history are kept."""
        self.history = QueryHistory.load(history_path(settings.resolved_cache_dir))
        self.search: Search | None = None
        self.page_size = DEFAULT_LIMIT
        self.out = ResultsOut(self)
        self.saved = SavedSearches(self)
        self.prefetcher = ResultsPrefetch(self)
        self.paging = SearchPaging(self)
        self.today: Callable[[], date] = date.today
        """The clock the years toggle counts back from (tests set it)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="search-top"):
            yield Static(id="search-title", markup=False)
            yield QueryInput(
                self.history,
                placeholder="Search PubMed, or paste a PMID, DOI or link",
                id="search-input",
            )
            yield Static(id="search-status", markup=False)
            yield Static(id="search-notices", markup=False)
        yield PrefetchProgress(id="search-prefetch")
        yield Static("Saved searches (enter runs one)", id="search-saved-title", markup=False)
        yield SavedList(id="search-saved")
        yield Static(id="search-empty", markup=False)
        yield SearchResults(id="search-results")
        yield ReaderFooter()

    def on_mount(self) -> None:
        self.query_one(QueryInput).focus()
        self.watch(self.results_list, "scroll_y", self._scrolled, init=False)
        self.watch_state(self.state)
        self.saved.load()
        self.call_after_refresh(self._warm_network)

    def _warm_network(self) -> None:
        """Import the HTTP client while the query is typed (on a thread, after the first
        paint), so that the first enter costs its two round trips and no imports."""
        if not self.service.offline:
            self.run_worker(
                import_network, name="warm", group="warm", thread=True, exit_on_error=False
            )

    @property
    def results_list(self) -> SearchResults:
        return self.query_one(SearchResults)

    @property
    def query_input(self) -> QueryInput:
        return self.query_one(QueryInput)

    def watch_state(self, state: SearchState) -> None:
        self.query_one("#search-title", Static).update(Content(state.title()))
        status = self.query_one("#search-status", Static)
        status.update(Content(state.status()))
        status.set_class(state.error is not None and state.page is None, "-error")
        notices = list(state.page.notices) if state.page is not None else []
        if state.error is not None and state.page is not None:
            notices.append(state.error)
        box = self.query_one("#search-notices", Static)
        box.update(Content("\n".join(notices)))
        box.display = bool(notices)
        empty = self.query_one("#search-empty", Static)
        empty.update(Content(state.empty_sentence() if state.empty else ""))
        empty.display = state.empty
        if self.is_mounted:
            self.saved.show(state.query is None)
        listing = self.results_list
        listing.display = not state.empty
        listing.show(state.results, state.marks)
        if not state.results and state.busy is None and self.focused is listing:
            if state.narrowed:
                self.set_focus(None)  # the toggles' keys stay keys, to widen it again
            else:
                self.query_input.focus()  # nothing to move through: back to the query

    # -- searching ---------------------------------------------------------------------

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.state = replace(self.state, error="Type a query first")
            return
        self.history.add(text)
        try:
            aid = parse_id(text)
        except InvalidIdError:
            self.run_search(text)
            return
        self.post_message(self.OpenRequested(aid))

    def run_search(self, text: str) -> None:
        """Start a new search for ``text`` with the current filters, years and sort."""
        self.paging.run(text)

    def show_retry(self, notice: object) -> None:
        """Say why a search waits ("Rate limited by NCBI, retrying in 2 s")."""
        if self.state.busy:
            self.state = replace(self.state, busy=str(notice))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.name == "saved":
            self.saved.worker_done(worker, event.state)
        elif worker.group == "prefetch":
            self.prefetcher.changed(worker, event.state)
        elif worker.name == "search":
            self.paging.changed(event)

    @on(OptionList.OptionHighlighted, "#search-results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.paging.moved()

    def _scrolled(self, _: float) -> None:
        self.paging.check_near_end()

    # -- results -----------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_result()

    @on(OptionList.OptionSelected, "#search-saved")
    def _saved_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.saved.run(event.option_index)

    def action_save_search(self) -> None:
        self.saved.save()

    def action_open_result(self) -> None:
        result = self.results_list.highlighted_result
        if result is None:
            self.notify("No result is highlighted", severity="warning")
            return
        self.post_message(self.OpenRequested(ArticleId(IdKind.PMID, result.pmid)))

    def action_toggle_mark(self) -> None:
        result = self.results_list.highlighted_result
        if result is None:
            return
        self.state = replace(self.state, marks=self.state.marks ^ {result.pmid})
        listing = self.results_list
        if listing.highlighted is not None and listing.highlighted < listing.option_count - 1:
            listing.highlighted += 1

    def action_copy_id(self) -> None:
        self.out.copy_current()

    def action_copy_all_ids(self) -> None:
        self.out.copy_all()

    def action_export(self) -> None:
        self.out.export()

    def action_cite(self) -> None:
        self.out.cite()

    def action_prefetch(self) -> None:
        self.prefetcher.toggle()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape stops a running prefetch first; otherwise it goes back, as ``b`` does."""
        if action == "stop_prefetch":
            return self.prefetcher.running
        return True

    def action_stop_prefetch(self) -> None:
        self.prefetcher.cancel()

    # -- toggles and leaving -------------------------------------------------------------

    def action_toggle_filter(self, name: str) -> None:
        self.state = self.state.toggled(name)
        self.paging.rerun()

    def action_cycle_years(self) -> None:
        self.state = self.state.next_years(self.today())
        self.paging.rerun()

    def action_cycle_sort(self) -> None:
        self.state = self.state.next_sort()
        self.paging.rerun()

    def action_edit_query(self) -> None:
        self.query_input.history.reset()
        self.query_input.focus()

    def action_leave(self) -> None:
        self.post_message(self.LeaveRequested())
