"""What the reader is reading, in one frozen value: the screen's whole state.

The reader screen owns one ``ReadingState`` and replaces it whole on every change
(``dataclasses.replace`` inside the transitions below); every pane is bound to it and
renders from it, and tells the screen what the reader did with an event of
:mod:`tui.screens.reading_events`.  Copying, citing and exporting read this value, never
a pane, so what they act on is exactly what the panes show.  Kept free of Textual, so
every transition is a pure function to test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from tui.data.ids import ArticleId
from tui.data.model import Record, Reference
from tui.data.summaries import Summary
from tui.screens.reading_events import FilterChanged, MarkToggled, Moved, ReadingEvent

__all__ = ["GraphList", "Place", "ReadingState", "Visit", "needle_of"]

LoadState = Literal["idle", "loading", "loaded", "failed"]


def needle_of(text: str) -> str:
    """What a filter text matches: its words, single-spaced and case-folded."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class Place:
    """Where the reader was in a record: the pane, the reference under the cursor (its
    original 0-based index), the filter typed and the scroll, kept as the cursor's row
    in the list's view (entry heights are estimated, so a line offset would not bring
    back the same screen; the same reference on the same row does)."""

    pane: str = "abstract"
    cursor: int | None = None
    filter: str = ""
    scroll: int = 0


@dataclass(frozen=True, slots=True)
class Visit:
    """One step of the reader's history: the record, and the place to come back to.

    Two visits of the same record are the same step, wherever the reader was in it."""

    aid: ArticleId
    place: Place = field(default=Place(), compare=False)


@dataclass(frozen=True, slots=True)
class GraphList:
    """One linked-paper list (Cited by or Similar) of one record, and how far it got."""

    record_pmid: str | None = None
    """The record these links belong to (None: not asked for yet)."""
    pmids: tuple[str, ...] | None = None
    """The linked PMIDs, once elink answered."""
    load: LoadState = "idle"
    error: str | None = None
    """Why loading failed, as a sentence."""
    cursor: int | None = None
    """The position under the cursor."""

    @property
    def pending(self) -> bool:
        """Titles are still being resolved (entries read "Loading…" meanwhile)."""
        return self.load == "loading"

    @property
    def highlighted_pmid(self) -> str | None:
        cursor, pmids = self.cursor, self.pmids
        if pmids is None or cursor is None or not 0 <= cursor < len(pmids):
            return None
        return pmids[cursor]

    def started(self, record_pmid: str) -> GraphList:
        return GraphList(record_pmid, None, "loading")

    def listed(self, pmids: tuple[str, ...]) -> GraphList:
        return replace(self, pmids=pmids, cursor=0 if pmids else None)

    def finished(self) -> GraphList:
        return replace(self, load="loaded")

    def failed(self, sentence: str) -> GraphList:
        return replace(self, load="failed", error=sentence)


@dataclass(frozen=True, slots=True)
class ReadingState:
    """The record on screen and everything the reader did to it.

    ``summaries`` and ``marks`` outlive a record: the same papers recur between reviews,
    and marks belong to their record (keyed by its PMID) so going back finds them."""

    record: Record | None = None
    summaries: Mapping[str, Summary] = field(default_factory=dict)
    """PMID -> esummary facts, for references and linked papers alike."""
    marks: Mapping[str, frozenset[int]] = field(default_factory=dict)
    """Record PMID -> original indexes of its marked references."""
    filter: str = ""
    """The references filter as last typed or set; "" shows all."""
    pane: str = "abstract"
    """The pane the reader is in (the one shown, when narrow)."""
    right: str = "references"
    """Which of the right column's panes is shown."""
    cursor: int | None = None
    """Original index of the reference under the cursor."""
    scroll: int = 0
    """The references list's scroll: the cursor's row in its view."""
    searching: bool = False
    """PubMed had no reference list and other sources are being asked."""
    graph: Mapping[str, GraphList] = field(default_factory=dict)
    """Pane id (``cited-by``, ``similar``) -> that list for the record shown."""
    cited: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    """Record PMID -> reference number -> how often its full text cites that reference,
    once the text is known (read from the cache, or loaded)."""

    # -- reading it --------------------------------------------------------------------

    @property
    def references(self) -> tuple[Reference, ...]:
        return self.record.references if self.record is not None else ()

    @property
    def marked(self) -> frozenset[int]:
        """Original indexes of the marked references of the record shown."""
        record = self.record
        return self.marks.get(record.pmid, frozenset()) if record is not None else frozenset()

    def summary_of(self, reference: Reference) -> Summary | None:
        """The resolved facts of a reference, once esummary answered for its PMID."""
        return self.summaries.get(reference.pmid) if reference.pmid else None

    def marked_entries(self) -> list[Reference]:
        """The marked references, in list order (empty when none is marked)."""
        references = self.references
        return [references[i] for i in sorted(self.marked) if i < len(references)]

    def highlighted_reference(self) -> Reference | None:
        """The reference under the cursor, if any is shown."""
        cursor, references = self.cursor, self.references
        return references[cursor] if cursor is not None and cursor < len(references) else None

    @property
    def highlighted_number(self) -> int | None:
        """The original 1-based number of the reference under the cursor."""
        return None if self.highlighted_reference() is None else (self.cursor or 0) + 1

    @property
    def cited_counts(self) -> Mapping[int, int] | None:
        """How often the full text of the record shown cites each of its references
        (by 1-based number); None while the text is not known."""
        record = self.record
        return self.cited.get(record.pmid) if record is not None else None

    def links(self, name: str) -> GraphList:
        return self.graph.get(name, GraphList())

    @property
    def place(self) -> Place:
        """Where the reader is now, to come back to."""
        return Place(self.pane, self.cursor, self.filter, self.scroll)

    # -- changing it: each returns a new state -----------------------------------------

    def showing(self, record: Record, place: Place | None = None) -> ReadingState:
        """``record`` on screen: the same record keeps the reader's place; another one
        starts at ``place`` (the top, unless coming back) with its graph lists unasked."""
        same = self.record is not None and self.record.pmid == record.pmid
        if same:
            return replace(self, record=record, searching=False)
        place = place or Place()
        return replace(
            self,
            record=record,
            filter=place.filter,
            cursor=place.cursor if place.cursor is not None or not record.references else 0,
            scroll=place.scroll,
            searching=False,
            graph={},
        )

    def with_references(self, record: Record) -> ReadingState:
        """The same record with a reference list found elsewhere (Europe PMC, Crossref)."""
        return replace(
            self, record=record, searching=False, cursor=0 if record.references else None
        )

    def toggling(self, index: int) -> ReadingState:
        """Mark reference ``index`` of the record shown, or unmark it."""
        record = self.record
        if record is None or not 0 <= index < len(record.references):
            return self
        marks = dict(self.marks)
        marks[record.pmid] = self.marked ^ {index}
        return replace(self, marks=marks)

    def unmarking_all(self) -> ReadingState:
        """No reference of the record shown is marked any more."""
        record = self.record
        if record is None or not self.marked:
            return self
        return replace(self, marks={**self.marks, record.pmid: frozenset()})

    def filtering(self, text: str) -> ReadingState:
        return self if text == self.filter else replace(self, filter=text)

    def moved(self, cursor: int | None, scroll: int | None = None) -> ReadingState:
        """The references cursor (an original index) and scroll moved."""
        scroll = self.scroll if scroll is None else scroll
        if cursor == self.cursor and scroll == self.scroll:
            return self
        return replace(self, cursor=cursor, scroll=scroll)

    def focusing(self, pane: str, *, right: bool) -> ReadingState:
        """The reader is in ``pane`` (``right``: it is one of the right column's)."""
        new_right = pane if right else self.right
        if pane == self.pane and new_right == self.right:
            return self
        return replace(self, pane=pane, right=new_right)

    def with_right(self, right: str) -> ReadingState:
        """Show ``right`` in the right column (the reader stays in its pane)."""
        return self if right == self.right else replace(self, right=right)

    def resolved(self, summaries: Mapping[str, Summary]) -> ReadingState:
        """Summaries arrived for some PMIDs."""
        if not summaries:
            return self
        return replace(self, summaries={**self.summaries, **summaries})

    def looking_elsewhere(self) -> ReadingState:
        return replace(self, searching=True)

    def with_links(self, name: str, links: GraphList) -> ReadingState:
        """The Cited by or Similar list ``name`` changed."""
        return replace(self, graph={**self.graph, name: links})

    def with_cited(self, pmid: str, counts: Mapping[int, int]) -> ReadingState:
        """Record ``pmid``'s full text is known: how often it cites each reference."""
        if self.cited.get(pmid) == counts:
            return self
        return replace(self, cited={**self.cited, pmid: counts})

    def after(self, event: ReadingEvent) -> ReadingState:
        """The state once the reader did ``event``."""
        if isinstance(event, MarkToggled):
            return self.toggling(event.index)
        if isinstance(event, FilterChanged):
            return self.filtering(event.text)
        if isinstance(event, Moved):
            return self.moved(event.cursor, event.scroll)
        links = self.links(event.name)
        if links.cursor == event.cursor:
            return self
        return self.with_links(event.name, replace(links, cursor=event.cursor))
