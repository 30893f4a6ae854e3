"""Where a virtual list's view stands, and which of its entries have been measured.

Entries are measured at one width (and padding); a new width measures them anew.  Every
measure that changes a height above the top line moves the scroll position by the same
amount, so what is on screen stays on screen: the view is anchored to the entry at its
top line (or to the end of the list, when it is scrolled to the end).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from textual.css.styles import RulesMap
from textual.geometry import Size, Spacing, clamp
from textual.widget import Widget

from tui.widgets.vlist_base import ListBase
from tui.widgets.vlist_entries import ENTRY
from tui.widgets.vlist_heights import HeightMap


class View:
    """The measuring and scrolling half of a VirtualList (the widget draws and listens)."""

    def __init__(self, widget: ListBase) -> None:
        self.widget = widget
        self.heights = HeightMap(0, 1.0)
        self.key: tuple[int, Spacing] | None = None
        """The width and padding the heights were measured at (None: not yet)."""
        self.adjusting = False
        """True while the view moves itself, so that the move is not measured again."""

    @property
    def sized(self) -> bool:
        """Whether the list has been laid out (nothing can be measured before)."""
        return self.widget.scrollable_content_region.width > 0

    @property
    def page(self) -> int:
        return max(1, self.widget.scrollable_content_region.height)

    @property
    def top_line(self) -> int:
        return round(self.widget.scroll_y)

    def current_key(self) -> tuple[int, Spacing]:
        """The width entries wrap at now, and their padding."""
        widget = self.widget
        region = widget.scrollable_content_region
        width = region.width
        if (
            not widget.show_vertical_scrollbar
            and widget.styles.overflow_y == "auto"
            and len(widget.entries) > region.height
        ):
            # Every entry takes a line at least, so the scrollbar is about to show.
            width -= widget.styles.scrollbar_size_vertical
        return width, widget.get_component_styles(ENTRY).padding

    def height_of(self, index: int) -> int:
        """Entry ``index`` measured at the current key (built if need be)."""
        assert self.key is not None
        width, pad = self.key
        widget = self.widget
        visual = widget.entries.visual(widget, index)
        rules = cast(RulesMap, widget.styles)
        return visual.get_height(rules, max(1, width - pad.width)) + pad.height

    def forget(self, count: int) -> None:
        """A new list of ``count`` entries, measured when the list is next laid out."""
        self.key = None
        self.heights = HeightMap(count, 1.0)

    def reset(self) -> None:
        """Heights for a new list or width: a sample's mean for all, the sample's own."""
        for _ in range(2):  # showing the scrollbar narrows the list once
            key = self.current_key()
            if key == self.key:
                return
            self.key = key
            count = len(self.widget.entries)
            samples = count if count <= self.widget.EXACT else self.widget.SAMPLE
            sample = sorted({i * count // samples for i in range(samples)})
            measured = {i: self.height_of(i) for i in sample}
            mean = sum(measured.values()) / len(measured) if measured else 1.0
            self.heights = HeightMap(count, mean)
            for index, height in measured.items():
                self.heights.set(index, height)
            self.sync_size()

    def sync_size(self) -> None:
        """Tell Textual the list's height (the scrollbar follows).

        The list is as tall as its lines up to its ``max-height``: while both the old
        and the new height overflow the list's box, the box keeps its size, and laying
        the whole screen out again (Textual's default for a new virtual size) would
        only repeat the last layout; the list and its scrollbar are repainted instead.
        """
        widget = self.widget
        lines = self.heights.total if widget.entries else widget.placeholder_height()
        size = Size(widget.scrollable_content_region.width, lines)
        old = widget.virtual_size
        if size != old:
            box = widget.scrollable_content_region.height
            with self.moving():
                if self.sized and old.width == size.width and old.height > box <= lines:
                    widget.set_reactive(Widget.virtual_size, size)
                    widget.refresh()
                else:
                    widget.virtual_size = size
                widget._scroll_update(size)

    @contextmanager
    def moving(self) -> Iterator[None]:
        """Scroll changes made inside are the view's own: they measure nothing."""
        adjusting, self.adjusting = self.adjusting, True
        try:
            yield
        finally:
            self.adjusting = adjusting

    @contextmanager
    def kept(self) -> Iterator[None]:
        """Keep the top line's entry (or the end of the list) where it is on screen."""
        widget = self.widget
        y = self.top_line
        at_end = 0 < y >= widget.max_scroll_y
        index, offset = self.heights.locate(y)
        yield
        self.sync_size()
        heights = self.heights
        if not heights.count:
            return
        if at_end:
            target = widget.max_scroll_y
        else:
            target = heights.top(index) + min(offset, heights.height(index) - 1)
        self.scroll_to(target)

    def scroll_to(self, y: int) -> None:
        """Move the view to line ``y`` at once, measuring nothing."""
        widget = self.widget
        y = clamp(y, 0, widget.max_scroll_y)
        if y != self.top_line:
            with self.moving():
                widget.scroll_target_y = widget.scroll_y = y

    def measure_from(self, index: int, direction: int, lines: int) -> None:
        """Measure from ``index`` on in ``direction`` until ``lines`` lines are covered."""
        heights = self.heights
        covered = 0
        while 0 <= index < heights.count and covered < lines:
            if not heights.is_measured(index):
                heights.set(index, self.height_of(index))
            covered += heights.height(index)
            index += direction

    def remeasure(self, indexes: list[int]) -> None:
        """Measure again the entries among these that were measured (they changed)."""
        if indexes and self.sized and self.key == self.current_key():
            heights = self.heights
            with self.kept():
                for index in indexes:
                    if heights.is_measured(index):
                        heights.set(index, self.height_of(index))

    def place(self, position: int, row: int) -> None:
        """Show entry ``position`` on screen row ``row`` (a new list keeping its cursor)."""
        self.measure_from(position, 1, self.page)
        self.measure_from(position - 1, -1, row + self.page)
        self.scroll_to(self.heights.top(position) - row)

    def settle(self) -> None:
        """Measure what is on screen plus a page each side, keeping the view still."""
        if not self.widget.entries or not self.sized:
            return
        if self.key != self.current_key():
            top = self.heights.locate(self.top_line)[0]
            self.reset()
            self.scroll_to(self.heights.top(top))
        first, offset = self.heights.locate(self.top_line)
        with self.kept():
            self.measure_from(first, 1, offset + 2 * self.page)
            self.measure_from(first - 1, -1, self.page)

    def show(self, index: int, *, top: bool = False) -> None:
        """Bring entry ``index`` into view (to the top with ``top``), measured first."""
        if not self.sized or not 0 <= index < len(self.widget.entries):
            return
        page = self.page
        with self.kept():
            self.measure_from(index, 1, page)
            self.measure_from(index - 1, -1, page)
        first = self.heights.top(index)
        last = first + self.heights.height(index)
        y = self.top_line
        if top or first < y:
            y = first
        elif last > y + page:
            y = first if last - first > page else last - page
        self.scroll_to(y)
        self.settle()
