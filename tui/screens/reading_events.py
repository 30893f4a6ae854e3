"""What a pane tells the reader screen the reader did to the reading state, and how.

A pane does not change the screen's state itself: it reports an event (a mark toggled,
the filter typed, a cursor moved) and the screen folds it into its one ``ReadingState``
(:meth:`tui.screens.reading_state.ReadingState.after`).  The events are the panes' side
of that exchange and the transitions the state's; each module holds one side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FilterChanged", "LinksMoved", "MarkToggled", "Moved", "ReadingEvent", "Report"]


@dataclass(frozen=True, slots=True)
class MarkToggled:
    """Space on reference ``index`` (its original 0-based index): mark or unmark it."""

    index: int


@dataclass(frozen=True, slots=True)
class FilterChanged:
    """The references filter now reads ``text`` (typed, or cleared with escape)."""

    text: str


@dataclass(frozen=True, slots=True)
class Moved:
    """The references cursor (an original index; None when nothing is shown) or the
    list's scroll (the cursor's row in the view) moved."""

    cursor: int | None
    scroll: int


@dataclass(frozen=True, slots=True)
class LinksMoved:
    """The cursor of the Cited by or Similar list ``name`` moved to ``cursor``."""

    name: str
    cursor: int | None


ReadingEvent = MarkToggled | FilterChanged | Moved | LinksMoved
"""What a pane tells the screen the reader did."""

Report = Callable[[ReadingEvent], None]
"""How a pane tells it: at once, inside the key's handler, so that an action bound to
the very next key (``space`` then ``y``) already sees the change."""
