"""The outline of a full text: its sections, nested as the article nests them.

A review runs to dozens of sections; the outline is the quickest way to "the part on
resistance".  It opens on the section the reader is in and answers with the block the
chosen section starts at (None when closed with escape), so the pane can jump there
and ``b`` can come back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.visual import VisualType

from tui.data.fulltext_model import Section
from tui.data.text import clean_text
from tui.keys import bindings
from tui.widgets import vlist_messages
from tui.widgets.vlist import VirtualList

TITLE = "Outline"
HINT = "enter jumps · escape closes"


def section_entry(section: Section) -> Content:
    """One section of the outline, indented by its depth."""
    indent = "  " * max(0, section.level - 1)
    return Content(indent + clean_text(section.display))


class OutlineScreen(ModalScreen[int | None]):
    """The sections of one full text; dismissed with the chosen section's first block."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll"), *bindings("outline")]

    def __init__(self, sections: Sequence[Section], current: int | None) -> None:
        super().__init__()
        self.sections = tuple(sections)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="outline-dialog") as dialog:
            dialog.border_title = TITLE
            dialog.border_subtitle = HINT
            yield VirtualList(id="outline-list", placeholder="The text has no sections.")

    def on_mount(self) -> None:
        listing = self.query_one("#outline-list", VirtualList)
        listing.set_entries([str(i) for i in range(len(self.sections))], self._entry)
        if self.current is not None and self.sections:
            listing.highlighted = self.current
        listing.focus()

    def _entry(self, position: int, marked: bool) -> VisualType:
        return section_entry(self.sections[position])

    @on(VirtualList.Selected, "#outline-list")
    def _chosen(self, event: vlist_messages.Selected) -> None:
        event.stop()
        if event.index < len(self.sections):
            self.dismiss(self.sections[event.index].block)

    def action_close(self) -> None:
        self.dismiss(None)
