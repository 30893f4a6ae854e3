"""The Cited by and Similar articles panes: PMID lists from elink, resolved like references.

Both lists are loaded only when the reader asks for them (keys 4 and 5), since each
costs an elink request and a few esummary batches; entries read "Loading…" until their
summary arrives, then show the same facts, retraction warnings included, as references.
Each pane renders its list from the reader's state (``ReadingState.graph``), posts
``PaperChosen`` and tells the screen's ``report`` where its cursor is; the loading
itself belongs to the screen's graph loader.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets.option_list import Option

from tui.data.summaries import Summary
from tui.screens.reading_events import LinksMoved, Report
from tui.screens.reading_state import GraphList, ReadingState
from tui.widgets.entries import pmid_prompt
from tui.widgets.hanging import HangingIndent
from tui.widgets.paper_list import PaperList
from tui.widgets.vlist import VirtualList
from tui.widgets.vlist_messages import Selected

NOT_LOADED = "Not loaded yet: focus this pane to load it."
LOADING = "Loading…"


class LinksPane(Vertical):
    """One list of linked papers (cited by, or similar) for the record being read."""

    can_focus = False

    state: reactive[ReadingState] = reactive(ReadingState, repaint=False)
    """The reader's state; this pane shows ``state.links(its id)`` (its list and border
    repaint themselves, so a change elsewhere in the state repaints nothing here)."""

    class PaperChosen(Message):
        """The reader picked a linked paper to open."""

        def __init__(self, pmid: str) -> None:
            super().__init__()
            self.pmid = pmid

    def __init__(
        self,
        title: str,
        empty: str,
        *,
        id: str,
        classes: str | None = None,
        report: Report | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._report = report
        self.title = title
        self.empty = empty
        self.list_name = id
        self._drawn = ReadingState()

    def compose(self) -> ComposeResult:
        yield PaperList(id=f"{self.id}-list", markup=False)

    def on_mount(self) -> None:
        self._draw(self.state, rebuild=True)
        self.watch(self.paper_list, "highlighted", self._moved, init=False)

    # -- what the pane shows (for tests and focus; actions read the screen's state) -----

    @property
    def paper_list(self) -> PaperList:
        """The list holding the papers."""
        return self.query_one(PaperList)

    @property
    def links(self) -> GraphList:
        return self.state.links(self.list_name)

    @property
    def record_pmid(self) -> str | None:
        return self.links.record_pmid

    @property
    def pmids(self) -> list[str] | None:
        pmids = self.links.pmids
        return None if pmids is None else list(pmids)

    @property
    def pending(self) -> bool:
        return self.links.pending

    @property
    def highlighted_pmid(self) -> str | None:
        """The PMID under the cursor, if a paper is shown."""
        pmids, position = self.links.pmids, self.paper_list.highlighted
        if pmids is None or position is None or position >= len(pmids):
            return None
        return pmids[position]

    def summary_of(self, pmid: str) -> Summary | None:
        return self.state.summaries.get(pmid)

    # -- rendering the state -----------------------------------------------------------

    def watch_state(self, state: ReadingState) -> None:
        if self.is_mounted:
            drawn = self._drawn.links(self.list_name)
            links = state.links(self.list_name)
            if links == drawn and state.summaries is self._drawn.summaries:
                self._drawn = state  # nothing this pane shows changed: draw nothing
                return
            rebuild = links.pmids is not drawn.pmids or links.record_pmid != drawn.record_pmid
            self._draw(state, rebuild=rebuild or links.error != drawn.error)

    def _draw(self, state: ReadingState, *, rebuild: bool) -> None:
        drawn, self._drawn = self._drawn, state
        links = state.links(self.list_name)
        self.border_subtitle = links.error if links.pmids is not None and links.error else ""
        if rebuild:
            self._rebuild(links)
        elif links.pmids is not None:
            old, new = drawn.summaries, state.summaries
            if links.pending != drawn.links(self.list_name).pending:
                self._refresh(lambda pmid: pmid not in new)
            if new is not old:
                self._refresh(lambda pmid: new.get(pmid) is not old.get(pmid))
        self._set_title()

    def _message(self, text: str) -> None:
        self.paper_list.set_options([Option(Content(text), disabled=True)])

    def _rebuild(self, links: GraphList) -> None:
        pmids = links.pmids
        if links.record_pmid is None:
            self._message(NOT_LOADED)
        elif pmids is None:
            self._message(links.error if links.error else LOADING)
        elif not pmids:
            self._message(self.empty)
        else:
            listing = self.paper_list
            listing.placeholder = ""
            listing.set_entries(
                pmids, lambda position, _marked: self._prompt(position, pmids[position]), keep=False
            )
            listing.highlighted = links.cursor or 0

    def _prompt(self, position: int, pmid: str) -> HangingIndent:
        state = self._drawn
        pmids = state.links(self.list_name).pmids or ()
        width = len(str(len(pmids)))
        pending = state.links(self.list_name).pending
        return pmid_prompt(position + 1, width, pmid, state.summaries.get(pmid), pending=pending)

    def _refresh(self, wanted: Callable[[str], bool]) -> None:
        """Build again the entries whose facts changed (only those built are rebuilt)."""
        pmids = self._drawn.links(self.list_name).pmids or ()
        self.paper_list.refresh_entries(i for i, pmid in enumerate(pmids) if wanted(pmid))

    def _set_title(self) -> None:
        state = self._drawn
        pmids = state.links(self.list_name).pmids
        if pmids is None:
            self.border_title = self.title
            return
        title = f"{self.title} {len(pmids)}"
        flagged = sum(1 for p in pmids if (s := state.summaries.get(p)) and s.retracted)
        if flagged:
            title += f" · {flagged} retracted"
        self.border_title = title

    # -- what the reader did -----------------------------------------------------------

    def _moved(self, cursor: int | None) -> None:
        if self._report is not None and self.links.pmids:
            self._report(LinksMoved(self.list_name, cursor))

    @on(VirtualList.Selected)
    def _selected(self, event: Selected) -> None:
        event.stop()
        if self.paper_list.is_current(event) and event.item_id is not None:
            self.post_message(self.PaperChosen(event.item_id))
