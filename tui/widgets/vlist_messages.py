"""What a virtual list tells its pane: the cursor moved, or an entry was chosen.

Named and shaped like OptionList's messages (``option_index``, ``option_id``, ``control``)
so a pane's handlers read the same; ``generation`` lets a pane drop a message that was
posted about a list it has since replaced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from tui.widgets.vlist_base import ListBase


class EntryMessage(Message, namespace="virtual_list"):
    """About one entry: its position, its id, and which list it was in."""

    def __init__(self, virtual_list: ListBase, index: int) -> None:
        super().__init__()
        entries = virtual_list.entries
        self.virtual_list = virtual_list
        self.index = index
        """The entry's position in the list as shown."""
        self.item_id = entries.ids[index]
        """The entry's id (an option id), if it was given one."""
        self.option: Option | None = entries.options[index] if entries.options else None
        """The Option at ``index`` when the list was filled with Options."""
        self.generation = virtual_list.generation
        """Which of the lists shown by this widget the message is about."""

    @property
    def control(self) -> ListBase:
        return self.virtual_list

    @property
    def option_index(self) -> int:
        return self.index

    @property
    def option_id(self) -> str | None:
        return self.item_id


class Highlighted(EntryMessage, namespace="virtual_list"):
    """The cursor moved to an entry (``on_virtual_list_highlighted``)."""


class Selected(EntryMessage, namespace="virtual_list"):
    """Enter or a click chose the entry under the cursor (``on_virtual_list_selected``)."""
