"""Plain text for a terminal or a pipe: the whole record, readable without the reader.

Every piece of record text is cleaned again on the way out, even though the parser
already cleaned it: records also come from the cache and from other sources, and this
path writes straight to a terminal, so it must never emit an escape sequence.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence

from tui.data.model import Correction, Record, Reference
from tui.data.text import clean_text

WIDTH = 80
RULE = "-" * WIDTH


def render(records: Sequence[Record | Reference], *, style: str | None = None) -> str:
    """The records one after another, separated by a blank line and a rule.

    ``style`` is accepted for the common format signature and ignored.  A reference
    that is not a PubMed record prints as its numbered citation.
    """
    if not records:
        return ""
    return f"\n{RULE}\n\n".join(
        _record(r) if isinstance(r, Record) else "\n".join(_reference(1, r)) + "\n" for r in records
    )


def _wrap(text: str | None, indent: str = "", first: str | None = None) -> list[str]:
    """Cleaned text filled to the width; DOIs and URLs are never broken inside.

    ``first`` is the first line's own indent (a label such as "DOI:  ").
    """
    cleaned = clean_text(text or "")
    if not cleaned:
        return []
    return textwrap.wrap(
        cleaned,
        width=WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _field(name: str, value: str | None) -> list[str]:
    return _wrap(value, " " * 7, f"{name}:".ljust(7)) if value else []


def _section(heading: str, lines: Iterable[str]) -> list[str]:
    body = list(lines)
    return ["", heading, *body] if body else []


def _journal_line(record: Record) -> str:
    j = record.journal
    where = j.volume or ""
    if j.issue:
        where += f"({j.issue})"
    if j.pages:
        where = f"{where}:{j.pages}" if where else j.pages
    when = "; ".join(p for p in (record.published, where) if p)
    return ". ".join(clean_text(p) for p in (j.title or j.iso_abbrev, when) if p)


def _names(record: Record) -> list[str]:
    """The author list filled to the width without breaking a person's name across lines.

    Group names are long sentences and may break like any text.
    """
    return _fill(
        [clean_text(a.display) for a in record.authors],
        ", ",
        "",
        whole=[not a.collective for a in record.authors],
    )


def _fill(items: list[str], sep: str, indent: str, whole: list[bool] | None = None) -> list[str]:
    """Items joined by ``sep`` and filled to the width, each item kept on one line.

    textwrap breaks only at ASCII whitespace, so no-break spaces hold an item together.
    """
    keep = whole or [True] * len(items)
    held = (i.replace(" ", "\xa0") if k else i for i, k in zip(items, keep, strict=True))
    text = sep.join(i for i in held if i)
    lines = textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace("\xa0", " ") for line in lines]


def _reference(number: int, ref: Reference) -> list[str]:
    lines = _wrap(ref.citation or "(no citation text)", " " * 6, f"{number:>4}. ")
    ids = [
        f"{name} {clean_text(value)}"
        for name, value in (("DOI", ref.doi), ("PMID", ref.pmid), ("PMCID", ref.pmcid))
        if value
    ]
    return lines + _fill(ids, "  ", " " * 6)


def _notice(correction: Correction) -> str:
    # "RetractionIn" -> "Retraction in: <source> (PMID 123)"
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", correction.type).capitalize()
    pmid = f" (PMID {correction.pmid})" if correction.pmid else ""
    return f"{words}: {correction.source}{pmid}"


def _record(record: Record) -> str:
    lines: list[str] = []
    lines += _wrap(record.title or "(no title)")
    lines += _names(record)
    lines += _wrap(_journal_line(record))
    if record.stale:
        lines += _wrap(record.stale, "      ", "Note: ")
    lines.append("")
    lines += _field("DOI", record.doi)
    lines += _field("PMID", record.pmid)
    lines += _field("PMCID", record.pmcid)
    lines += _field("Type", "; ".join(record.publication_types))
    if record.book is not None:
        book = record.book
        where = ": ".join(p for p in (book.location, book.publisher) if p)
        lines += _field("Book", ". ".join(p for p in (book.title, where) if p) or "yes")
        lines += _field("Eds", ", ".join(clean_text(a.display) for a in book.editors))
    lines += _field("Epub", record.epub)
    lines += _field("Lang", ", ".join(record.languages))
    lines += [w for c in record.corrections for w in _field("See", _notice(c))]

    abstract: list[str] = []
    for section in record.abstract:
        if abstract:
            abstract.append("")
        if section.label:
            abstract += _wrap(section.label, "  ")
        abstract += _wrap(section.text, "  ")
    lines += _section("ABSTRACT", abstract)
    lines += _section("KEYWORDS", _wrap("; ".join(record.keywords), "  "))

    mesh = []
    for heading in record.mesh:
        star = heading.major_descriptor or (heading.major and not heading.major_qualifiers)
        name = ("*" if star else "") + heading.descriptor
        if heading.qualifiers:
            name += " / " + ", ".join(
                ("*" + q if q in heading.major_qualifiers else q) for q in heading.qualifiers
            )
        mesh += _wrap(name, "    ", "  ")
    lines += _section("MESH (* major topic)", mesh)
    lines += _section("CONFLICT OF INTEREST", _wrap(record.coi, "  "))
    grants = [
        "/".join(p for p in (g.id, g.acronym, g.agency, g.country) if p) for g in record.grants
    ]
    lines += _section("GRANTS", [w for g in grants for w in _wrap(g, "    ", "  ")])

    refs = [line for n, ref in enumerate(record.references, 1) for line in _reference(n, ref)]
    lines += _section(f"REFERENCES ({len(record.references)})", refs)
    return "\n".join(lines) + "\n"
