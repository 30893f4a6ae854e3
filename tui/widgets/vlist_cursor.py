"""The virtual list's cursor: which entry it is on, and the keys and the mouse that move it.

The cursor is the one part of a list the reader changes; measuring and drawing only
follow it.  Kept apart, its moves read as a whole, and a list that moves differently (the
Full text list reads like a pager: :mod:`tui.widgets.fulltext_pager`) overrides these
moves without touching how entries are built, measured or drawn.
"""

from __future__ import annotations

from textual import events
from textual.geometry import clamp
from textual.reactive import reactive

from tui.widgets import vlist_messages
from tui.widgets.vlist_base import ListBase
from tui.widgets.vlist_view import View


class ListCursor(ListBase):
    """A cursor over a virtual list's entries, moved by keys and the mouse."""

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """The position of the entry under the cursor, or None when the list is empty."""

    _hover: reactive[int | None] = reactive(None)

    EntryMessage = vlist_messages.EntryMessage
    Highlighted = vlist_messages.Highlighted
    Selected = vlist_messages.Selected

    _view: View
    """The list's measuring view (made by the list)."""

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
        heights = self._view.heights
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
            heights, current = self._view.heights, self.highlighted or 0
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
