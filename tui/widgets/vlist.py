"""A list that builds and measures only the entries on screen, for lists of any length.

Textual's OptionList builds and wraps every option when it is filled (about 90 µs a
reference: 2 s for 20,000).  This list asks for an entry only when it is about to show
it: it measures the entries in view plus a page either side, gives every other entry a
height estimated from a small sample, and corrects an estimate when its entry comes into
view.  A correction above the top line moves the scroll position by the same amount, so
the lines on screen, the cursor and the scrollbar stay where they were.

It speaks OptionList's dialect, so a pane switches over by changing the base class:

* ``PaperList(OptionList)`` becomes ``PaperList(VirtualList)``; its bindings and
  component classes stay, and so do the ``.option-list--*`` rules of the stylesheet.
* ``set_options``, ``options``, ``option_count``, ``highlighted``,
  ``get_option_at_index``, ``replace_option_prompt_at_index`` and ``action_select``
  work as before.  ``set_options`` keeps the highlighted item (by option id) when the
  new list still holds it, at the same row; ``keep=False`` starts at the top.
* A list made only of disabled options (the panes' "Loading…" / "No reference matches"
  messages) shows their text as ``placeholder`` instead; any other ``set_options``
  puts back the constructor's ``placeholder`` ("" unless given).
* ``VirtualList.Selected`` / ``Highlighted`` (also named ``OptionSelected`` /
  ``OptionHighlighted``) carry ``index`` and ``item_id`` (also ``option_index`` and
  ``option_id``); ``@on(OptionList.OptionSelected, ...)`` becomes
  ``@on(VirtualList.Selected, ...)``.  ``is_current(message)`` says whether a message
  still belongs to the list as shown.

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
from textual.visual import Visual, VisualType
from textual.widgets.option_list import Option

from tui.keys import bindings
from tui.widgets import vlist_messages
from tui.widgets.vlist_base import ListBase
from tui.widgets.vlist_entries import (
    DISABLED,
    ENTRY,
    Entries,
    EntryBuilder,
    OptionView,
    Placeholder,
    draw,
    from_options,
)
from tui.widgets.vlist_heights import HeightMap
from tui.widgets.vlist_view import View

CURSOR = "option-list--option-highlighted"
HOVER = "option-list--option-hover"


class VirtualList(ListBase, can_focus=True):
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

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """The position of the entry under the cursor, or None when the list is empty."""

    placeholder: reactive[str] = reactive("")
    """What an empty list says (plain text, never markup)."""

    marks: reactive[frozenset[str]] = reactive(frozenset())
    """Ids of the entries drawn marked (handed to the builder as ``marked``)."""

    _hover: reactive[int | None] = reactive(None)

    EntryMessage = vlist_messages.EntryMessage
    Highlighted = OptionHighlighted = vlist_messages.Highlighted
    Selected = OptionSelected = vlist_messages.Selected

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
    def option_count(self) -> int:
        return len(self.entries)

    @property
    def options(self) -> Sequence[Option]:
        """The entries as Options (built on access when the list was given a builder)."""
        entries = self.entries
        return entries.options if entries.options is not None else OptionView(self, entries)

    @property
    def heights(self) -> HeightMap:
        """Entry heights, measured and estimated (read them; the list writes them)."""
        return self._view.heights

    @property
    def highlighted_id(self) -> str | None:
        """The id of the entry under the cursor."""
        cursor = self.highlighted
        return None if cursor is None else self.entries.ids[cursor]

    @property
    def highlighted_option(self) -> Option | None:
        cursor = self.highlighted
        return None if cursor is None else self.options[cursor]

    def get_option_at_index(self, index: int) -> Option:
        return self.options[index]

    def get_option_index(self, option_id: str) -> int:
        index = self.entries.index_of(option_id)
        if index is None:
            raise KeyError(option_id)
        return index

    def is_current(self, message: vlist_messages.EntryMessage) -> bool:
        """Whether ``message`` was posted about the list as it is now shown."""
        return message.generation == self.generation

    def set_options(self, options: Iterable[Option | VisualType], *, keep: bool = True) -> None:
        """Show these Options (OptionList's way in; every prompt is built by the caller)."""
        given = [o if isinstance(o, Option) else Option(o) for o in options]
        # OptionList shows nothing for no options: only disabled ones say something.
        self.placeholder = self._placeholder_given
        if given and all(o.disabled for o in given):
            self.placeholder = "\n".join(_plain(o.prompt) for o in given)
            given = []
        self._install(from_options(given, self.marks), keep)

    def clear_options(self) -> None:
        self.set_options([])

    def set_entries(
        self, ids: Sequence[str | None], build: EntryBuilder, *, keep: bool = True
    ) -> None:
        """Show ``len(ids)`` entries, each built by ``build(position, marked)`` when needed."""
        self._install(Entries(ids, build, self.marks), keep)

    def replace_option_prompt_at_index(self, index: int, prompt: VisualType) -> None:
        """Show ``prompt`` as entry ``index``: cursor and lines on screen stay put."""
        self.entries.put(self, index, prompt)
        self._view.remeasure([index])
        self.refresh()

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

    # ---- the cursor, keys and the mouse

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.entries:
            return None
        return clamp(value, 0, len(self.entries) - 1)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        # Only the two entries' lines are drawn again (a scroll redraws the whole view
        # by itself): a held key then costs two entries a frame, not a screenful.
        self._refresh_entry(old)
        if new is not None and not self._view.adjusting:
            self._view.show(new)
            self.post_message(self.Highlighted(self, new))
        self._refresh_entry(new)

    def _refresh_entry(self, index: int | None) -> None:
        """Draw again the lines of entry ``index`` (all of the list if it is not shown)."""
        heights = self.heights
        if index is None or not self._view.sized or not 0 <= index < heights.count:
            self.refresh()
            return
        self.refresh_lines(heights.top(index), heights.height(index))

    def _step(self, delta: int) -> None:
        if self.entries:
            current = self.highlighted
            self.highlighted = 0 if current is None else current + delta

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_go_top(self) -> None:
        if self.entries:
            self.highlighted = 0

    def action_go_bottom(self) -> None:
        if self.entries:
            self.highlighted = len(self.entries) - 1

    action_first = action_go_top
    action_last = action_go_bottom

    def _move_page(self, direction: int) -> None:
        if self.entries:
            heights, current = self.heights, self.highlighted or 0
            line = heights.top(current) + direction * self._view.page
            self.highlighted = heights.locate(line)[0]

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_select(self) -> None:
        """Post ``Selected`` for the entry under the cursor."""
        if self.highlighted is not None and self.entries:
            self.post_message(self.Selected(self, self.highlighted))

    async def _on_click(self, event: events.Click) -> None:
        clicked = event.style.meta.get("option")
        if isinstance(clicked, int) and 0 <= clicked < len(self.entries):
            self.highlighted = clicked
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        hover = event.style.meta.get("option")
        self._hover = hover if isinstance(hover, int) else None

    def _on_leave(self, _: events.Leave) -> None:
        self._hover = None


def _plain(prompt: VisualType) -> str:
    """A disabled option's text, for the placeholder."""
    plain = getattr(prompt, "plain", None)
    return plain if isinstance(plain, str) else str(prompt)
