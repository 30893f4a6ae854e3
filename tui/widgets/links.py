"""The Cited by and Similar articles panes: PMID lists from elink, resolved like references.

Both lists are loaded only when the reader asks for them (keys 4 and 5), since each
costs an elink request and a few esummary batches; entries read "Loading…" until their
summary arrives, then show the same facts, retraction warnings included, as references.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.data.summaries import Summary
from tui.widgets.entries import pmid_prompt
from tui.widgets.paper_list import PaperList

NOT_LOADED = "Not loaded yet: focus this pane to load it."


class LinksPane(Vertical):
    """One list of linked papers (cited by, or similar) for the record being read."""

    can_focus = False

    class PaperChosen(Message):
        """The reader picked a linked paper to open."""

        def __init__(self, pmid: str) -> None:
            super().__init__()
            self.pmid = pmid

    def __init__(self, title: str, empty: str, *, id: str, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.title = title
        self.empty = empty
        self.record_pmid: str | None = None
        """The record these links belong to, once loading started (None: not asked)."""
        self.pmids: list[str] | None = None
        self.pending = False
        self._summaries: dict[str, Summary] = {}

    def compose(self) -> ComposeResult:
        yield PaperList(id=f"{self.id}-list", markup=False)

    def on_mount(self) -> None:
        self.reset(None)

    @property
    def paper_list(self) -> PaperList:
        """The OptionList holding the papers."""
        return self.query_one(PaperList)

    @property
    def highlighted_pmid(self) -> str | None:
        """The PMID under the cursor, if a paper is shown."""
        position = self.paper_list.highlighted
        if self.pmids is None or position is None or position >= len(self.pmids):
            return None
        return self.pmids[position]

    @property
    def highlighted_summary(self) -> Summary | None:
        """The resolved facts of the highlighted paper, once esummary answered."""
        pmid = self.highlighted_pmid
        return self._summaries.get(pmid) if pmid else None

    def summary_of(self, pmid: str) -> Summary | None:
        return self._summaries.get(pmid)

    def _message(self, text: str) -> None:
        self.paper_list.set_options([Option(Content(text), disabled=True)])

    def reset(self, record_pmid: str | None) -> None:
        """Forget the list: it is loaded again when the pane is next focused."""
        self.record_pmid = None
        self.pmids = None
        self.pending = False
        self.border_subtitle = ""
        if record_pmid is not None or self.is_mounted:
            self._message(NOT_LOADED)
        self._set_title()

    def start(self, record_pmid: str) -> None:
        """The links of ``record_pmid`` are being asked for."""
        self.record_pmid = record_pmid
        self.pmids = None
        self.pending = True
        self._message("Loading…")
        self._set_title()

    def show_pmids(self, pmids: list[str]) -> None:
        """The linked PMIDs arrived: list them, titles to follow."""
        self.pmids = list(pmids)
        width = len(str(len(self.pmids)))
        options = [
            Option(pmid_prompt(n, width, p, self._summaries.get(p), pending=True), id=p)
            for n, p in enumerate(self.pmids, 1)
        ]
        if options:
            self.paper_list.set_options(options)
            self.paper_list.highlighted = 0
        else:
            self._message(self.empty)
        self._set_title()

    def add_summaries(self, summaries: Mapping[str, Summary]) -> None:
        """Fill in the entries these summaries cover, in place (the cursor stays put)."""
        self._summaries.update(summaries)
        self._refresh(lambda pmid: pmid in summaries)

    def finish(self) -> None:
        """Resolution is over: entries still without a summary say so."""
        self.pending = False
        self._refresh(lambda pmid: pmid not in self._summaries)

    def fail(self, sentence: str) -> None:
        """Loading failed: say why in the list (r on the record does not retry this)."""
        self.pending = False
        if self.pmids is None:
            self._message(sentence)
        else:
            self.border_subtitle = sentence
        self._set_title()

    def _refresh(self, wanted: Callable[[str], bool]) -> None:
        if self.pmids is None:
            return
        listing = self.paper_list
        width = len(str(len(self.pmids)))
        for position, pmid in enumerate(self.pmids):
            if wanted(pmid) and position < listing.option_count:
                prompt = pmid_prompt(
                    position + 1, width, pmid, self._summaries.get(pmid), pending=self.pending
                )
                listing.replace_option_prompt_at_index(position, prompt)
        self._set_title()

    def _set_title(self) -> None:
        if self.pmids is None:
            self.border_title = self.title
            return
        title = f"{self.title} {len(self.pmids)}"
        flagged = sum(1 for p in self.pmids if (s := self._summaries.get(p)) and s.retracted)
        if flagged:
            title += f" · {flagged} retracted"
        self.border_title = title

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.PaperChosen(event.option_id))
