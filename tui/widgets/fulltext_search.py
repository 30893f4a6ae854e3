"""Finding a place in the full text by where it sits or what it says: outline and search.

Both start outside the text list (the outline screen, the search Input) and end in a
jump the pane remembers, so ``b`` comes back from them; they only call the pane's
jumping and coming back, never change it, so they stand apart from it.
"""

from __future__ import annotations

from textual import on
from textual.containers import Vertical
from textual.widgets import Input

from tui.data.fulltext_model import FullText
from tui.screens.fulltext_outline import OutlineScreen
from tui.widgets.fulltext_view import FullTextList, Place


class TextSearch(Vertical):
    """The outline of sections and the in-text search of the Full text pane."""

    full: FullText | None
    """The text shown (the pane's)."""

    places: list[Place]
    """Where ``b`` goes back to, the last place last (the pane's)."""

    @property
    def text_list(self) -> FullTextList:
        """The list of the text's blocks (the pane's)."""
        raise NotImplementedError

    def remember(self) -> None:
        """Keep the line the reader is on, for ``b`` (the pane's)."""
        raise NotImplementedError

    def jump(self, block: int, *, cite: int | None = None) -> None:
        """Go to ``block``, remembering where the reader was (the pane's)."""
        raise NotImplementedError

    def action_outline(self) -> None:
        full = self.full
        if full is None:
            return
        block = self.text_list.highlighted
        current = full.blocks[block].section if block is not None else None
        self.app.push_screen(
            OutlineScreen(full.sections, current if current is not None and current >= 0 else None),
            self._outline_chosen,
        )

    def _outline_chosen(self, block: int | None) -> None:
        if block is not None:
            self.jump(block)

    def action_search_text(self) -> None:
        if self.full is not None:
            self.add_class("-searching")
            self.query_one("#ft-search", Input).focus()

    @on(Input.Submitted, "#ft-search")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        self.remove_class("-searching")
        needle = event.value.strip()
        self.text_list.focus()
        if not needle:
            return
        self.remember()
        if not self.text_list.find(needle, here=False):
            self.places = self.places[:-1]
            self.notify(f"Not in the text: {needle}", severity="warning", markup=False)
        self.refresh_bindings()

    def action_next_match(self, direction: int) -> None:
        listing = self.text_list
        if listing.needle and not listing.find(listing.needle, direction):
            self.notify("No other match", severity="information")

    def action_leave_search(self) -> None:
        """Escape leaves the search field for the text."""
        self.remove_class("-searching")
        self.text_list.focus()
