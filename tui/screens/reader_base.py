"""The reader screen's shared state, so its actions can live in small mixin modules.

The screen grew past one concern: fetching and walking records, resolving and walking
the citation graph, prefetching for offline reading.  Each lives in its own module as a
mixin over this base, which holds what they all read: the service, the record, the
panes, and the focus bookkeeping.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from tui.data.ids import ArticleId
from tui.data.model import Record
from tui.history import History
from tui.widgets.links import LinksPane
from tui.widgets.progress import PrefetchProgress
from tui.widgets.references import ReferencesPane
from tui.widgets.status import StatusBanner

if TYPE_CHECKING:
    from tui.data.service import PubMed

LEFT_PANES = ("abstract", "keywords")
RIGHT_PANES = ("references", "cited-by", "similar")
LINK_PANES = ("cited-by", "similar")
PANES = (*LEFT_PANES, *RIGHT_PANES)
PANE_TITLES = {
    "abstract": "Abstract",
    "keywords": "Keywords",
    "references": "References",
    "cited-by": "Cited by",
    "similar": "Similar",
}

Move = Literal["visit", "back", "stay"]


class ReaderBase(Screen[None]):
    """State and lookups shared by the reader's action mixins."""

    record: reactive[Record | None] = reactive(None)
    active_pane: reactive[str] = reactive("abstract")
    right_pane: reactive[str] = reactive("references")
    """Which of References / Cited by / Similar the right column shows."""

    def __init__(self, service: PubMed, initial: ArticleId | None = None) -> None:
        super().__init__()
        self.service = service
        self.initial = initial
        self.history: History[ArticleId] = History()

    def load(self, aid: ArticleId, *, move: Move = "visit", refresh: bool = False) -> None:
        """Fetch ``aid`` in the background (the screen implements it)."""
        raise NotImplementedError

    @property
    def references(self) -> ReferencesPane:
        return self.query_one("#references", ReferencesPane)

    @property
    def banner(self) -> StatusBanner:
        return self.query_one("#status", StatusBanner)

    @property
    def prefetch_progress(self) -> PrefetchProgress:
        return self.query_one("#prefetch", PrefetchProgress)

    def links_pane(self, name: str) -> LinksPane:
        """The Cited by (``cited-by``) or Similar (``similar``) pane."""
        return self.query_one(f"#{name}", LinksPane)

    def pane_of(self, widget: Widget | None) -> str | None:
        """The name of the pane holding ``widget`` (None outside the panes)."""
        node: Any = widget
        while node is not None and node is not self:
            if getattr(node, "id", None) in PANES:
                return str(node.id)
            node = node.parent
        return None
