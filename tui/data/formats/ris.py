"""RIS, written with rispy, for EndNote, Zotero, Mendeley and most other managers.

Tags follow what Zotero itself writes for journal articles (T2 for the journal, J2 for
its abbreviation, DA as YYYY/MM/DD) so an export and re-import through Zotero loses
nothing.  RIS is line based, so any line break inside a value would start a bogus tag:
values are flattened to one line first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import rispy

from tui.data.formats.csl_json import (
    abstract_text,
    citation_title,
    date_parts,
    page_range,
)
from tui.data.model import Author, Record
from tui.data.urls import pubmed_url


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without the "1." counter lines, which RIS itself does not define."""

    def set_header(self, count: int) -> str:
        return ""


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _name(author: Author) -> str:
    if author.collective:
        return author.collective
    given = author.fore or author.initials
    return f"{author.last}, {given}" if author.last and given else author.last or given or ""


def _ris_date(parts: list[int]) -> str | None:
    # RIS spells a date "YYYY/MM/DD/other", unknown parts left empty ("2012/11//").
    if not parts:
        return None
    padded = [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]
    return "/".join(padded + [""] * (4 - len(padded)))


def reference(record: Record) -> dict[str, Any]:
    """One rispy reference dict (rispy field names, in RIS tag order)."""
    journal = record.journal
    first, last = page_range(journal.pages)
    parts = date_parts(record)
    data: dict[str, Any] = {
        "type_of_reference": "CHAP" if record.book else "JOUR",
        "title": citation_title(record.title),
        "authors": [_name(a) for a in record.authors],
        "secondary_title": journal.title,
        "alternate_title1": journal.iso_abbrev,
        "year": str(parts[0]) if parts else None,
        "date": _ris_date(parts),
        "volume": journal.volume,
        "number": journal.issue,
        "start_page": first,
        "end_page": last,
        "doi": record.doi,
        "accession_number": record.pmid,
        "issn": journal.issn,
        "abstract": abstract_text(record),
        "keywords": list(record.keywords),
        "urls": [pubmed_url(record.pmid)],
    }
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, list):
            value = [v for v in (_one_line(x) for x in value) if v]
        else:
            value = _one_line(value)
        if value:
            cleaned[name] = value
    return cleaned


def render(records: Sequence[Record], *, style: str | None = None) -> str:
    """All records as one RIS file, one TY ... ER block each."""
    text: str = rispy.dumps([reference(r) for r in records], implementation=_Writer)
    return text
