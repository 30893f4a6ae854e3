"""The reference a citation cites, shown beside the text, and where else the text cites it.

"Show me the cited paper without losing my place" and "why is this paper cited here?"
are one panel: the references of the citation under the cursor (each with how often the
text cites it), and below them the sentences citing the highlighted one, each with its
section.  Enter on a reference opens it as a record; enter on a sentence jumps there in
the text.  The panel only shows and reports: the Full text pane does the jumping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.visual import VisualType
from textual.widgets import Static

from tui.data.fulltext_model import Block, Context, FullText
from tui.data.model import Reference
from tui.data.summaries import Summary
from tui.data.text import clean_text
from tui.keys import bindings
from tui.widgets import vlist_messages
from tui.widgets.entries import times
from tui.widgets.fulltext_blocks import CITE, CURRENT, sentence_content
from tui.widgets.vlist import VirtualList

NO_CONTEXTS = "The text cites it nowhere else."


def reference_entry(
    number: int, reference: Reference, summary: Summary | None, count: int
) -> Content:
    """One cited reference: number, resolved title when known, citation, "cited N×"."""
    title = clean_text(summary.title) if summary is not None and summary.title else ""
    citation = clean_text(reference.citation)
    head = Content.assemble(
        (f"{number}. ", ".cited--number"), (times(count), ".cited--count"), " · "
    )
    if title:
        lines = [head + Content(title).stylize("bold"), Content(citation)]
    else:
        lines = [head + Content(citation)]
    return Content("\n").join(lines)


def context_entry(context: Context, blocks: Sequence[Block] = ()) -> Content:
    """One citing sentence, under its section's title; its citations read as in the
    text when its block (one of ``blocks``) is given."""
    section = clean_text(context.section) or "Before the first section"
    if 0 <= context.block < len(blocks):
        sentence = sentence_content(context, blocks[context.block])
    else:
        sentence = Content(clean_text(context.sentence))
    return Content("\n").join([Content("§ " + section).stylize(".cited--section"), sentence])


class CitedList(VirtualList):
    """A list in the panel; enter picks its entry (see the ``fulltext-cited`` keys)."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll")]
    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualList.COMPONENT_CLASSES | {
        "cited--number",
        "cited--count",
        "cited--section",
        CITE,
        CURRENT,
    }


class CitedPanel(Vertical):
    """The cited references of one citation and the contexts of the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("fulltext-cited")]

    class ContextChosen(Message):
        """The reader picked a citing sentence: jump to it in the text."""

        def __init__(self, context: Context) -> None:
            super().__init__()
            self.context = context

    class Closed(Message):
        """The reader closed the panel (escape): back to the text."""

    class OpenReference(Message):
        """The reader asked to open a cited reference as a record."""

        def __init__(self, reference: Reference) -> None:
            super().__init__()
            self.reference = reference

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.full: FullText | None = None
        self.numbers: tuple[int, ...] = ()
        self.contexts: tuple[Context, ...] = ()
        self._counts: dict[int, int] = {}
        self._summaries: dict[str, Summary] = {}

    def compose(self) -> ComposeResult:
        yield CitedList(id="cited-refs")
        yield Static(id="cited-where", markup=False)
        yield CitedList(id="cited-contexts", placeholder=NO_CONTEXTS)

    @property
    def refs_list(self) -> CitedList:
        return self.query_one("#cited-refs", CitedList)

    @property
    def contexts_list(self) -> CitedList:
        return self.query_one("#cited-contexts", CitedList)

    def show_references(
        self, full: FullText, numbers: Sequence[int], summaries: dict[str, Summary]
    ) -> None:
        """Show the references ``numbers`` of ``full``'s list, the first highlighted."""
        if full is not self.full:
            self._counts = full.cited_times()
        self.full = full
        self._summaries = summaries
        self.numbers = tuple(n for n in numbers if 1 <= n <= len(full.references))
        shown = "reference" if len(self.numbers) == 1 else f"{len(self.numbers)} references"
        self.border_title = f"Cited {shown}"
        self.refs_list.set_entries([str(n) for n in self.numbers], self._reference, keep=False)
        self._show_contexts(self.numbers[0] if self.numbers else None)

    def _reference(self, position: int, marked: bool) -> VisualType:
        assert self.full is not None
        number = self.numbers[position]
        reference = self.full.references[number - 1]
        summary = self._summaries.get(reference.pmid) if reference.pmid else None
        return reference_entry(number, reference, summary, self._counts.get(number, 0))

    def _show_contexts(self, number: int | None) -> None:
        full = self.full
        self.contexts = full.contexts_of(number) if full is not None and number else ()
        where = self.query_one("#cited-where", Static)
        if number is None:
            where.update("")
        else:
            where.update(f"Where the text cites {number} ({times(len(self.contexts))}) · w")
        ids = [f"{c.block}:{c.start}:{i}" for i, c in enumerate(self.contexts)]
        self.contexts_list.set_entries(ids, self._context_at, keep=False)

    def _context_at(self, position: int, marked: bool) -> VisualType:
        blocks = self.full.blocks if self.full is not None else ()
        return context_entry(self.contexts[position], blocks)

    @property
    def highlighted_number(self) -> int | None:
        position = self.refs_list.highlighted
        return self.numbers[position] if position is not None and self.numbers else None

    @on(VirtualList.Highlighted, "#cited-refs")
    def _reference_highlighted(self, event: vlist_messages.Highlighted) -> None:
        event.stop()
        if self.refs_list.is_current(event) and event.index < len(self.numbers):
            self._show_contexts(self.numbers[event.index])

    @on(VirtualList.Selected, "#cited-refs")
    def _reference_selected(self, event: vlist_messages.Selected) -> None:
        event.stop()
        if self.full is not None and self.refs_list.is_current(event):
            number = self.numbers[event.index]
            self.post_message(self.OpenReference(self.full.references[number - 1]))

    @on(VirtualList.Selected, "#cited-contexts")
    def _context_selected(self, event: vlist_messages.Selected) -> None:
        event.stop()
        if self.contexts_list.is_current(event) and event.index < len(self.contexts):
            self.post_message(self.ContextChosen(self.contexts[event.index]))

    def action_contexts(self) -> None:
        """``w``: into the list of sentences citing the highlighted reference."""
        self.contexts_list.focus()

    def action_close_cited(self) -> None:
        self.post_message(self.Closed())
