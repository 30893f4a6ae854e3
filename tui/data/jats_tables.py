"""JATS tables as rows of cells, with column and row spans flattened.

A terminal table and a Markdown table both need every row to have the same width, so
a cell spanning several columns or rows keeps its text in the first place it covers
and the others are left empty.  Citations inside cells keep their place in the cell.
"""

from __future__ import annotations

from lxml import etree

from tui.data.fulltext_model import Cite
from tui.data.jats_inline import Inline, RefOrder, local, walk

_Element = etree._Element
MAX_TABLE_CELLS = 20_000  # a table larger than this is drawn as its caption only
MAX_SPAN = 100


def _span(cell: _Element, name: str) -> int:
    value = cell.get(name, "1")
    return min(max(int(value), 1), MAX_SPAN) if value.isdigit() else 1


Rows = tuple[tuple[str, ...], ...]
CellCites = tuple[tuple[int, int, Cite], ...]


def grid(table: _Element, order: RefOrder) -> tuple[Rows, int, CellCites]:
    """(rows of cell text with spans flattened, header row count, citations in cells)."""
    rows: list[list[str | None]] = []
    header = 0
    carry: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    cells_seen = 0
    found: list[tuple[int, int, Cite]] = []
    for tr in table.iter("{*}tr"):
        parent = tr.getparent()
        in_head = parent is not None and local(parent) == "thead"
        row: list[str | None] = []
        col = 0
        for cell in tr:
            if local(cell) not in ("td", "th"):
                continue
            while carry.get(col, 0) > 0:
                carry[col] -= 1
                row.append("")
                col += 1
            cells_seen += 1
            if cells_seen > MAX_TABLE_CELLS:
                return (), 0, ()
            acc = Inline(order)
            walk(cell, acc)
            text, cites = acc.finish()
            found.extend((len(rows), col, c) for c in cites)
            row.append(text)
            wide, tall = _span(cell, "colspan"), _span(cell, "rowspan")
            row.extend([""] * (wide - 1))
            for c in range(col, col + wide):
                if tall > 1:
                    carry[c] = tall - 1
            col += wide
        while carry.get(col, 0) > 0:
            carry[col] -= 1
            row.append("")
            col += 1
        rows.append(row)
        if in_head and header == len(rows) - 1:
            header += 1
    width = max((len(r) for r in rows), default=0)
    full = tuple(tuple((c or "") for c in r) + ("",) * (width - len(r)) for r in rows)
    return full, header, tuple(found)
