"""Typing into the references filter: the one way into the pane that starts in the pane.

Everything else the pane shows comes down from the reading state; a filter is typed
first and reported after.  It is applied in the handler of the key that changed it, so
the echo in the Input and the narrowed list go out in the same frame; the Input is the
source of truth for what is typed, and a text it reported is never written back into it.
An emptied filter puts the cursor back where the reader was before it, if it was not
moved meanwhile.  Those rules about an Input and its echoes stand apart from drawing the
state, which they only call.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from tui.keys import bindings
from tui.screens.reading_events import FilterChanged, ReadingEvent
from tui.widgets.references_shown import ShownReferences


class FilterInput(Input):
    """The filter's Input: each change reaches the pane inside the key's own handler."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """Textual's Input sets its virtual size (the text's width) on every key, and the
    reactive it inherits lays the whole screen out again each time.  The filter line is
    one row of fixed size whatever it holds, so a new width only needs a repaint."""

    def watch_value(self, value: str) -> None:
        pane = self.parent
        if isinstance(pane, ReferenceFiltering):
            pane.typed(value)


class ReferenceFiltering(ShownReferences):
    """The filter Input of the references pane: shown, typed into, left."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("references-filter")]

    _before_filter: tuple[int | None, int | None] | None
    """Where the reader was (original index, row) when a filter started."""

    _filter_cursor: int | None
    """Where the last filter change left the cursor."""

    _posted: set[str]
    """Every filter text told to the screen since the record was shown."""

    def _apply_filter(self, text: str, *, keep: bool = True) -> None:
        """Show the references matching ``text`` (the pane's)."""
        raise NotImplementedError

    def _scrolled(self) -> None:
        """Tell the screen where the cursor and the view are (the pane's)."""
        raise NotImplementedError

    def _tell(self, event: ReadingEvent) -> None:
        """Tell the screen what the reader did (the pane's)."""
        raise NotImplementedError

    def focus_list(self) -> None:
        self.reference_list.focus()

    def start_filter(self) -> None:
        """Show the filter Input and type into it."""
        self._show_input(True)
        self.filter_input.focus()

    def clear_filter(self) -> None:
        """Drop the filter, hide the Input and go back to the list."""
        self._write_input("")
        self._show_input(False)
        self.focus_list()

    def typed(self, text: str) -> None:
        """The Input changed (inside the key's handler): filter now, then tell the screen."""
        if text == self._filter:
            return
        if not self._filter:
            # A filter starts: where the reader was, to come back to if it is emptied
            # again without the cursor having been moved meanwhile.
            self._before_filter = (self._highlighted_index(), self.reference_list.cursor_row)
        untouched = self._highlighted_index() == self._filter_cursor
        self._apply_filter(text)
        before, self._filter_cursor = self._before_filter, self._highlighted_index()
        if not text and before is not None:
            self._before_filter = None
            index, row = before
            if untouched and index is not None and index in self._visible:
                listing = self.reference_list
                listing.highlighted = position = self._visible.index(index)
                listing.show_at_row(position, row or 0)
                self._filter_cursor = index
                self._scrolled()
        self._posted.add(text)
        self._tell(FilterChanged(text))

    def _write_input(self, text: str) -> None:
        """Put ``text`` in the Input (its watcher then filters, if the text is new)."""
        field = self.filter_input
        if field.value != text:
            field.value = text
        else:
            self.typed(text)

    def _show_input(self, shown: bool) -> None:
        # Disabled while hidden, so neither auto-focus nor tab can land on it unseen.
        self.filter_input.disabled = not shown
        self.filter_input.set_class(shown, "-shown")

    @on(Input.Changed, "#ref-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()  # already handled, in the key's own handler (FilterInput)

    @on(Input.Submitted, "#ref-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self._show_input(False)
        self.focus_list()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape leaves the filter, from the Input or from the filtered list; otherwise
        it goes on to the screen (and, from a search result, back to the results)."""
        if action == "clear_filter":
            return bool(self._filter or self.filter_input.has_focus)
        return True

    def action_clear_filter(self) -> None:
        self.clear_filter()
