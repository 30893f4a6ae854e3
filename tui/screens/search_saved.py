"""The saved searches on the search screen: listed before a query, saved with ``a``.

Before anything is typed the screen lists the saved searches, each with how many papers
PubMed added since it last ran, counted in one background worker (one esearch each,
under the rate limit; the main search's ``Search`` is never touched).  ``enter`` on one
runs it; running a saved term from the input counts as running it too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from tui.data.config_write import ConfigWriteError, config_path
from tui.data.errors import PubtermError
from tui.data.saved_searches import LastRuns, new_sentence, read_saved, save_term
from tui.data.search import Search
from tui.data.search_query import SearchQuery

if TYPE_CHECKING:
    from tui.screens.search import SearchScreen


class SavedList(OptionList):
    """The saved searches; option ids are their positions in the config file's list."""

    DEFAULT_CSS = """
    SavedList { height: auto; max-height: 50%; border: none; padding: 0 1; }
    SavedList:focus { border: none; }
    """


class SavedSearches:
    """Reads, lists, counts and saves the saved searches of one search screen."""

    def __init__(self, screen: SearchScreen) -> None:
        self.screen = screen
        settings = screen.settings
        self.config = config_path(settings)
        self.runs = LastRuns.in_cache(settings.resolved_cache_dir)
        self.terms: list[str] = []
        self.counts: dict[str, int] = {}

    @property
    def listing(self) -> SavedList:
        return self.screen.query_one(SavedList)

    def load(self) -> None:
        """Read the config file's list, show it, and count what is new in the background."""
        self.terms = read_saved(self.config)
        self.render()
        wanted: list[tuple[str, date]] = []
        for term in self.terms:
            since = self.runs.last_run(term)
            if since is not None:
                wanted.append((term, since))
        if wanted and not self.screen.service.offline:
            self.screen.run_worker(
                self._count(wanted), name="saved", group="saved", exclusive=True,
                exit_on_error=False,
            )  # fmt: skip

    async def _count(self, wanted: list[tuple[str, date]]) -> dict[str, int]:
        found: dict[str, int] = {}
        for term, since in wanted:
            search = Search(self.screen.service, SearchQuery(term))
            try:
                found[term] = await search.count_new(since)
            except PubtermError:
                continue  # that one stays uncounted; the others still say theirs
        return found

    def worker_done(self, worker: Worker[object], state: WorkerState) -> None:
        if state is WorkerState.SUCCESS and isinstance(worker.result, dict):
            self.counts = dict(worker.result)
            self.render()

    def render(self) -> None:
        options = []
        for index, term in enumerate(self.terms):
            sentence = new_sentence(self.counts.get(term), self.runs.last_run(term))
            content = Content.assemble(
                Content(term).stylize("bold"), "  ", Content(sentence).stylize("dim")
            )
            options.append(Option(content, id=f"saved-{index}"))
        listing = self.listing
        keep = listing.highlighted
        listing.set_options(options)
        if options:
            listing.highlighted = keep if keep is not None and keep < len(options) else 0
        self.show(self.screen.state.query is None)

    def show(self, before_a_query: bool) -> None:
        visible = before_a_query and bool(self.terms)
        self.listing.display = visible
        self.screen.query_one("#search-saved-title").display = visible

    def term_at(self, index: int | None) -> str | None:
        return self.terms[index] if index is not None and 0 <= index < len(self.terms) else None

    def run(self, index: int | None) -> None:
        """Run the saved search at ``index``, as saved."""
        term = self.term_at(index)
        if term is not None:
            # The term carries its filters already: the toggles start from none.
            screen = self.screen
            screen.state = replace(screen.state, filters=(), years=None, sort="relevance")
            screen.run_search(term)

    def ran(self, query: SearchQuery) -> None:
        """Note a run of ``query`` when it is one of the saved searches."""
        if query.term in self.terms:
            self.runs.ran(query.term)

    def save(self) -> None:
        """Add the search shown (its term, filters included) to the config file."""
        query = self.screen.state.query
        if query is None:
            self.screen.notify("Search first, then save the search", severity="warning")
            return
        term = query.term
        try:
            added = save_term(term, self.config)
        except ConfigWriteError as exc:
            self.screen.notify(str(exc), severity="error", markup=False)
            return
        self.runs.ran(term)
        if term not in self.terms:
            self.terms.append(term)
        self.render()
        said = f"Saved the search {term} in {self.config}" if added else "Already saved"
        self.screen.notify(said, markup=False)
