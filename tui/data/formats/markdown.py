"""Markdown: the record and, when there is one, its open-access full text.

Every piece of record text is escaped, so a title holding ``[x](javascript:…)``, ``<b>``
or a leading ``#`` stays text in any Markdown renderer; only the structure pubterm adds
(headings, lists, tables, links it builds from DOIs and PMIDs) is Markdown.  In-text
citations show the numbers of the reference list printed at the end, so "[12]" in the
text is entry 12 below, whatever numbering the article used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from tui.data.formats.fulltext_text import journal_line, spliced
from tui.data.fulltext_model import Cite, FullText
from tui.data.model import Record, Reference
from tui.data.text import clean_text
from tui.data.urls import doi_url, pmc_url, pubmed_url

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!{}$])")
_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)")
_URL_SAFE = ":/?#@!$&'*+,;=%-._~"
MAX_TABLE_COLUMNS = 30


def esc(text: str) -> str:
    """Record text made inert: every Markdown-significant character backslash-escaped."""
    return _md(clean_text(text), True)


def _md(text: str, at_start: bool) -> str:
    """``esc`` for a run of cleaned text; line-start markers matter only at a line start."""
    out = _SPECIAL.sub(r"\\\1", text)
    if at_start:
        out = _LINE_START.sub(r"\1\\\2", out)
        out = "\\" + out if out[:1] in ("-", "+", "=") else out
    return out


def url(link: str) -> str:
    """A link destination that cannot end the link early (spaces, parentheses encoded)."""
    return quote(clean_text(link), safe=_URL_SAFE)


def render(records: Sequence[Record | Reference], *, style: str | None = None) -> str:
    """The records as Markdown without full text (the abstract stands in for it).

    A reference known only by its citation text is one numbered line of its own.
    """
    parts = [
        document(r, None) if isinstance(r, Record) else _reference(n, r) + "\n"
        for n, r in enumerate(records, 1)
    ]
    return "\n---\n\n".join(parts)


def document(record: Record, full: FullText | None) -> str:
    """One record as a Markdown document, with its full text when ``full`` is given."""
    out: list[str] = [f"# {esc(record.title or '(no title)')}", ""]
    names = ", ".join(clean_text(a.display) for a in record.authors)
    if names:
        out += [esc(names), ""]
    line = journal_line(record)
    if line:
        out += [f"*{esc(line)}*", ""]
    ids = []
    if record.doi:
        ids.append(f"DOI [{esc(record.doi)}]({url(doi_url(record.doi))})")
    if record.pmid:
        link = pubmed_url(record.pmid)
        ids.append(f"PMID [{esc(record.pmid)}]({url(link)})")
    if record.pmcid:
        link = pmc_url(record.pmcid)
        ids.append(f"PMCID [{esc(record.pmcid)}]({url(link)})")
    if ids:
        out += [" · ".join(ids), ""]
    if full is not None and full.license:
        lic = f"Licence: {esc(full.license)}"
        if full.license_url and full.license_url.startswith(("https://", "http://")):
            lic += f" ([licence text]({url(full.license_url)}))"
        out += [lic, ""]
    if record.abstract:
        out += ["## Abstract", ""]
        for section in record.abstract:
            label = f"**{esc(section.label)}** " if section.label else ""
            out += [label + esc(section.text), ""]
    refs: Sequence[Reference] = record.references
    if full is not None:
        out += _body(full)
        refs = full.references
    if refs:
        out += ["## References", ""]
        out += [_reference(n, r) for n, r in enumerate(refs, 1)]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _reference(number: int, ref: Reference) -> str:
    parts = [esc(ref.citation or "(no citation text)")]
    if ref.doi:
        parts.append(f"DOI [{esc(ref.doi)}]({url(doi_url(ref.doi))})")
    if ref.pmid:
        link = pubmed_url(ref.pmid)
        parts.append(f"PMID [{esc(ref.pmid)}]({url(link)})")
    return f"{number}. " + " · ".join(parts)


def _link(label: str, link: str | None) -> str:
    if not link or not link.startswith(("https://", "http://")):
        return ""
    return f" — [{label}]({url(link)})"


def _body(full: FullText) -> list[str]:
    out: list[str] = []
    for block in full.blocks:
        kind = block.kind
        text = spliced(block.text, block.cites, _md)
        label = esc(block.label) if block.label else ""
        if kind == "heading":
            hashes = "#" * min(block.level + 1, 6)
            out += [f"{hashes} {label + ' ' if label else ''}{text}".rstrip(), ""]
        elif kind == "list-item":
            mark = "" if block.label in (None, "•") else label + " "
            out += [f"- {mark}{text}", ""]
        elif kind == "quote" or (kind == "paragraph" and block.level > 0):
            out += [f"> {text}", ""]
        elif kind == "box":
            out += [f"**{label + ' ' if label else ''}{text}**", ""]
        elif kind in ("figure", "table", "supplement"):
            name = label or {"figure": "Figure", "table": "Table"}.get(kind, "Supplement")
            out += [f"**{name}** {text}{_link('link', block.url)}".rstrip(), ""]
            if kind == "table":
                out += _table(block.rows, block.cell_cites)
        elif kind == "formula":
            out += [f"Formula{' ' + label if label else ''}: {text}", ""]
            if block.tex:
                fence = "`" * max(3, _longest_run(block.tex) + 1)
                out += [f"{fence}tex", block.tex, fence, ""]
        elif kind == "footnote":
            out += [f"Note{' ' + label if label else ''}: {text}", ""]
        else:
            out += [text, ""]
    return out


def _longest_run(text: str) -> int:
    return max((len(m) for m in re.findall(r"`+", text)), default=0)


def _table(rows: Sequence[Sequence[str]], cell_cites: Sequence[tuple[int, int, Cite]]) -> list[str]:
    """A Markdown table; the first row stands as the header, as Markdown requires one."""
    if not rows or not rows[0] or len(rows[0]) > MAX_TABLE_COLUMNS:
        return []
    by_cell: dict[tuple[int, int], list[Cite]] = {}
    for r, c, cite in cell_cites:
        by_cell.setdefault((r, c), []).append(cite)

    def cell(r: int, c: int, text: str) -> str:
        return spliced(text, tuple(by_cell.get((r, c), ())), _md) or " "

    lines = []
    for r, row in enumerate(rows):
        lines.append("| " + " | ".join(cell(r, c, t) for c, t in enumerate(row)) + " |")
        if r == 0:
            lines.append("|" + "---|" * len(row))
    return [*lines, ""]
