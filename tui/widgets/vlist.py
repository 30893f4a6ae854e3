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
  messages) shows their text as ``placeholder`` instead; ``placeholder`` may be set
  directly too.
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

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import ClassVar, cast

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size, Spacing, clamp
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, Visual, VisualType
from textual.widgets.option_list import Option

from tui.keys import bindings
from tui.widgets.vlist_entries import Entries, EntryBuilder, OptionView, from_options
from tui.widgets.vlist_heights import HeightMap

ENTRY = "option-list--option"
CURSOR = "option-list--option-highlighted"
HOVER = "option-list--option-hover"
DISABLED = "option-list--option-disabled"


class VirtualList(ScrollView, can_focus=True):
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

    SAMPLE: ClassVar[int] = 32
    """Entries measured, spread over the list, to estimate the height of the rest."""

    highlighted: reactive[int | None] = reactive(None)
    """The position of the entry under the cursor, or None when the list is empty."""

    placeholder: reactive[str] = reactive("")
    """What an empty list says (plain text, never markup)."""

    marks: reactive[frozenset[str]] = reactive(frozenset())
    """Ids of the entries drawn marked (handed to the builder as ``marked``)."""

    _hover: reactive[int | None] = reactive(None)

    class EntryMessage(Message):
        """About one entry: its position, its id, and the list it was in."""

        def __init__(self, virtual_list: VirtualList, index: int) -> None:
            super().__init__()
            entries = virtual_list._entries
            self.virtual_list = virtual_list
            self.index = index
            self.item_id = entries.ids[index]
            self.option = entries.options[index] if entries.options is not None else None
            """The Option at ``index`` when the list was filled with Options."""
            self.generation = virtual_list.generation

        @property
        def control(self) -> VirtualList:
            return self.virtual_list

        @property
        def option_index(self) -> int:
            return self.index

        @property
        def option_id(self) -> str | None:
            return self.item_id

    class Highlighted(EntryMessage):
        """The cursor moved to an entry."""

    class Selected(EntryMessage):
        """Enter (or a click) chose the entry under the cursor."""

    OptionHighlighted = Highlighted
    OptionSelected = Selected

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
        self._entries: Entries = from_options([])
        self._heights = HeightMap(0, 1.0)
        self._key: tuple[int, Spacing] | None = None
        self._adjusting = False
        self._placeholder: tuple[tuple[str, Style, int], list[Strip]] | None = None
        self.generation = 0
        """Counts the lists shown: a message from an older list is stale."""
        self.set_reactive(VirtualList.placeholder, placeholder)

    # ---- what the list holds

    @property
    def option_count(self) -> int:
        return len(self._entries)

    @property
    def options(self) -> Sequence[Option]:
        """The entries as Options (built on access when the list was given a builder)."""
        entries = self._entries
        return entries.options if entries.options is not None else OptionView(self, entries)

    @property
    def heights(self) -> HeightMap:
        """Entry heights, measured and estimated (read-only use)."""
        return self._heights

    def get_option_at_index(self, index: int) -> Option:
        return self.options[index]

    def get_option_index(self, option_id: str) -> int:
        index = self._entries.index_of(option_id)
        if index is None:
            raise KeyError(option_id)
        return index

    def is_current(self, message: EntryMessage) -> bool:
        """Whether ``message`` was posted about the list as it is now shown."""
        return message.generation == self.generation

    def set_options(self, options: Iterable[Option | VisualType], *, keep: bool = True) -> None:
        """Show these Options (OptionList's way in; every prompt is built by the caller)."""
        given = [o if isinstance(o, Option) else Option(o) for o in options]
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
        self._entries.put(self, index, prompt)
        self._remeasure([index])

    def refresh_entries(self, indexes: Iterable[int]) -> None:
        """Build these entries again (their facts changed), keeping cursor and scroll."""
        positions = [i for i in indexes if 0 <= i < len(self._entries)]
        for index in positions:
            self._entries.forget(index)
        self._remeasure(positions)

    def watch_marks(self, old: frozenset[str], new: frozenset[str]) -> None:
        entries = self._entries
        entries.marks = new
        changed = (entries.index_of(item_id) for item_id in old ^ new)
        self.refresh_entries(i for i in changed if i is not None)

    def watch_placeholder(self) -> None:
        if not self._entries:
            self._sync_size()
            self.refresh()

    def _install(self, entries: Entries, keep: bool) -> None:
        old = self._entries
        cursor = self.highlighted
        item = old.ids[cursor] if cursor is not None and keep else None
        row = self._heights.top(cursor) - round(self.scroll_y) if cursor is not None else 0
        self._entries = entries
        self.generation += 1
        self._key = None
        position = entries.index_of(item) if item is not None else None
        self._adjusting = True
        try:
            if self._sized:
                self._reset()
                y = 0 if position is None else self._heights.top(position) - row
                self.scroll_target_y = self.scroll_y = clamp(y, 0, self.max_scroll_y)
            else:
                self._heights = HeightMap(len(entries), 1.0)
                self.scroll_y = 0
            if position is None:
                position = 0 if entries else None
            moved = position != cursor or item is None
            self.set_reactive(VirtualList.highlighted, position)
        finally:
            self._adjusting = False
        self.refresh()
        if self._sized:
            self._settle()
            if position is not None:
                self.scroll_to_index(position)
        if position is not None and moved:
            self.post_message(self.Highlighted(self, position))

    # ---- measuring

    @property
    def _sized(self) -> bool:
        return self.scrollable_content_region.width > 0

    def _measure_key(self) -> tuple[int, Spacing]:
        """The width entries wrap at (and their padding): a change measures them anew."""
        region = self.scrollable_content_region
        width = region.width
        if (
            not self.show_vertical_scrollbar
            and self.styles.overflow_y == "auto"
            and len(self._entries) > region.height
        ):
            # Every entry takes a line at least, so the scrollbar is about to show.
            width -= self.styles.scrollbar_size_vertical
        return width, self.get_component_styles(ENTRY).padding

    def _height_of(self, index: int) -> int:
        assert self._key is not None
        width, pad = self._key
        visual = self._entries.visual(self, index)
        rules = cast(RulesMap, self.styles)
        return visual.get_height(rules, max(1, width - pad.width)) + pad.height

    def _reset(self) -> None:
        """Heights for a new list or width: a sample's mean for all, the sample's own."""
        for _ in range(2):  # showing the scrollbar narrows the list once
            key = self._measure_key()
            if key == self._key:
                return
            self._key = key
            count = len(self._entries)
            sample = sorted({i * count // self.SAMPLE for i in range(min(count, self.SAMPLE))})
            measured = {i: self._height_of(i) for i in sample}
            mean = sum(measured.values()) / len(measured) if measured else 1.0
            self._heights = HeightMap(count, mean)
            for index, height in measured.items():
                self._heights.set(index, height)
            self._sync_size()

    def _sync_size(self) -> None:
        lines = self._heights.total if self._entries else len(self._placeholder_strips())
        size = Size(self.scrollable_content_region.width, lines)
        if size != self.virtual_size:
            adjusting, self._adjusting = self._adjusting, True
            try:
                self.virtual_size = size
                self._scroll_update(size)
            finally:
                self._adjusting = adjusting

    @contextmanager
    def _view_kept(self) -> Iterator[None]:
        """Keep the top line's entry (or the end of the list) where it is on screen."""
        y = round(self.scroll_y)
        at_end = 0 < y >= self.max_scroll_y
        index, offset = self._heights.locate(y)
        yield
        self._sync_size()
        heights = self._heights
        if at_end:
            target = self.max_scroll_y
        else:
            target = heights.top(index) + min(offset, heights.height(index) - 1)
        self._scroll_quietly(target)

    def _scroll_quietly(self, y: int) -> None:
        y = clamp(y, 0, self.max_scroll_y)
        if y != round(self.scroll_y):
            adjusting, self._adjusting = self._adjusting, True
            try:
                self.scroll_target_y = self.scroll_y = y
            finally:
                self._adjusting = adjusting

    def _measure_from(self, index: int, direction: int, lines: int) -> None:
        """Measure from ``index`` on in ``direction`` until ``lines`` lines are covered."""
        heights = self._heights
        covered = 0
        while 0 <= index < heights.count and covered < lines:
            if not heights.is_measured(index):
                heights.set(index, self._height_of(index))
            covered += heights.height(index)
            index += direction

    def _remeasure(self, indexes: list[int]) -> None:
        if self._sized and self._key == self._measure_key():
            heights = self._heights
            with self._view_kept():
                for index in indexes:
                    if heights.is_measured(index):
                        heights.set(index, self._height_of(index))
        self.refresh()

    def _settle(self) -> None:
        """Measure what is on screen plus a page each side, keeping the view still."""
        if not self._entries or not self._sized:
            return
        if self._key != self._measure_key():
            top = self._heights.locate(round(self.scroll_y))[0]
            self._reset()
            self._scroll_quietly(self._heights.top(top))
        page = max(1, self.scrollable_content_region.height)
        first, offset = self._heights.locate(round(self.scroll_y))
        with self._view_kept():
            self._measure_from(first, 1, offset + 2 * page)
            self._measure_from(first - 1, -1, page)

    def scroll_to_index(self, index: int, *, top: bool = False) -> None:
        """Bring entry ``index`` into view (to the top with ``top``), measured first."""
        if not self._sized or not 0 <= index < len(self._entries):
            return
        page = max(1, self.scrollable_content_region.height)
        with self._view_kept():
            self._measure_from(index, 1, page)
            self._measure_from(index - 1, -1, page)
        first = self._heights.top(index)
        last = first + self._heights.height(index)
        y = round(self.scroll_y)
        if top or first < y:
            y = first
        elif last > y + page:
            y = max(first if last - first > page else last - page, 0)
        self._scroll_quietly(y)
        self._settle()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if not self._adjusting:
            self._settle()

    def _on_resize(self, event: events.Resize) -> None:
        self._settle()
        if self.highlighted is not None:
            self.scroll_to_index(self.highlighted)

    def on_show(self) -> None:
        if self.highlighted is not None:
            self.scroll_to_index(self.highlighted)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._entries.forget_strips()
        self._placeholder = None
        self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._heights.total if self._entries else len(self._placeholder_strips(width))

    # ---- drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        self._settle()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if not self._entries:
            strips = self._placeholder_strips()
            return strips[y] if y < len(strips) else Strip.blank(width, self.rich_style)
        line = self.scroll_offset.y + y
        if line >= self._heights.total:
            return Strip.blank(width, self.get_visual_style(ENTRY).rich_style)
        index, offset = self._heights.locate(line)
        if index == self.highlighted:
            style = self.get_visual_style(ENTRY, CURSOR)
        elif index == self._hover:
            style = self.get_visual_style(ENTRY, HOVER)
        else:
            style = self.get_visual_style(ENTRY)

        def render(visual: Visual) -> list[Strip]:
            return self._draw(visual, style, width, {"option": index})

        strips = self._entries.strips(self, index, (style, width), render)
        if offset < len(strips):
            return strips[offset]
        return Strip.blank(width, style.rich_style)

    def _draw(self, visual: Visual, style: Style, width: int, meta: dict[str, int]) -> list[Strip]:
        padding = self.get_component_styles(ENTRY).padding
        if padding:
            visual = Padding(visual, padding)
        strips = Visual.to_strips(self, visual, width, None, style)
        return [s.extend_cell_length(width, style.rich_style).apply_meta(meta) for s in strips]

    def _placeholder_strips(self, width: int | None = None) -> list[Strip]:
        width = self.scrollable_content_region.width if width is None else width
        if not self.placeholder or width < 1:
            return []
        style = self.get_visual_style(ENTRY, DISABLED)
        key = (self.placeholder, style, width)
        if self._placeholder is None or self._placeholder[0] != key:
            lines = self._draw(Content(self.placeholder), style, width, {})
            self._placeholder = (key, lines)
        return self._placeholder[1]

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self.refresh()
        if new is not None and not self._adjusting:
            self.scroll_to_index(new)
            self.post_message(self.Highlighted(self, new))

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self._entries:
            return None
        return clamp(value, 0, len(self._entries) - 1)

    def watch__hover(self) -> None:
        self.refresh()

    # ---- keys and the mouse

    def action_cursor_down(self) -> None:
        if self._entries:
            current = self.highlighted
            self.highlighted = 0 if current is None else current + 1

    def action_cursor_up(self) -> None:
        if self._entries:
            current = self.highlighted
            self.highlighted = 0 if current is None else current - 1

    def action_go_top(self) -> None:
        if self._entries:
            self.highlighted = 0

    def action_go_bottom(self) -> None:
        if self._entries:
            self.highlighted = len(self._entries) - 1

    action_first = action_go_top
    action_last = action_go_bottom

    def _move_page(self, direction: int) -> None:
        if not self._entries:
            return
        current = self.highlighted or 0
        page = max(1, self.scrollable_content_region.height)
        target = self._heights.locate(self._heights.top(current) + direction * page)[0]
        self.highlighted = target

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_select(self) -> None:
        """Post ``Selected`` for the entry under the cursor."""
        if self.highlighted is not None and self._entries:
            self.post_message(self.Selected(self, self.highlighted))

    async def _on_click(self, event: events.Click) -> None:
        clicked = event.style.meta.get("option")
        if isinstance(clicked, int) and 0 <= clicked < len(self._entries):
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
