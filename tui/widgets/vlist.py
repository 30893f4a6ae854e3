"""A list that builds and measures only the entries on screen, for lists of any length.

Textual's OptionList builds and wraps every option when it is filled (about 90 µs a
reference: 2 s for 20,000).  This list asks for an entry only when it is about to show
it: it measures the entries in view plus a page either side, gives every other entry a
height estimated from a small sample, and corrects an estimate when its entry comes into
view.  A correction above the top line moves the scroll position by the same amount, so
the lines on screen, the cursor and the scrollbar stay where they were.

It speaks OptionList's dialect (:mod:`tui.widgets.vlist_options`), so a pane switches
over by changing the base class; its cursor, keys and mouse are
:mod:`tui.widgets.vlist_cursor`.

What makes large lists cheap is to hand over a builder instead of built prompts:
``set_entries(ids, build)`` with ``build(position, marked) -> prompt`` (for example
``reference_prompt``); ``marks`` (a frozenset of ids) draws those entries marked, and
``refresh_entries(positions)`` rebuilds entries whose facts changed (a title resolved).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, clamp
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from tui.keys import bindings
from tui.widgets import vlist_messages
from tui.widgets.vlist_entries import (
    DISABLED,
    ENTRY,
    Entries,
    EntryBuilder,
    Placeholder,
    draw,
    from_options,
)
from tui.widgets.vlist_heights import HeightMap
from tui.widgets.vlist_options import OptionListDialect
from tui.widgets.vlist_view import View

CURSOR = "option-list--option-highlighted"
HOVER = "option-list--option-hover"


class VirtualList(OptionListDialect, can_focus=True):
    """A cursor over entries that wrap to the width, built only as they come into view."""

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("scroll"),
        Binding("enter", "select", "Select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {ENTRY, CURSOR, HOVER, DISABLED}
    DEFAULT_CSS = """
    VirtualList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        background: $surface;
        & > .option-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .option-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .option-list--option-disabled { color: $text-disabled; }
        & > .option-list--option-hover { background: $block-hover-background; }
    }
    """

    placeholder: reactive[str] = reactive("")
    """What an empty list says (plain text, never markup)."""

    marks: reactive[frozenset[str]] = reactive(frozenset())
    """Ids of the entries drawn marked (handed to the builder as ``marked``)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
        markup: bool = False,
        placeholder: str = "",
    ) -> None:
        # ``markup`` is accepted for OptionList's sake; entries are never read as markup.
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.entries: Entries = from_options([])
        """What the list shows (replace it with ``set_entries`` or ``set_options``)."""
        self._view = View(self)
        self._placeholder = Placeholder()
        self._look: tuple[object, ...] | None = None
        self.generation = 0
        """Counts the lists shown: a message from an older list is stale."""
        self.set_reactive(VirtualList.placeholder, placeholder)
        self._placeholder_given = placeholder

    # ---- what the list holds

    @property
    def heights(self) -> HeightMap:
        """Entry heights, measured and estimated (read them; the list writes them)."""
        return self._view.heights

    @property
    def highlighted_id(self) -> str | None:
        """The id of the entry under the cursor."""
        cursor = self.highlighted
        return None if cursor is None else self.entries.ids[cursor]

    def is_current(self, message: vlist_messages.EntryMessage) -> bool:
        """Whether ``message`` was posted about the list as it is now shown."""
        return message.generation == self.generation

    def set_entries(
        self, ids: Sequence[str | None], build: EntryBuilder, *, keep: bool = True
    ) -> None:
        """Show ``len(ids)`` entries, each built by ``build(position, marked)`` when needed."""
        self._install(Entries(ids, build, self.marks), keep)

    def refresh_entries(self, indexes: Iterable[int]) -> None:
        """Build these entries again (their facts changed), keeping cursor and scroll."""
        positions = [i for i in indexes if 0 <= i < len(self.entries)]
        for index in positions:
            self.entries.forget(index)
        self._view.remeasure(positions)
        self.refresh()

    def watch_marks(self, old: frozenset[str], new: frozenset[str]) -> None:
        entries = self.entries
        entries.marks = new
        changed = (entries.index_of(item_id) for item_id in old ^ new)
        self.refresh_entries(i for i in changed if i is not None)

    def watch_placeholder(self) -> None:
        if self.is_mounted and not self.entries:
            self._view.sync_size()
            self.refresh()

    def _install(self, entries: Entries, keep: bool) -> None:
        view = self._view
        cursor = self.highlighted
        item = self.entries.ids[cursor] if cursor is not None and keep else None
        row = view.heights.top(cursor) - view.top_line if cursor is not None else 0
        row = clamp(row, 0, view.page - 1)
        self.entries = entries
        self.generation += 1
        view.forget(len(entries))
        position = entries.index_of(item)
        with view.moving():
            if view.sized:
                view.reset()
                view.scroll_to(0)
                if position is not None:
                    view.place(position, row)  # the same entry, on the same row
            else:
                self.scroll_y = 0
            if position is None:
                position = 0 if entries else None
            self.set_reactive(VirtualList.highlighted, position)
        self.refresh()
        view.settle()
        if position is not None:
            view.show(position)
            if position != cursor or item is None or entries.ids[position] != item:
                self.post_message(self.Highlighted(self, position))

    def scroll_to_index(self, index: int, *, top: bool = False) -> None:
        """Bring entry ``index`` into view (to the top with ``top``), measured first."""
        self._view.show(index, top=top)

    @property
    def cursor_row(self) -> int | None:
        """Lines between the top of the view and the top of the entry under the cursor."""
        cursor = self.highlighted
        if cursor is None or not self._view.sized:
            return None
        return self.heights.top(cursor) - self._view.top_line

    def show_at_row(self, index: int, row: int) -> None:
        """Put entry ``index`` ``row`` lines below the top of the view (clamped to the
        view): a place the reader comes back to, shown as it was left."""
        view = self._view
        if not view.sized or not 0 <= index < len(self.entries):
            return
        with view.moving():
            view.place(index, clamp(row, 0, max(view.page - 1, 0)))
        self.refresh()
        view.settle()

    # ---- Textual's hooks

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if not self._view.adjusting:
            self._view.settle()

    def _on_resize(self, event: events.Resize) -> None:
        self._view.settle()
        self.on_show()

    def on_show(self) -> None:
        if self.highlighted is not None:
            self._view.show(self.highlighted)

    def notify_style_update(self) -> None:
        """Lines drawn in the old look stay kept beside the new ones: a focus moving
        away and back (every pane key) finds them drawn already."""
        super().notify_style_update()
        self._look = None  # read again when a line is next drawn, not at every restyle
        self._placeholder.forget()
        self.refresh()

    def _current_look(self) -> tuple[object, ...]:
        """Everything an entry's lines are drawn with besides their own style and width:
        the component styles its spans name, and the theme."""
        look: list[object] = [self.app.theme]
        for name in sorted(self.COMPONENT_CLASSES):
            try:
                look.append(self.get_visual_style(name))
            except KeyError:  # a component class no rule styles
                look.append(None)
        return tuple(look)

    def strip_key(self, style: Style, width: int) -> Hashable:
        """What an entry's lines drawn in ``style`` at ``width`` are kept under now."""
        if self._look is None:
            self._look = self._current_look()
        return (style, width, self._look)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.heights.total if self.entries else self.placeholder_height(width)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._view.settle()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if not self.entries:
            strips = self._placeholder_strips(width)
            return strips[y] if y < len(strips) else Strip.blank(width, self.rich_style)
        heights = self.heights
        line = self.scroll_offset.y + y
        if line >= heights.total:
            return Strip.blank(width, self.get_visual_style(ENTRY).rich_style)
        index, offset = heights.locate(line)
        if index == self.highlighted:
            style = self.get_visual_style(ENTRY, CURSOR)
        elif index == self._hover:
            style = self.get_visual_style(ENTRY, HOVER)
        else:
            style = self.get_visual_style(ENTRY)

        def render(visual: Visual) -> list[Strip]:
            return draw(self, visual, style, width, index)

        strips = self.entries.strips(self, index, self.strip_key(style, width), render)
        return strips[offset] if offset < len(strips) else Strip.blank(width, style.rich_style)

    def placeholder_height(self, width: int | None = None) -> int:
        """Lines the placeholder takes at ``width`` (the list's own by default)."""
        return len(self._placeholder_strips(width))

    def _placeholder_strips(self, width: int | None = None) -> list[Strip]:
        width = self.scrollable_content_region.width if width is None else width
        return self._placeholder.strips(self, self.placeholder, width)
