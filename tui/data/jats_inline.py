"""JATS inline content (a paragraph, a caption, a table cell) as clean text with citations.

The text is gathered piece by piece so each ``<xref ref-type="bibr">`` keeps its exact
place in the final string, after whitespace has been collapsed and control characters,
escapes and bidi overrides removed.  A range written with two xrefs ("[3]–[7]") is
noticed here, where the separator between them is still visible, and the ids between
the two ends (in the order of the article's reference list) are kept on the closing
xref.  Block-level elements that publishers put inside a ``<p>`` (lists, tables,
formulas) are handed back to the caller, which ends the paragraph there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from lxml import etree

from tui.data.fulltext_model import Cite
from tui.data.mathml import math_text
from tui.data.text import clean_text

_Element = etree._Element
MATHML = "{http://www.w3.org/1998/Math/MathML}"
XLINK = "{http://www.w3.org/1999/xlink}"
BLOCK_TAGS = frozenset(
    {
        "fig",
        "fig-group",
        "table-wrap",
        "table-wrap-group",
        "list",
        "def-list",
        "disp-formula",
        "disp-formula-group",
        "disp-quote",
        "boxed-text",
        "statement",
        "supplementary-material",
        "code",
        "preformat",
        "speech",
        "verse-group",
    }
)
# Inline elements whose content is not part of the running text.
SKIPPED = frozenset({"alt-text", "object-id", "target", "fn", "graphic", "inline-graphic"})
_RANGE_DASH = re.compile(r"^[\s\[\]()]*[-–—‒−][\s\[\]()]*$")
_LABEL_RANGE = re.compile(r"^\[?\s*(\d+)\s*[-–—‒−]\s*(\d+)\s*\]?$")
MAX_RANGE = 200  # a "range" wider than this is a mistake in the article, not a range


def local(el: _Element) -> str:
    """The element's name without a namespace ("" for comments and the like)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    if tag.startswith(MATHML):
        return "math:" + tag.removeprefix(MATHML)
    return tag.rsplit("}", 1)[-1]


def formula_text(el: _Element) -> tuple[str, str | None]:
    """(readable text, TeX or None) of an inline or display formula."""
    tex = next((clean_text("".join(map(str, t.itertext()))) for t in el.iter("{*}tex-math")), None)
    maths = [m for m in el.iter(MATHML + "math")]
    if maths:
        return math_text(maths[0]), tex or None
    if tex:
        return tex, tex
    return flat(el), None


def flat(el: _Element | None) -> str:
    """All the text of an element, MathML flattened, cleaned: titles, labels, terms."""
    if el is None:
        return ""
    acc = Inline()
    walk(el, acc)
    return acc.finish()[0]


class RefOrder:
    """The article's reference list order, so two xrefs around a dash expand."""

    def __init__(self, rids: Sequence[str], labels: Mapping[str, str]) -> None:
        self.rids = list(rids)
        self.position = {rid: i for i, rid in enumerate(self.rids)}
        self.by_label = {label: rid for rid, label in labels.items() if label}

    def between(self, first: str, last: str) -> tuple[str, ...]:
        """The ids strictly between two of the list's ids, () when not a forward range."""
        a, b = self.position.get(first), self.position.get(last)
        if a is None or b is None or not 1 < b - a <= MAX_RANGE:
            return ()
        return tuple(self.rids[a + 1 : b])

    def through_label(self, rid: str, label: str) -> tuple[str, ...]:
        """For one xref labelled "3–7" naming only the first id: the ids up to label 7."""
        match = _LABEL_RANGE.match(label)
        if not match:
            return ()
        end = self.by_label.get(match.group(2)) or self.by_label.get(match.group(2) + ".")
        if end is None:
            return ()
        a, b = self.position[rid], self.position[end]
        return tuple(self.rids[a + 1 : b + 1]) if 0 < b - a <= MAX_RANGE else ()


class Inline:
    """Pieces of text and citations, joined into one cleaned string by :meth:`finish`."""

    def __init__(self, order: RefOrder | None = None) -> None:
        self.order = order
        self._pieces: list[str] = []
        self._cites: list[Cite] = []
        self._length = 0
        self._since_cite: list[str] | None = None  # text after the last cite

    def text(self, raw: str | None) -> None:
        if not raw:
            return
        piece = clean_text(raw)
        lead = " " if raw[:1].isspace() else ""
        trail = " " if raw[-1:].isspace() and piece else ""
        if lead and (not self._pieces or self._pieces[-1].endswith(" ")):
            lead = ""
        self._add(lead + piece + trail)
        if self._since_cite is not None:
            self._since_cite.append(raw)

    def cite(self, label: str, rids: tuple[str, ...]) -> None:
        label = clean_text(label)
        implied: tuple[str, ...] = ()
        if self.order is not None and rids:
            between = "".join(self._since_cite or ["x"])
            if self._cites and _RANGE_DASH.match(between) and self._cites[-1].rids:
                implied = self.order.between(self._cites[-1].rids[-1], rids[0])
            elif len(rids) == 1 and rids[0] in self.order.position:
                implied = self.order.through_label(rids[0], label)
                implied = tuple(r for r in implied if r not in rids)
        start = self._length
        self._add(label)
        self._cites.append(Cite(start, self._length, rids, implied))
        self._since_cite = []

    def clear(self) -> None:
        """Start a new run of text (after a block broke a paragraph in two)."""
        self._pieces, self._cites, self._length, self._since_cite = [], [], 0, None

    def break_run(self) -> None:
        """Something other than text came between: no range can span it."""
        self._since_cite = None

    def _add(self, piece: str) -> None:
        if piece:
            self._pieces.append(piece)
            self._length += len(piece)

    @property
    def empty(self) -> bool:
        return not "".join(self._pieces).strip() and not self._cites

    def finish(self) -> tuple[str, tuple[Cite, ...]]:
        """The text (trailing space trimmed) and its citations."""
        text = "".join(self._pieces)
        stripped = text.rstrip()
        cites = tuple(
            c if c.end <= len(stripped) else Cite(c.start, len(stripped), c.rids, c.implied)
            for c in self._cites
        )
        return stripped, cites


def walk(
    el: _Element,
    acc: Inline,
    on_block: Callable[[_Element], None] | None = None,
) -> None:
    """Add an element's inline content to ``acc``; hand block children to ``on_block``."""
    acc.text(el.text)
    for child in el:
        name = local(child)
        if not name:
            pass
        elif name == "xref" and child.get("ref-type") == "bibr":
            rids = tuple(r for r in clean_text(child.get("rid") or "").split(" ") if r)
            acc.cite(flat(child), rids)
        elif name == "math:math":
            acc.text(math_text(child))
            acc.break_run()
        elif name == "inline-formula":
            acc.text(formula_text(child)[0])
            acc.break_run()
        elif name in BLOCK_TAGS and on_block is not None:
            on_block(child)
        elif name in SKIPPED or name in BLOCK_TAGS:
            acc.break_run()
        elif name == "break":
            acc.text(" ")
        else:
            walk(child, acc, on_block)
        acc.text(child.tail)
