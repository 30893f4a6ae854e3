"""The list widget under every paper list of the reader: references, cited by, similar.

One OptionList subclass with the reader's movement keys (j/k/g/G), so each list moves
the same way and renders only its visible lines, however many hundred papers it holds.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import OptionList

from tui.keys import bindings
from tui.widgets.badges import BADGE_CLASSES
from tui.widgets.entries import ENTRY_CLASSES


class PaperList(OptionList):
    """An OptionList of papers with vi-style movement and ``enter`` to open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("scroll"),
        *(b for b in bindings("references") if b.id == "open-reference"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {*ENTRY_CLASSES, *BADGE_CLASSES}

    def action_cursor_down(self) -> None:
        if self.option_count:
            current = self.highlighted
            self.highlighted = 0 if current is None else min(current + 1, self.option_count - 1)

    def action_cursor_up(self) -> None:
        if self.option_count:
            current = self.highlighted
            self.highlighted = 0 if current is None else max(current - 1, 0)

    def action_go_top(self) -> None:
        if self.option_count:
            self.highlighted = 0

    def action_go_bottom(self) -> None:
        if self.option_count:
            self.highlighted = self.option_count - 1

    def action_open_reference(self) -> None:
        self.action_select()


class ReferenceList(PaperList):
    """The references' list (option ids are the references' original indexes); ``space``
    marks, through the pane holding the list."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll"), *bindings("references")]

    def action_toggle_mark(self) -> None:
        toggle = getattr(self.parent, "toggle_mark", None)
        if callable(toggle):
            toggle()
