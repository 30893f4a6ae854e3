"""What the references pane shows, as the reader screen and the tests read it.

The pane acts on the reading state and draws from it; what it has drawn (which
references the filter lets through, which one is under the cursor, by its original
number) is read from the widgets as shown.  Those reads serve the screen's focus and the
tests, never the pane's own actions, so they stand apart from the drawing: one place says
what a caller may rely on, and nothing here changes what is drawn.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.widgets import Input

from tui.data.model import Record, Reference
from tui.data.summaries import Summary
from tui.screens.reading_state import ReadingState
from tui.widgets.paper_list import ReferenceList


class ShownReferences(Vertical):
    """The reference list and its filter Input, and what they show."""

    state: ReadingState
    """The reader's state (the pane's reactive)."""

    _filter: str
    """The filter as shown (what the Input holds)."""

    _visible: list[int]
    """Original indexes of the references the list shows, in its order."""

    @property
    def reference_list(self) -> ReferenceList:
        """The list holding the references."""
        return self.query_one("#ref-list", ReferenceList)

    @property
    def filter_input(self) -> Input:
        """The filter Input (hidden unless filtering)."""
        return self.query_one("#ref-filter", Input)

    @property
    def record(self) -> Record | None:
        return self.state.record

    @record.setter
    def record(self, record: Record | None) -> None:
        """Show ``record`` (a pane on its own; the reader binds its state instead)."""
        self.state = self.state.showing(record) if record is not None else ReadingState()

    @property
    def filter_text(self) -> str:
        """The filter as shown (what the Input holds)."""
        return self._filter

    @filter_text.setter
    def filter_text(self, text: str) -> None:
        self.state = self.state.filtering(text)

    @property
    def references(self) -> tuple[Reference, ...]:
        return self.state.references

    @property
    def visible_references(self) -> list[Reference]:
        """The references the filter lets through, in their original order."""
        references = self.state.references
        return [references[i] for i in self._visible]

    @property
    def visible_indexes(self) -> list[int]:
        """Original indexes of the references the list shows, in its order."""
        return list(self._visible)

    @property
    def highlighted_number(self) -> int | None:
        """The original 1-based number of the highlighted reference."""
        index = self._highlighted_index()
        return None if index is None else index + 1

    @property
    def highlighted_reference(self) -> Reference | None:
        index = self._highlighted_index()
        return None if index is None else self.state.references[index]

    @property
    def marked_references(self) -> list[Reference]:
        return self.state.marked_entries()

    def summary_of(self, reference: Reference) -> Summary | None:
        return self.state.summary_of(reference)

    def _highlighted_index(self) -> int | None:
        """The original index of the highlighted reference, from the list as shown."""
        if not self.is_mounted:
            return None
        position = self.reference_list.highlighted
        if position is None or position >= len(self._visible):
            return None
        return self._visible[position]
