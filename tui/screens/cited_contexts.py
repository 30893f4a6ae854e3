"""Where the text cites one reference: its citing sentences, each under its section.

"Why is this paper cited here?" asked from the References pane: ``w`` on an entry lists
the sentences of the review's full text that cite it, and enter answers with the one
chosen, so the reader can jump to that place in the Full text pane (``b`` comes back to
the References pane).  Escape closes it without jumping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.visual import VisualType

from tui.data.fulltext_model import Block, Context
from tui.keys import bindings, spec
from tui.widgets import vlist_messages
from tui.widgets.entries import times
from tui.widgets.fulltext_cited import CitedList, context_entry

if TYPE_CHECKING:
    from tui.screens.fulltext_reader import FullTextReader

HINT = "enter jumps into the text · escape closes"
NONE = "The text never cites this reference."
FULLTEXT_KEY = spec("focus-fulltext").key_display
NOT_KNOWN = (
    f"The full text isn't loaded yet: {FULLTEXT_KEY} shows it, then w lists where it cites this"
)
NO_TEXT = "This record has no PMC full text to look in"


def title(number: int, count: int) -> str:
    """ "Where the text cites 12 (cited 3×)"."""
    return f"Where the text cites {number} ({times(count)})"


class ContextsScreen(ModalScreen[Context | None]):
    """The citing sentences of one reference; dismissed with the one chosen."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll"), *bindings("contexts")]

    def __init__(
        self, number: int, contexts: Sequence[Context], blocks: Sequence[Block] = ()
    ) -> None:
        super().__init__()
        self.number = number
        self.contexts = tuple(contexts)
        self.blocks = blocks
        """The text's blocks, so each sentence reads its citations as the text does."""

    def compose(self) -> ComposeResult:
        with Vertical(id="contexts-dialog") as dialog:
            dialog.border_title = title(self.number, len(self.contexts))
            dialog.border_subtitle = HINT
            yield CitedList(id="contexts-list", placeholder=NONE)

    def on_mount(self) -> None:
        listing = self.query_one("#contexts-list", CitedList)
        ids = [f"{c.block}:{c.start}:{i}" for i, c in enumerate(self.contexts)]
        listing.set_entries(ids, self._entry, keep=False)
        listing.focus()

    def _entry(self, position: int, marked: bool) -> VisualType:
        return context_entry(self.contexts[position], self.blocks)

    @on(CitedList.Selected, "#contexts-list")
    def _chosen(self, event: vlist_messages.Selected) -> None:
        event.stop()
        if event.index < len(self.contexts):
            self.dismiss(self.contexts[event.index])

    def action_close(self) -> None:
        self.dismiss(None)


def show_where_cited(texts: FullTextReader, index: int) -> None:
    """``w`` on reference ``index``: list where the record's text cites it, then jump
    there in the Full text pane; ``b`` there comes back to the References pane."""
    record = texts.host.record
    if record is None:
        return
    full = texts.known(record.pmid)
    if full is None:
        texts.host.notify(NOT_KNOWN if record.pmcid else NO_TEXT, severity="information")
        return
    screen: Any = texts.screen

    def chosen(context: Context | None) -> None:
        if context is not None:
            texts.open_at(context, lambda: screen.action_focus_pane("references"))

    number = index + 1
    screen.app.push_screen(ContextsScreen(number, full.contexts_of(number), full.blocks), chosen)
