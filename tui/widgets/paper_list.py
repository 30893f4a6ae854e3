"""The list widget under every paper list of the reader: references, cited by, similar.

One VirtualList subclass with the reader's movement keys (j/k/g/G), so each list moves
the same way and builds and measures only the entries in view (plus a margin), however
many thousand papers it holds.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.message import Message

from tui.keys import bindings
from tui.widgets.badges import BADGE_CLASSES
from tui.widgets.entries import ENTRY_CLASSES
from tui.widgets.vlist import VirtualList


class PaperList(VirtualList):
    """A virtual list of papers with vi-style movement and ``enter`` to open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("scroll"),
        *(b for b in bindings("references") if b.id == "open-reference"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *VirtualList.COMPONENT_CLASSES,
        *ENTRY_CLASSES,
        *BADGE_CLASSES,
    }

    def action_open_reference(self) -> None:
        self.action_select()


class WhereCited(Message):
    """``w`` on reference ``index`` (0-based, original): where does the text cite it?"""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class ReferenceList(PaperList):
    """The references' list (option ids are the references' original indexes); ``space``
    marks, through the pane holding the list."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll"), *bindings("references")]

    def action_toggle_mark(self) -> None:
        toggle = getattr(self.parent, "toggle_mark", None)
        if callable(toggle):
            toggle()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``w`` applies (and the footer lists it) once the record's text is known."""
        if action == "where_cited":
            state = getattr(self.parent, "state", None)
            return getattr(state, "cited_counts", None) is not None
        return super().check_action(action, parameters)

    def action_where_cited(self) -> None:
        """``w``: ask the reader where the full text cites the highlighted reference."""
        item = self.highlighted_id
        if item is not None:
            self.post_message(WhereCited(int(item)))
