"""OptionList's dialect, as the virtual list speaks it, so a pane switches over by its base class.

The list's own way in is a builder (``set_entries``); the panes and screens were written
against Textual's OptionList, and this layer lets them keep their calls.  Kept apart, the
list reads in its own terms, and every promise made to OptionList's callers is in one
place:

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
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.visual import VisualType
from textual.widgets.option_list import Option

from tui.widgets import vlist_messages
from tui.widgets.vlist_cursor import ListCursor
from tui.widgets.vlist_entries import Entries, OptionView, from_options


class OptionListDialect(ListCursor):
    """The calls and messages of an OptionList, over a virtual list's entries."""

    OptionHighlighted = vlist_messages.Highlighted
    OptionSelected = vlist_messages.Selected

    placeholder: str
    """What an empty list says (the list's reactive)."""

    marks: frozenset[str]
    """Ids of the entries drawn marked (the list's reactive)."""

    _placeholder_given: str
    """The constructor's placeholder, put back by every ``set_options``."""

    def _install(self, entries: Entries, keep: bool) -> None:
        """Show ``entries`` (the list's own; ``keep``: the highlighted item stays put)."""
        raise NotImplementedError

    @property
    def option_count(self) -> int:
        return len(self.entries)

    @property
    def options(self) -> Sequence[Option]:
        """The entries as Options (built on access when the list was given a builder)."""
        entries = self.entries
        return entries.options if entries.options is not None else OptionView(self, entries)

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

    def replace_option_prompt_at_index(self, index: int, prompt: VisualType) -> None:
        """Show ``prompt`` as entry ``index``: cursor and lines on screen stay put."""
        self.entries.put(self, index, prompt)
        self._view.remeasure([index])
        self.refresh()


def _plain(prompt: VisualType) -> str:
    """A disabled option's text, for the placeholder."""
    plain = getattr(prompt, "plain", None)
    return plain if isinstance(plain, str) else str(prompt)
