"""The references pane: a review's reference list, filterable, each entry a way onward.

The pane renders the reader's state (the record, resolved summaries, marks, the filter)
and says what the reader did: ``MarkToggled``, ``FilterChanged`` and ``Moved`` go to the
screen's ``report`` at once (a key bound to the next action must already see them), and
``ReferenceChosen`` is posted as a message.  It keeps nothing but what it has drawn; a
pane on its own (no ``report``) applies the events to its own state.
Filtering keeps each reference's original number, because that is the number the
review's text cites.  Titles resolved in the background replace entries in place, so the
cursor and the scroll stay put.

The filter is typed into the pane before it is reported
(:mod:`tui.widgets.references_filter`); what the pane shows is read from
:mod:`tui.widgets.references_shown`.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive

import tui.widgets.reference_view as view
from tui.data.model import Record, Reference
from tui.screens.reading_events import MarkToggled, Moved, ReadingEvent, Report
from tui.screens.reading_state import ReadingState, needle_of
from tui.widgets.entries import haystack
from tui.widgets.hanging import MATCH_STYLE, HangingIndent
from tui.widgets.paper_list import ReferenceList
from tui.widgets.ref_filter import ReferenceFilter
from tui.widgets.references_filter import FilterInput, ReferenceFiltering
from tui.widgets.vlist import VirtualList
from tui.widgets.vlist_entries import Numbers
from tui.widgets.vlist_messages import Selected

__all__ = ["MATCH_STYLE", "HangingIndent", "ReferenceList", "ReferencesPane"]


class ReferencesPane(ReferenceFiltering):
    """A filter input over the reference list; focus goes to the list, never the frame."""

    can_focus = False

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

    # -- keys and focus ----------------------------------------------------------------

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


def _same_record(old: Record | None, new: Record | None) -> bool:
    return old is not None and new is not None and old.pmid == new.pmid
