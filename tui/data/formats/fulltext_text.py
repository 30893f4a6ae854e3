"""Full text as plain text (``--format text --full-text``), and what Markdown shares.

The content is the Markdown output's, without markup: headings, paragraphs, lists,
captions with their links, tables as rows, formulas with their TeX, notes, and the
numbered reference list.  In-text citations carry the numbers of that list: a numeric
citation shows the list's number in place of the article's ("[12]"), an author-year
one keeps its words and adds the number ("Smith et al., 2019 [12]").  Text is cleaned
again on the way out, since this path writes straight to a terminal.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence

from tui.data.fulltext_model import (
    BOX,
    FIGURE,
    FOOTNOTE,
    FORMULA,
    HEADING,
    LIST_ITEM,
    SUPPLEMENT,
    TABLE,
    Cite,
    FullText,
)
from tui.data.model import Record
from tui.data.text import clean_run, clean_text

WIDTH = 80
MIN_YEAR = 1000  # no reference list is this long; a number this big is a year
_NUMERIC = re.compile(r"^[\[(]?\s*\d+(?:\s*[-–—,;]\s*\d+)*\s*[\])]?$")
Escape = Callable[[str, bool], str]


def _plain(text: str, at_start: bool) -> str:
    return text


def numbers_shown(numbers: Sequence[int]) -> str:
    """ "3–6" for a run of three or more, else "3,5,9"."""
    unique = list(dict.fromkeys(numbers))
    if len(unique) >= 3 and unique == list(range(unique[0], unique[0] + len(unique))):
        return f"{unique[0]}–{unique[-1]}"
    return ",".join(str(n) for n in unique)


def _inside_brackets(text: str, start: int) -> bool:
    """Whether the article already wrote brackets around this citation: "[1, 2]"."""
    before = text[max(0, start - 40) : start]
    opened = max(before.rfind("["), before.rfind("("))
    return opened >= 0 and before.rfind("]") < opened and before.rfind(")") < opened


def cite_shown(text: str, cite: Cite, escape: Escape = _plain) -> str:
    """How one citation reads in the output, numbered against the printed list."""
    label = text[cite.start : cite.end]
    if not cite.own_numbers:
        return escape(label, False)
    shown = numbers_shown(cite.own_numbers)
    # "(Conti and Weinberg 1999)" links only the year: a year is not a reference number.
    years = any(int(n) >= MIN_YEAR for n in re.findall(r"\d+", label))
    if not label or (_NUMERIC.match(label) and not years):
        bracketed = label[:1] in ("[", "(")
        return shown if _inside_brackets(text, cite.start) and not bracketed else f"[{shown}]"
    return f"{escape(label, False)} [{shown}]"


def spliced(text: str, cites: Sequence[Cite], escape: Escape | None = None) -> str:
    """The text with every citation shown by its number; other text through ``escape``."""
    esc = escape or _plain
    out: list[str] = []
    pos = 0
    for cite in sorted(cites, key=lambda c: c.start):
        if cite.start < pos:
            continue
        out.append(_segment(text[pos : cite.start], pos == 0, esc))
        out.append(cite_shown(text, cite, esc))
        pos = cite.end
    tail = text[pos:]
    if escape is not None and out and tail[:1] in ("(", "["):
        tail = "\\" + tail  # "[12](…" must not become a link
    out.append(_segment(tail, pos == 0, esc))
    return "".join(out)


def _segment(raw: str, at_start: bool, escape: Escape) -> str:
    """A run of text between citations, escaped with its outer spaces kept."""
    lead, core, trail = clean_run(raw)
    return lead + (escape(core, at_start and not lead) if core else "") + trail


def journal_line(record: Record) -> str:
    j = record.journal
    where = j.volume or ""
    if j.issue:
        where += f"({j.issue})"
    if j.pages:
        where = f"{where}:{j.pages}" if where else j.pages
    when = "; ".join(p for p in (record.published, where) if p)
    return ". ".join(clean_text(p) for p in (j.title or j.iso_abbrev, when) if p)


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        clean_text(text),
        width=WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def body_lines(full: FullText) -> list[str]:
    """The article's body and back matter as wrapped lines of plain text."""
    lines: list[str] = []
    if full.license:
        lines += ["", *_wrap(f"Licence: {full.license} {full.license_url or ''}".strip())]
    for block in full.blocks:
        text = spliced(block.text, block.cites)
        label = clean_text(block.label or "")
        pad = "  " * block.level
        if block.kind == HEADING:
            title = f"{label} {text}".strip()
            lines += ["", title]
            if block.level <= 2:
                lines.append(("=" if block.level == 1 else "-") * min(len(title), WIDTH))
        elif block.kind == LIST_ITEM:
            mark = f"{label or '•'} "
            lines += _wrap(text, pad + " " * (len(mark) + 2), pad + "  " + mark)
        elif block.kind in (FIGURE, TABLE, SUPPLEMENT, BOX):
            name = label or {FIGURE: "Figure", TABLE: "Table", BOX: "Box"}.get(block.kind, "")
            lines += ["", *_wrap(f"{name} {text}".strip(), pad + "  ", pad)]
            if block.url:
                lines += _wrap(block.url, pad + "  ", pad + "  ")
            if block.kind == TABLE:
                lines += [pad + "  " + " | ".join(clean_text(c) for c in row) for row in block.rows]
        elif block.kind == FORMULA:
            lines += ["", *_wrap(f"{label} {text}".strip(), pad + "  ", pad + "  ")]
            if block.tex:
                lines += _wrap(f"TeX: {block.tex}", pad + "    ", pad + "  ")
        elif block.kind == FOOTNOTE:
            lines += _wrap(text, pad + "    ", pad + f"Note {label}: " if label else pad + "Note: ")
        else:
            lines += ["", *_wrap(text, pad)]
    return lines


def document(record: Record, full: FullText) -> str:
    """The plain-text record (as ``--format text`` prints it) followed by the full text."""
    from dataclasses import replace

    from tui.data.formats.text import render

    head = render([replace(record, references=())]).rstrip("\n").splitlines()
    head = [line for line in head if not line.startswith("REFERENCES (")]
    lines = [*head, "", "FULL TEXT", *body_lines(full)]
    lines += ["", f"REFERENCES ({len(full.references)})"]
    for n, ref in enumerate(full.references, 1):
        lines += _wrap(ref.citation or "(no citation text)", " " * 6, f"{n:>4}. ")
        ids = "  ".join(
            f"{name} {clean_text(value)}"
            for name, value in (("DOI", ref.doi), ("PMID", ref.pmid), ("PMCID", ref.pmcid))
            if value
        )
        if ids:
            lines += _wrap(ids, " " * 6, " " * 6)
    return "\n".join(lines) + "\n"
