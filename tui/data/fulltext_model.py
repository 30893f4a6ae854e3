"""The full text of an article as a flat sequence of blocks, ready to draw line by line.

A reader pane scrolls through hundreds of paragraphs and builds lines only for what is
on screen, so the text is kept flat: one tuple of :class:`Block` in reading order, each
knowing its kind, its nesting level and the section it sits in, rather than a tree the
pane would have to walk.  Every in-text citation is a :class:`Cite` span inside its
block's text, carrying the JATS reference ids it points to and, once
:func:`tui.data.citations.link_citations` has run, the numbers of those references in
the reader's reference list.  Frozen, so the print path and the reader can share one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.data.model import Reference

# Block kinds, in the words the printers and the pane switch on.
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list-item"
QUOTE = "quote"
BOX = "box"  # the title of a boxed text; its paragraphs follow one level deeper
FIGURE = "figure"
TABLE = "table"
FORMULA = "formula"
FOOTNOTE = "footnote"
SUPPLEMENT = "supplement"
KINDS = frozenset({HEADING, PARAGRAPH, LIST_ITEM, QUOTE, BOX, FIGURE, TABLE, FORMULA})
KINDS |= {FOOTNOTE, SUPPLEMENT}


@dataclass(frozen=True, slots=True)
class Cite:
    """One ``<xref ref-type="bibr">``: where it sits in its block's text and what it cites.

    ``rids`` are the reference ids the xref names; ``implied`` are the ids a range such
    as "[3–7]" written with two xrefs covers between them (4, 5, 6 on the closing xref),
    so counts and contexts include them while the text still shows what the article
    wrote.  ``numbers`` are 1-based positions in the reader's reference list, in the
    order of ``rids`` then ``implied``; empty until linked, and without the ids that
    could not be matched.
    """

    start: int
    end: int
    rids: tuple[str, ...]
    implied: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()
    own_numbers: tuple[int, ...] = ()  # the numbers of ``rids`` alone, for display

    @property
    def all_rids(self) -> tuple[str, ...]:
        return self.rids + self.implied


@dataclass(frozen=True, slots=True)
class Block:
    """One drawable piece of text: a heading, a paragraph, a caption, a table...

    ``level`` is the heading level (1 for a top-level section) for headings and the
    nesting depth (0 at the top, deeper inside lists, boxes and quotes) for the rest.
    ``section`` is the index into ``FullText.sections`` of the section holding the
    block, -1 before the first one.  ``rows`` holds a table's cells (header rows
    first, spans repeated so every row has the same width); ``tex`` a formula's TeX.
    """

    kind: str
    text: str
    level: int = 0
    section: int = -1
    label: str | None = None
    cites: tuple[Cite, ...] = ()
    url: str | None = None
    rows: tuple[tuple[str, ...], ...] = ()
    header_rows: int = 0
    tex: str | None = None
    # Citations inside table cells: (row, column, Cite with offsets into that cell).
    cell_cites: tuple[tuple[int, int, Cite], ...] = ()

    def all_cites(self) -> tuple[Cite, ...]:
        """The block's citations, those in its table cells after those in its text."""
        return self.cites + tuple(c for _, _, c in self.cell_cites)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading of the outline: its title, its depth, and the block it starts at."""

    title: str
    level: int
    block: int
    label: str | None = None

    @property
    def display(self) -> str:
        """The title as the article numbers it ("2.1 Methods"), or as it stands."""
        return f"{self.label} {self.title}" if self.label else self.title


@dataclass(frozen=True, slots=True)
class Context:
    """Where a reference is cited: the sentence around one xref, and its section."""

    reference: int  # 1-based number in the reader's reference list
    section: str  # the section's display title, "" before the first heading
    sentence: str
    block: int  # index into FullText.blocks
    start: int  # the xref's place in that block's text
    end: int


@dataclass(frozen=True, slots=True)
class JatsReference:
    """One ``<ref>`` of the article's own list, with the ids matching needs."""

    rid: str
    label: str | None
    reference: Reference


@dataclass(frozen=True, slots=True)
class FullText:
    """An article's body, back matter and licence, parsed from JATS.

    ``source`` says where the XML came from ("europepmc" or "pmc").  ``references``
    is the reader's reference list the citation numbers point into: PubMed's when it
    has one, else the article's own (``references_source`` says which); both are set
    by :func:`tui.data.citations.link_citations`.
    """

    pmcid: str | None
    source: str
    title: str = ""
    license: str | None = None
    license_url: str | None = None
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    jats_references: tuple[JatsReference, ...] = ()
    references: tuple[Reference, ...] = ()
    references_source: str = "none"
    contexts: tuple[Context, ...] = ()
    unmatched: tuple[str, ...] = field(default=())  # JATS ref ids with no number

    @property
    def cite_count(self) -> int:
        return sum(len(b.all_cites()) for b in self.blocks)

    def cited_times(self) -> dict[int, int]:
        """Reference number -> how many times the text cites it ("cited 3×")."""
        counts: dict[int, int] = {}
        for context in self.contexts:
            counts[context.reference] = counts.get(context.reference, 0) + 1
        return counts

    def citation_places(self) -> tuple[tuple[int, Cite], ...]:
        """(block index, citation) in reading order: what "next citation" steps through."""
        return tuple((i, c) for i, b in enumerate(self.blocks) for c in b.all_cites())

    def contexts_of(self, reference: int) -> tuple[Context, ...]:
        """Every place the text cites reference ``reference``: "why is this cited here?"."""
        return tuple(c for c in self.contexts if c.reference == reference)

    def section_at(self, block: int) -> Section | None:
        """The section holding block ``block`` (for a pane's title), None before the first."""
        index = self.blocks[block].section if 0 <= block < len(self.blocks) else -1
        return self.sections[index] if index >= 0 else None

    def to_dict(self) -> dict[str, Any]:
        """The ``full_text`` JSON shape documented in the README."""
        sections: list[dict[str, Any]] = []
        current: dict[str, Any] = {"title": None, "level": 0, "paragraphs": []}
        figures: list[dict[str, Any]] = []
        tables: list[dict[str, Any]] = []
        for block in self.blocks:
            if block.kind == HEADING:
                if current["title"] is not None or current["paragraphs"]:
                    sections.append(current)
                label = f"{block.label} " if block.label else ""
                current = {"title": label + block.text, "level": block.level, "paragraphs": []}
            elif block.kind == FIGURE:
                figures.append({"label": block.label, "caption": block.text, "url": block.url})
            elif block.kind == TABLE:
                rows = [list(r) for r in block.rows]
                tables.append({"label": block.label, "caption": block.text, "rows": rows})
            elif block.kind in (PARAGRAPH, LIST_ITEM, QUOTE, FORMULA, BOX):
                current["paragraphs"].append(block.text)
        if current["title"] is not None or current["paragraphs"]:
            sections.append(current)
        return {
            "source": self.source,
            "license": self.license,
            "sections": sections,
            "figures": figures,
            "tables": tables,
            "contexts": [
                {"reference": c.reference, "section": c.section, "sentence": c.sentence}
                for c in self.contexts
            ],
        }
