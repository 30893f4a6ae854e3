"""The search screen's query line: up and down walk the earlier queries, like a shell.

Past the newest query, down leaves the line for the list below it (the saved searches
before a query, the results after one), so the keyboard never gets stuck in the input.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import Input

from tui.data.search_history import QueryHistory
from tui.keys import bindings


class QueryInput(Input):
    """The query line; up and down walk the query history like a shell."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("search-input")]

    def __init__(self, history: QueryHistory, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history = history

    def action_history_older(self) -> None:
        text = self.history.older(self.value)
        if text is not None:
            self.value = text
            self.cursor_position = len(text)

    def action_history_newer(self) -> None:
        text = self.history.newer()
        if text is None:
            self.screen.focus_next("SavedList, SearchResults")
            return
        self.value = text
        self.cursor_position = len(text)
