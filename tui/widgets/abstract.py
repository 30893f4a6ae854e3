"""The abstract pane: the part of a record most people actually read.

Structured abstracts keep their section labels as headings so a reader can jump by eye to
the conclusions; the conflict-of-interest statement follows, because whether to trust a
review depends on it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from tui.data.model import Record
from tui.keys import bindings
from tui.widgets.badges import clean

EMPTY_TEXT = "No abstract in this record."
COI_HEADING = "Conflict of interest"


def same_record(old: Record | None, new: Record | None) -> bool:
    """True when ``new`` is another copy of ``old`` (say, refetched), not a different paper."""
    return old is not None and new is not None and old.pmid == new.pmid


def abstract_content(record: Record | None) -> Content:
    """Headings and paragraphs separated by blank lines, built from plain strings only."""
    if record is None:
        return Content("")
    blocks: list[Content] = []
    for section in record.abstract:
        text = clean(section.text)
        label = clean(section.label)
        if not text and not label:
            continue
        block = Content(text)
        if label:
            heading = Content(label).stylize(".abstract--label")
            block = Content("\n").join([heading, block]) if text else heading
        blocks.append(block)
    if not blocks:
        blocks.append(Content(EMPTY_TEXT).stylize(".abstract--empty"))
    coi = clean(record.coi)
    if coi:
        heading = Content(COI_HEADING).stylize(".abstract--label")
        blocks.append(Content("\n").join([heading, Content(coi)]))
    return Content("\n\n").join(blocks)


class ScrollPane(VerticalScroll, can_focus=True):
    """A focusable text pane that the shared movement keys scroll line by line.

    The keys come from tui.keys so the help screen and the panes can never disagree.
    """

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll")]

    def action_cursor_down(self) -> None:
        self.scroll_down(animate=False)

    def action_cursor_up(self) -> None:
        self.scroll_up(animate=False)

    def action_go_top(self) -> None:
        self.scroll_home(animate=False)

    def action_go_bottom(self) -> None:
        self.scroll_end(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)


class RecordTextPane(ScrollPane):
    """A scroll pane showing one block of text made from the record.

    Subclasses say how the text is made (``content``), its title and the id of the
    ``Static`` that holds it; the pane keeps the reading position when the same paper is
    shown again (refetched) and returns to the top for a different one.
    """

    TITLE: ClassVar[str] = ""
    BODY_ID: ClassVar[str] = ""

    record: reactive[Record | None] = reactive(None)
    """The record whose text is shown."""

    @staticmethod
    def content(record: Record | None) -> Content:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Static(id=self.BODY_ID)

    def on_mount(self) -> None:
        self.border_title = self.TITLE
        self._show()

    def watch_record(self, old: Record | None, new: Record | None) -> None:
        self._show()
        if not same_record(old, new):  # a refreshed copy keeps the reading position
            self.scroll_home(animate=False)

    def _show(self) -> None:
        if self.is_mounted:
            self.query_one(f"#{self.BODY_ID}", Static).update(self.content(self.record))

    @property
    def text(self) -> str:
        """The plain text shown, for tests and for copying."""
        return self.content(self.record).plain


class AbstractPane(RecordTextPane):
    """Scrollable abstract; focusable so the movement keys scroll it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"abstract--label", "abstract--empty"}
    TITLE = "Abstract"
    BODY_ID = "abstract-text"
    content = staticmethod(abstract_content)
