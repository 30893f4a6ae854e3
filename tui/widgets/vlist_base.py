"""What a virtual list's measuring view and its messages read of the list.

The view and the messages are the list's own parts, yet the list builds both; typing
them against this small base instead of the widget keeps the modules free of an import
cycle while mypy still checks every attribute they touch.
"""

from __future__ import annotations

from typing import ClassVar

from textual.scroll_view import ScrollView

from tui.widgets.vlist_entries import Entries


class ListBase(ScrollView):
    """The entries shown, which list of them, and how many to measure up front."""

    SAMPLE: ClassVar[int] = 32
    """Entries measured, spread over the list, to estimate the height of the rest."""

    EXACT: ClassVar[int] = 100
    """Lists this short are measured whole (a few milliseconds): an exact scrollbar."""

    entries: Entries
    """What the list shows."""

    generation: int
    """Counts the lists shown: a message from an older list is stale."""

    def placeholder_height(self, width: int | None = None) -> int:
        """Lines the empty-list text takes at ``width`` (the list's own by default)."""
        raise NotImplementedError
