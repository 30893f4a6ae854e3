"""The body and back matter of a JATS article as a flat run of blocks.

Sections nest as deep as the article nests them and keep the article's own numbering
(``<label>``) or none; everything inside them (paragraphs, lists, boxes, quotes,
figures, tables, formulas, footnotes, supplementary material) becomes a
:class:`Block` in reading order.  Tables become rows of cells with column and row
spans flattened: the spanned text sits in the first cell it covers and the others are
left empty, so every row has the table's full width (see :mod:`tui.data.jats_tables`).
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from tui.data.fulltext_model import (
    BOX,
    FIGURE,
    FOOTNOTE,
    FORMULA,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    SUPPLEMENT,
    TABLE,
    Block,
    Section,
)
from tui.data.jats_inline import XLINK, Inline, RefOrder, flat, formula_text, local, walk
from tui.data.jats_tables import grid
from tui.data.text import clean_or_none, clean_text

_Element = etree._Element
# Back-matter sections with no title of their own, named the way articles name them.
BACK_TITLES = {
    "ack": "Acknowledgements",
    "glossary": "Abbreviations",
    "app-group": "Appendix",
    "fn-group": "Notes",
    "notes": "Notes",
}


class BlockBuilder:
    """Walks body and back, appending blocks and the outline as it goes."""

    def __init__(self, pmcid: str | None, order: RefOrder) -> None:
        self.pmcid = pmcid
        self.order = order
        self.blocks: list[Block] = []
        self.sections: list[Section] = []
        self._section = -1

    # -- structure -------------------------------------------------------------------
    def body(self, body: _Element) -> None:
        self.container(body, depth=1, level=0)

    def back(self, back: _Element) -> None:
        for child in back:
            name = local(child)
            if name in ("ref-list", "label", "title"):
                continue
            if name in BACK_TITLES or name == "sec":
                self.section(child, depth=1, fallback=BACK_TITLES.get(name))
            else:
                self.element(child, depth=1, level=0)

    def heading(self, title: str, depth: int, label: str | None = None) -> None:
        if not title and not label:
            return
        self._section = len(self.sections)
        self.sections.append(Section(title or label or "", depth, len(self.blocks), label))
        self._add(Block(HEADING, title or label or "", depth, label=label if title else None))

    def section(self, sec: _Element, depth: int, fallback: str | None = None) -> None:
        title = flat(sec.find("{*}title")) or flat(sec.find("{*}caption/{*}title"))
        label = clean_or_none(flat(sec.find("{*}label")))
        self.heading(title or ("" if label else fallback or ""), depth, label)
        inner = depth + 1 if title or label or fallback else depth
        self.container(sec, depth=inner, level=0)

    def container(self, el: _Element, depth: int, level: int) -> None:
        for child in el:
            name = local(child)
            if name in ("title", "label", "sec-meta", "caption") and el is not None:
                continue
            self.element(child, depth, level)

    def element(self, el: _Element, depth: int, level: int) -> None:
        """One child of a section, box or list item, whatever its kind."""
        name = local(el)
        if name == "sec":
            self.section(el, depth)
        elif name == "p":
            self.paragraph(el, PARAGRAPH, depth, level)
        elif name in ("list", "def-list"):
            self.listing(el, depth, level)
        elif name == "boxed-text":
            self.box(el, depth, level)
        elif name in ("disp-quote", "speech", "verse-group", "statement"):
            for child in el:
                if local(child) in ("p", "verse-line"):
                    self.paragraph(child, QUOTE, depth, level + 1)
                elif local(child) not in ("label", "title", "attrib"):
                    self.element(child, depth, level + 1)
        elif name in ("fig", "fig-group"):
            self.figure(el, level)
        elif name in ("table-wrap", "table-wrap-group"):
            self.table(el, level)
        elif name in ("disp-formula", "disp-formula-group"):
            self.formula(el, level)
        elif name == "supplementary-material":
            self.supplement(el, level)
        elif name == "fn-group":
            for fn in el.iter("{*}fn"):
                self.footnote(fn, level)
        elif name == "fn":
            self.footnote(el, level)
        elif name in ("ack", "glossary", "app", "notes"):
            self.section(el, depth, BACK_TITLES.get(name))
        elif name in ("code", "preformat"):
            self._add(Block(PARAGRAPH, clean_text("".join(map(str, el.itertext()))), level))
        elif name in ("title", "label"):
            pass
        elif len(el):
            self.container(el, depth, level)

    # -- text blocks -------------------------------------------------------------------
    def paragraph(self, el: _Element, kind: str, depth: int, level: int) -> None:
        acc = Inline(self.order)

        def on_block(child: _Element) -> None:
            self._emit(acc, kind, level)
            acc.clear()
            self.element(child, depth, level)

        walk(el, acc, on_block)
        self._emit(acc, kind, level)

    def _emit(self, acc: Inline, kind: str, level: int, label: str | None = None) -> None:
        if acc.empty:
            return
        text, cites = acc.finish()
        self._add(Block(kind, text, level, label=label, cites=cites))

    def listing(self, el: _Element, depth: int, level: int) -> None:
        ordered = el.get("list-type", "") in ("order", "alpha-lower", "alpha-upper")
        ordered = ordered or el.get("list-type", "").startswith("roman")
        number = 0
        for item in el:
            name = local(item)
            if name == "title":
                self._add(Block(PARAGRAPH, flat(item), level))
                continue
            if name not in ("list-item", "def-item"):
                continue
            number += 1
            given = clean_or_none(flat(item.find("{*}label")))
            label = given or (f"{number}." if ordered else "•")
            if name == "def-item":
                term, definition = flat(item.find("{*}term")), flat(item.find("{*}def"))
                self._add(Block(LIST_ITEM, f"{term}: {definition}".strip(": "), level, label=label))
                continue
            first = True
            for child in item:
                cname = local(child)
                if cname == "p" and first:
                    acc = Inline(self.order)
                    walk(child, acc, lambda c: self.element(c, depth, level + 1))
                    self._emit(acc, LIST_ITEM, level, label)
                    first = False
                elif cname != "label":
                    self.element(child, depth, level + 1)

    def box(self, el: _Element, depth: int, level: int) -> None:
        title = flat(el.find("{*}caption/{*}title")) or flat(el.find("{*}title"))
        label = clean_or_none(flat(el.find("{*}label")))
        self._add(Block(BOX, title or label or "Box", level, label=label if title else None))
        for child in el:
            if local(child) == "caption":
                for p in child.iterfind("{*}p"):
                    self.paragraph(p, PARAGRAPH, depth, level + 1)
            elif local(child) not in ("label", "title"):
                self.element(child, depth, level + 1)

    def footnote(self, fn: _Element, level: int) -> None:
        label = clean_or_none(flat(fn.find("{*}label")))
        acc = Inline(self.order)
        for p in fn:
            if local(p) != "label":
                walk(p, acc)
                acc.text(" ")
        self._emit(acc, FOOTNOTE, level, label)

    # -- figures, tables, formulas -----------------------------------------------------
    def _caption(self, el: _Element) -> Inline:
        acc = Inline(self.order)
        caption = el.find("{*}caption")
        if caption is not None:
            for part in caption:
                if local(part) in ("title", "p"):
                    walk(part, acc)
                    acc.text(" ")
        return acc

    def _url(self, el: _Element, kind: str) -> str | None:
        href = next((g.get(XLINK + "href") for g in el.iter("{*}graphic", "{*}media")), None)
        if href and href.startswith(("https://", "http://")):
            return clean_text(href)
        ident = el.get("id")
        if self.pmcid and ident:
            return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/{kind}/{ident}/"
        return None

    def figure(self, el: _Element, level: int) -> None:
        if local(el) == "fig-group":
            for fig in el.iterfind("{*}fig"):
                self.figure(fig, level)
            return
        label = clean_or_none(flat(el.find("{*}label")))
        text, cites = self._caption(el).finish()
        url = self._url(el, "figure")
        self._add(Block(FIGURE, text, level, label=label, cites=cites, url=url))

    def table(self, el: _Element, level: int) -> None:
        if local(el) == "table-wrap-group":
            for wrap in el.iterfind("{*}table-wrap"):
                self.table(wrap, level)
            return
        label = clean_or_none(flat(el.find("{*}label")))
        text, cites = self._caption(el).finish()
        table = next(el.iter("{*}table"), None)
        found = grid(table, self.order) if table is not None else ((), 0, ())
        url = self._url(el, "table")
        rows, header, cells = found
        block = Block(TABLE, text, level, label=label, cites=cites, url=url, rows=rows)
        self._add(replace(block, header_rows=header, cell_cites=cells))
        for foot in el.iterfind("{*}table-wrap-foot"):
            for child in foot:
                if local(child) == "fn-group":
                    for fn in child.iter("{*}fn"):
                        self.footnote(fn, level + 1)
                elif local(child) == "fn":
                    self.footnote(child, level + 1)
                elif local(child) == "p":
                    self.paragraph(child, FOOTNOTE, 0, level + 1)

    def formula(self, el: _Element, level: int) -> None:
        if local(el) == "disp-formula-group":
            for f in el.iterfind("{*}disp-formula"):
                self.formula(f, level)
            return
        text, tex = formula_text(el)
        label = clean_or_none(flat(el.find("{*}label")))
        if text or tex:
            self._add(Block(FORMULA, text or tex or "", level, label=label, tex=tex))

    def supplement(self, el: _Element, level: int) -> None:
        label = clean_or_none(flat(el.find("{*}label")))
        text, cites = self._caption(el).finish()
        href = el.get(XLINK + "href") or next(
            (m.get(XLINK + "href") for m in el.iter("{*}media")), None
        )
        url = clean_or_none(href) if href and href.startswith("http") else None
        if url is None and href and self.pmcid:
            url = f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/bin/{clean_text(href)}"
        self._add(Block(SUPPLEMENT, text or label or "", level, label=label, cites=cites, url=url))

    def _add(self, block: Block) -> None:
        self.blocks.append(_in_section(block, self._section))


def _in_section(block: Block, section: int) -> Block:
    return replace(block, section=section)
