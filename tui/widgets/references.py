"""The references pane: a review's reference list, filterable, each entry a way onward.

The pane renders the reader's state (the record, resolved summaries, marks, the filter)
and says what the reader did: ``MarkToggled``, ``FilterChanged`` and ``Moved`` go to the
screen's ``report`` at once (a key bound to the next action must already see them), and
``ReferenceChosen`` is posted as a message.  It keeps nothing but what it has drawn; a
pane on its own (no ``report``) applies the events to its own state.
Filtering keeps each reference's original number, because that is the number the
review's text cites.  Titles resolved in the background replace entries in place, so the
cursor and the scroll stay put.

The filter is applied in the handler of the key that changed it, so the echo in the
Input and the narrowed list go out in the same frame; the Input is the source of truth
for what is typed, and a text it reported is never written back into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.widgets import Input

import tui.widgets.reference_view as view
from tui.data.model import Record, Reference
from tui.data.summaries import Summary
from tui.keys import bindings
from tui.screens.reading_events import FilterChanged, MarkToggled, Moved, ReadingEvent, Report
from tui.screens.reading_state import ReadingState, needle_of
from tui.widgets.entries import haystack
from tui.widgets.hanging import MATCH_STYLE, HangingIndent
from tui.widgets.paper_list import ReferenceList
from tui.widgets.ref_filter import ReferenceFilter
from tui.widgets.vlist import VirtualList
from tui.widgets.vlist_entries import Numbers
from tui.widgets.vlist_messages import Selected

__all__ = ["MATCH_STYLE", "HangingIndent", "ReferenceList", "ReferencesPane"]


class FilterInput(Input):
    """The filter's Input: each change reaches the pane inside the key's own handler."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """Textual's Input sets its virtual size (the text's width) on every key, and the
    reactive it inherits lays the whole screen out again each time.  The filter line is
    one row of fixed size whatever it holds, so a new width only needs a repaint."""

    def watch_value(self, value: str) -> None:
        pane = self.parent
        if isinstance(pane, ReferencesPane):
            pane.typed(value)


class ReferencesPane(Vertical):
    """A filter input over the reference list; focus goes to the list, never the frame."""

    can_focus = False
    BINDINGS: ClassVar[list[BindingType]] = [*bindings("references-filter")]

    DEFAULT_CSS = """
    ReferencesPane > #ref-filter {
        display: none;
    }
    ReferencesPane > #ref-filter.-shown {
        display: block;
    }
    """

    state: reactive[ReadingState] = reactive(ReadingState, repaint=False)
    """The reader's state (bound from the screen; a pane on its own holds its own).
    The frame draws nothing of it: the list and the border title repaint themselves."""

    class ReferenceChosen(Message):
        """The reader picked a reference to open (enter, or a click on an option)."""

        def __init__(self, reference: Reference) -> None:
            super().__init__()
            self.reference = reference

    def __init__(
        self,
        *,
        report: Report | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._report = report
        # What was drawn, from which state: the pane's render caches.
        self._drawn = ReadingState()
        self._filter = ""
        self._ids: Sequence[str] = ()
        self._visible: list[int] = []
        self._before_filter: tuple[int | None, int | None] | None = None
        self._filter_cursor: int | None = None  # where the last filter change left it
        self._matcher = ReferenceFilter(0, str)
        # Every filter text the pane told the screen about since the record was shown:
        # such a text coming back down in a state is an echo, never written back.
        self._posted: set[str] = set()

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="Filter references…", id="ref-filter", disabled=True)
        yield ReferenceList(id="ref-list", markup=False)

    def on_mount(self) -> None:
        # Watched, not messaged: the screen knows of a move before the next key acts.
        self.watch(self.reference_list, "scroll_y", self._scrolled, init=False)
        self.watch(self.reference_list, "highlighted", self._scrolled, init=False)
        self._load(self.state, fresh=True)

    # -- what the pane shows (for tests and the screen's focus; never for actions) ------

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

    # -- keys and focus ----------------------------------------------------------------

    @property
    def visible_indexes(self) -> list[int]:
        """Original indexes of the references the list shows, in its order."""
        return list(self._visible)

    def focus(self, scroll_visible: bool = True) -> ReferencesPane:
        """Focusing the pane focuses the filter while it is being typed, else the list."""
        if self.is_mounted:
            target = self.filter_input if self.filter_input.has_focus else self.reference_list
            target.focus(scroll_visible)
        return self

    def show_index(self, index: int) -> None:
        """Put the cursor on reference ``index`` (its original index), when the list
        shows it (a citation chosen in the full text)."""
        if self.is_mounted and index in self._visible:
            self.reference_list.highlighted = self._visible.index(index)

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

    def toggle_mark(self) -> None:
        """Space: ask for the highlighted reference to be marked or unmarked."""
        index = self._highlighted_index()
        if index is not None:
            self._tell(MarkToggled(index))

    def _tell(self, event: ReadingEvent) -> None:
        """Tell the screen what the reader did (a pane on its own keeps it itself)."""
        if self._report is not None:
            self._report(event)
        else:
            self.state = self.state.after(event)

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

    # -- rendering the state -----------------------------------------------------------

    def watch_state(self, state: ReadingState) -> None:
        if not self.is_mounted:
            return
        drawn, self._drawn = self._drawn, state
        if state.record is not drawn.record:
            self._load(state, fresh=not _same_record(drawn.record, state.record))
            return
        text = state.filter
        if text != drawn.filter and text != self._filter and text not in self._posted:
            # Set from outside, not typed: the Input shows it.  A text the pane reported
            # is never written back: by the time its state arrives the Input may hold
            # later keys, and writing the older text would scramble them.
            self._show_input(bool(state.filter) or self.filter_input.has_focus)
            self._write_input(state.filter)
        self._refresh_entries(view.resolved_since(drawn, state))
        if state.marked != drawn.marked:
            self._show_marks(state)
        if state.searching != drawn.searching:
            self._set_subtitle()
            self._apply_filter(self._filter)

    def _set_subtitle(self) -> None:
        self.border_subtitle = view.subtitle(self._drawn)

    def _highlighted_index(self) -> int | None:
        """The original index of the highlighted reference, from the list as shown."""
        if not self.is_mounted:
            return None
        position = self.reference_list.highlighted
        if position is None or position >= len(self._visible):
            return None
        return self._visible[position]

    def _load(self, state: ReadingState, *, fresh: bool) -> None:
        """Show the record's entries: a new record starts at its place (the top unless
        coming back), the same one keeps the cursor where it is."""
        self._drawn = state
        references = state.references
        self._ids = Numbers(len(references))
        self._matcher = ReferenceFilter(
            len(references), lambda i: haystack(references[i], state.summary_of(references[i]))
        )
        self._set_subtitle()
        if not fresh:
            self._apply_filter(self._filter, keep=True)
            self._show_marks(state)
            return
        self._posted = set()
        self._filter = state.filter  # so that writing it into the Input does not filter twice
        self._write_input(state.filter)
        self._show_input(bool(state.filter))
        self._apply_filter(state.filter, keep=False)
        self._show_marks(state)
        listing, cursor = self.reference_list, state.cursor
        if cursor is not None and cursor in self._visible:
            position = self._visible.index(cursor)
            listing.highlighted = position
            if state.scroll:
                # The same reference on the same row as when the reader walked away.
                listing.show_at_row(position, state.scroll)
                self.call_after_refresh(listing.show_at_row, position, state.scroll)

    def _show_marks(self, state: ReadingState) -> None:
        """Draw the marked entries marked (once the list shows this record's entries)."""
        self.reference_list.marks = frozenset(str(i) for i in state.marked)
        self._set_title()

    def _apply_filter(self, text: str, *, keep: bool = True) -> None:
        """Show the references matching ``text``; the highlighted one stays on its row."""
        self._filter = text
        needle = needle_of(text)
        self._visible = visible = self._matcher.matches(text)
        pattern = view.match_pattern(needle)
        listing = self.reference_list
        listing.placeholder = "" if visible else view.empty_text(self._drawn, needle)
        ids = self._ids if len(visible) == len(self._ids) else [str(i) for i in visible]

        def build(position: int, marked: bool) -> HangingIndent:
            # The state at build time: entries are built as they scroll into view.
            return view.entry(self._drawn, visible[position], marked, pattern)

        listing.set_entries(ids, build, keep=keep)
        self._set_title()
        self._scrolled()

    def _refresh_entries(self, indexes: list[int]) -> None:
        """Build these entries again (their facts changed): same cursor, same scroll."""
        if not indexes:
            return
        self._matcher.changed(indexes)
        visible = self._visible
        if len(visible) == len(self._ids):
            positions: list[int] = indexes
        else:
            wanted = set(indexes)
            positions = [position for position, i in enumerate(visible) if i in wanted]
        self.reference_list.refresh_entries(positions)
        self._set_title()

    def _set_title(self) -> None:
        self.border_title = view.title(self._drawn, len(self._visible), bool(self._filter))

    # -- what the reader did -----------------------------------------------------------

    def _scrolled(self) -> None:
        """The cursor or the view moved: the screen keeps both, as the place to return to."""
        row = self.reference_list.cursor_row
        self._tell(Moved(self._highlighted_index(), row or 0))

    @on(VirtualList.Selected, "#ref-list")
    def _selected(self, event: Selected) -> None:
        event.stop()
        # A selection made just before the list was rebuilt belongs to the old list.
        if self.reference_list.is_current(event) and event.item_id is not None:
            self.post_message(self.ReferenceChosen(self.state.references[int(event.item_id)]))

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


def _same_record(old: Record | None, new: Record | None) -> bool:
    return old is not None and new is not None and old.pmid == new.pmid
