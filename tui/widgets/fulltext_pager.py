"""The Full text list's keys, read like a pager: a line at a time through a long block.

A review's paragraphs run to twenty lines and more, so moving block by block would jump
past text never seen: ``j`` / ``k`` scroll a line while the block under the cursor runs
on beyond the screen and only then move to the next block, and a page moves the view a
page of lines with the cursor on the block at its top.  These moves are where the text
list departs from the virtual list's cursor; kept apart from what the list shows
(blocks, citations, matches) they read as one set of rules, and every one of them drops
the current citation the same way.
"""

from __future__ import annotations

from tui.widgets.vlist import VirtualList


class PagerKeys(VirtualList):
    """Cursor moves of a list whose entries may be taller than the screen."""

    cite: int | None
    """Index into the cursor block's ``all_cites()`` of the current citation."""

    def _show_current(self) -> None:
        """Build again the blocks whose current citation changed (the text list's own)."""
        raise NotImplementedError

    def _entry_lines(self, block: int) -> tuple[int, int]:
        top = self.heights.top(block)
        return top, top + self.heights.height(block)

    def action_cursor_down(self) -> None:
        block = self.highlighted
        if block is not None:
            _, bottom = self._entry_lines(block)
            if bottom > self.scroll_offset.y + self._view.page:
                self._view.scroll_to(self.scroll_offset.y + 1)
                self._view.settle()
                return
        self._move_cursor(1)

    def action_cursor_up(self) -> None:
        block = self.highlighted
        if block is not None:
            top, _ = self._entry_lines(block)
            if top < self.scroll_offset.y:
                self._view.scroll_to(self.scroll_offset.y - 1)
                self._view.settle()
                return
        self._move_cursor(-1)

    def _move_cursor(self, delta: int) -> None:
        self.cite = None
        super()._step(delta)
        self._show_current()

    def _move_page(self, direction: int) -> None:
        """A page of lines at a time, the cursor on the block at the top of the view."""
        if not self.entries:
            return
        page = self._view.page
        self._view.scroll_to(max(0, self.scroll_offset.y + direction * max(1, page - 1)))
        self._view.settle()
        block, _ = self.heights.locate(self.scroll_offset.y)
        self.cite = None
        with self._view.moving():
            self.set_reactive(VirtualList.highlighted, block)
        self.post_message(self.Highlighted(self, block))
        self._show_current()

    def action_go_top(self) -> None:
        self._jump_end(0)

    def action_go_bottom(self) -> None:
        self._jump_end(len(self.entries) - 1)

    def _jump_end(self, block: int) -> None:
        if self.entries:
            self.cite = None
            self.highlighted = block
            self._show_current()
