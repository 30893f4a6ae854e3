"""One block of an article's full text as a line-wrappable ``Content``, built on demand.

The Full text pane hands the virtual list a builder, so a 1,000-paragraph review costs
only the blocks on screen.  Spans name component classes (``.fulltext--cite``...) that
the pane declares and ``fulltext.tcss`` colours, so a theme change restyles them.  The
article's words are plain data: every string goes into ``Content`` as text, never
markup, and is cleaned again on the way to the terminal.  Citations read as the
numbers of the reader's reference list, as in ``--format markdown``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from textual.content import Content

from tui.data.formats.fulltext_text import cite_shown
from tui.data.fulltext_model import (
    BOX,
    FIGURE,
    FOOTNOTE,
    FORMULA,
    HEADING,
    LIST_ITEM,
    QUOTE,
    SUPPLEMENT,
    TABLE,
    Block,
    Cite,
    Context,
)
from tui.data.text import clean_run, clean_text

CITE = "fulltext--cite"
CURRENT = "fulltext--cite-current"
HEADING_CLASS = "fulltext--heading"
LABEL = "fulltext--label"
MUTED = "fulltext--muted"
MATCH = "fulltext--match"
BLOCK_CLASSES = frozenset({CITE, CURRENT, HEADING_CLASS, LABEL, MUTED, MATCH})
"""Component classes a widget must declare to render blocks built here."""


def _span(name: str) -> str:
    """A span style naming component class ``name`` (resolved by the rendering widget)."""
    return "." + name


MAX_CELL = 40  # a table cell longer than this is cut, so rows stay readable
INDENT = "  "


def _clean(text: str | None) -> str:
    return clean_text(text) if text else ""


def cited_text(block: Block, current: int | None) -> Content:
    """The block's text with each citation as the list's numbers, the current one marked."""
    return _cited(block.text, list(enumerate(block.cites)), current)


def sentence_content(context: Context, block: Block) -> Content:
    """A citing sentence as the text reads it: its citations as the list's numbers
    ("metallotherapeutics[1],[2]" where the article set them as superscripts), the one
    ``context`` stands for marked; the sentence plain when it cannot be placed."""
    sentence = context.sentence
    core = sentence.strip("…")
    at = block.text.rfind(core, 0, context.start + len(core)) if core else -1
    if context.start < 0 or at < 0 or context.end > at + len(core):
        return Content(_clean(sentence))
    inside = [
        (index, replace(cite, start=cite.start - at, end=cite.end - at))
        for index, cite in enumerate(block.cites)
        if at <= cite.start and cite.end <= at + len(core)
    ]
    current = next((i for i, cite in inside if cite.start == context.start - at), None)
    body = _cited(core, inside, current)
    before = "…" if sentence.startswith("…") else ""
    after = "…" if sentence.endswith("…") else ""
    return Content.assemble(before, body, after)


def _cited(text: str, cites: list[tuple[int, Cite]], current: int | None) -> Content:
    """``text`` with these (index, citation) as the list's numbers, ``current`` marked."""
    parts: list[Content] = []
    pos = 0
    for index, cite in sorted(cites, key=lambda pair: pair[1].start):
        if cite.start < pos:
            continue
        parts.append(Content("".join(clean_run(text[pos : cite.start]))))
        shown = Content(_clean(cite_shown(text, cite)))
        parts.append(shown.stylize(_span(CURRENT if index == current else CITE)))
        pos = cite.end
    parts.append(Content("".join(clean_run(text[pos:]))))
    return Content("").join(parts)


def _table(block: Block, current: int | None = None) -> Content:
    """The table as aligned rows; each cell cut at MAX_CELL so the grid stays a grid.
    Citations in cells read as the list's numbers; ``current`` indexes ``cell_cites``."""
    by_cell: dict[tuple[int, int], list[tuple[int, Cite]]] = {}
    for index, (r, c, cite) in enumerate(block.cell_cites):
        by_cell.setdefault((r, c), []).append((index, cite))

    def cell(r: int, c: int, text: str) -> Content:
        cites = by_cell.get((r, c))
        shown = _cited(text, cites, current) if cites else Content(_clean(text))
        return shown[:MAX_CELL] if shown.cell_length > MAX_CELL else shown

    rows = [[cell(r, c, text) for c, text in enumerate(row)] for r, row in enumerate(block.rows)]
    if not rows:
        return Content("")
    columns = max(len(row) for row in rows)
    widths = [
        max((row[c].cell_length for row in rows if c < len(row)), default=0) for c in range(columns)
    ]
    lines: list[Content] = []
    for number, row in enumerate(rows):
        cells = [
            Content.assemble(row[c], " " * (widths[c] - row[c].cell_length))
            if c < len(row)
            else Content(" " * widths[c])
            for c in range(columns)
        ]
        line = Content(" │ ").join(cells).rstrip()
        lines.append(line.stylize("bold") if number < block.header_rows else line)
    return Content("\n").join(lines)


def _labelled(block: Block, body: Content) -> Content:
    label = _clean(block.label)
    if not label:
        return body
    return Content.assemble((label + " ", _span(LABEL)), body)


def block_content(block: Block, current: int | None = None, needle: str = "") -> Content:
    """What block ``block`` shows; ``current`` is the index of the citation under the
    cursor, ``needle`` the search text to mark (case-insensitive)."""
    kind = block.kind
    indent = INDENT * max(0, block.level) if kind != HEADING else ""
    body = cited_text(block, current)
    if kind == HEADING:
        label = _clean(block.label)
        heading = Content((label + " " if label else "") + _clean(block.text))
        content = heading.stylize(_span(HEADING_CLASS))
    elif kind == LIST_ITEM:
        content = Content.assemble((_clean(block.label) or "•") + " ", body)
    elif kind == QUOTE:
        content = Content.assemble(("│ ", _span(MUTED)), body.stylize("italic"))
    elif kind == BOX:
        content = Content.assemble(("▍", _span(LABEL)), _labelled(block, body).stylize("bold"))
    elif kind in (FIGURE, TABLE, SUPPLEMENT):
        parts = [_labelled(block, body)]
        if kind == TABLE and block.rows:
            cell = current - len(block.cites) if current is not None else None
            parts.append(_table(block, cell))
        if block.url:
            parts.append(Content(_clean(block.url)).stylize(_span(MUTED)))
        content = Content("\n").join(parts)
    elif kind == FORMULA:
        content = _labelled(block, body)
        if block.tex and block.tex != block.text:
            content = Content("\n").join(
                [content, Content(_clean(block.tex)).stylize(_span(MUTED))]
            )
    elif kind == FOOTNOTE:
        content = _labelled(block, body).stylize(_span(MUTED))
    else:
        content = body
    if indent:
        content = Content.assemble(indent, content)
    if needle:
        content = mark_matches(content, needle)
    return content


def mark_matches(content: Content, needle: str) -> Content:
    """``content`` with every case-insensitive occurrence of ``needle`` marked."""
    return content.highlight_regex(re.compile(re.escape(needle), re.IGNORECASE), style=_span(MATCH))


def block_haystack(block: Block) -> str:
    """The words search looks in: text, label, table cells (case-folded)."""
    cells = " ".join(" ".join(row) for row in block.rows)
    return " ".join(filter(None, (block.label, block.text, cells, block.url))).casefold()


def cite_numbers(cite: Cite) -> tuple[int, ...]:
    """The reference numbers a citation cites, each once, in the order written."""
    return tuple(dict.fromkeys(cite.numbers))


def cite_of(block: Block, context: Context) -> int | None:
    """The index in ``block.all_cites()`` of the citation a context was taken from (a
    table cell's context has no place in the text: its cell's citation of the work)."""
    if context.start >= 0:
        return next((i for i, c in enumerate(block.cites) if c.start == context.start), None)
    cells = block.cell_cites
    found = (k for k, (_, _, c) in enumerate(cells) if context.reference in c.numbers)
    k = next(found, None)
    return None if k is None else len(block.cites) + k
