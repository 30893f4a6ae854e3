"""Running a search on the search screen and paging on through its results.

A ``Search`` keeps PubMed's WebEnv and its list of pages, so two calls on it must never
overlap: every page comes from one exclusive worker.  The next page is asked for when
the cursor or the view nears the end of what is loaded (a page ahead, once the user
moves through the rows), never per keystroke, and a failed page waits for the user to
move again.  Kept apart from the screen, which composes, draws the state and takes the
keys; one small object the screen holds, as it holds its ``ResultsPrefetch``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual.worker import Worker, WorkerState

from tui.data.search import Search, SearchResult
from tui.data.search_answer import SearchPage
from tui.data.search_query import QueryUsageError, SearchQuery
from tui.screens.search_state import error_sentence

if TYPE_CHECKING:
    from tui.screens.search import SearchScreen

PageAnswer = tuple[Search, SearchPage | None, list[SearchResult]]


class SearchPaging:
    """The search screen's searches: started, paged on a page ahead, answers shown."""

    NEAR_END: ClassVar[int] = 5

    def __init__(self, screen: SearchScreen) -> None:
        self.screen = screen
        self.paused = False  # after a failed page: wait for the user to move again

    def run(self, text: str) -> None:
        """Start a new search for ``text`` with the current filters, years and sort."""
        screen = self.screen
        try:
            state = screen.state
            query = SearchQuery(text, state.filters, state.years, sort=state.sort)
        except QueryUsageError as exc:
            screen.state = replace(screen.state, error=str(exc))
            return
        screen.query_input.value = text
        screen.saved.ran(query)
        screen.search = Search(screen.service, query, limit=screen.page_size, ids_ahead=2)
        self.paused = False
        screen.state = replace(
            screen.state,
            query=query,
            page=None,
            results=(),
            marks=frozenset(),
            busy="Searching PubMed…",
            error=None,
        )
        self._fetch_page(screen.search)
        screen.results_list.focus()

    def rerun(self) -> None:
        """The same query again, after a filter, the years or the sort changed."""
        query = self.screen.state.query
        if query is not None:
            self.run(query.text)

    def more(self) -> None:
        """Ask for the next page when one exists and nothing is being fetched."""
        screen = self.screen
        state = screen.state
        if screen.search is None or state.busy or self.paused or not state.has_more:
            return
        screen.state = replace(state, busy="loading more…", error=None)
        self._fetch_page(screen.search)

    def _fetch_page(self, search: Search) -> Worker[PageAnswer]:
        """The next rows of ``search``, from the one exclusive "search" worker; the page
        is asked for only once the worker runs, so one replaced at once asks nothing."""

        async def page() -> PageAnswer:
            return search, *await search.next_rows()

        return self.screen.run_worker(
            page, name="search", group="search", exclusive=True, exit_on_error=False
        )

    def changed(self, event: Worker.StateChanged) -> None:
        """Show a page's rows, or why it failed (called for the "search" worker's events)."""
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        event.stop()
        screen, worker = self.screen, event.worker
        if event.state is WorkerState.ERROR:
            self.paused = True
            screen.state = replace(screen.state, busy=None, error=error_sentence(worker.error))
            return
        answer = worker.result
        if not isinstance(answer, tuple) or answer[0] is not screen.search:
            return  # an answer for a search replaced since
        _, page, results = answer
        state = replace(screen.state, busy=None, error=None)
        if page is not None:
            state = replace(state, page=page, results=state.results + tuple(results))
        screen.state = state
        screen.call_after_refresh(self.check_near_end)

    def moved(self) -> None:
        """The user moved: a failed page may be tried again, and more may be due."""
        self.paused = False
        self.check_near_end()

    def check_near_end(self) -> None:
        """Ask for more when the cursor or the view nears the end of what is loaded."""
        # Once the user moves through the rows, stay a page ahead of the cursor, so the
        # next page has come by the time it is reached; before that (the first result may
        # be all they open), only a view already near the end asks for more.
        listing = self.screen.results_list
        moved = bool(listing.highlighted) or listing.scroll_y > 0
        if listing.near_end(self.screen.page_size if moved else self.NEAR_END):
            self.more()
