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
    Item,
    abstract_text,
    citation_title,
    date_parts,
    page_range,
)
from tui.data.formats.fields import journal_abbreviation, journal_name, notes, pages
from tui.data.model import Author, Book, Record, Reference
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
    if author.last and given and author.suffix:
        return f"{author.last}, {given}, {author.suffix}"  # RIS's "Last, First, Suffix"
    return f"{author.last}, {given}" if author.last and given else author.last or given or ""


def _ris_date(parts: list[int]) -> str | None:
    # RIS spells a date "YYYY/MM/DD/other", unknown parts left empty ("2012/11//").
    if not parts:
        return None
    padded = [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]
    return "/".join(padded + [""] * (4 - len(padded)))


def _type(record: Record) -> str:
    if record.book is None:
        return "JOUR"
    return "BOOK" if record.book.whole else "CHAP"


def reference(record: Record) -> dict[str, Any]:
    """One rispy reference dict (rispy field names, in RIS tag order)."""
    journal = record.journal
    book = record.book
    first, last = page_range(pages(record))
    parts = date_parts(record)
    data: dict[str, Any] = {
        "type_of_reference": _type(record),
        "title": citation_title(record.title),
        "authors": [_name(a) for a in record.authors],
    }
    if book is None:
        data["secondary_title"] = journal_name(journal)
        data["alternate_title1"] = journal_abbreviation(journal)
    else:
        data["secondary_title"] = None if book.whole else book.title
        data["secondary_authors"] = [_name(a) for a in book.editors]
        data["publisher"] = book.publisher
        data["place_published"] = book.location
        data["edition"] = book.edition
    data.update(
        {
            "year": str(parts[0]) if parts else None,
            "date": _ris_date(parts),
            "volume": journal.volume,
            "number": journal.issue,
            "start_page": first,
            "end_page": last,
            "doi": record.doi,
            "accession_number": record.pmid,
            "issn": journal.issn
            or journal.issn_linking
            or (book.isbn[0] if book and book.isbn else None),
            "language": record.languages[0] if record.languages else None,
            "abstract": abstract_text(record),
            "keywords": list(record.keywords),
            "notes": notes(record),
            "urls": [pubmed_url(record.pmid)],
        }
    )
    return _cleaned(data)


def _isbn(book: Book | None) -> str | None:
    # RIS keeps ISBN and ISSN in the one SN tag.
    return book.isbn[0] if book is not None and book.isbn else None


def reference_ris(ref: Reference) -> dict[str, Any]:
    """A reference that is not a PubMed record: ``TY  - GEN`` titled with its text."""
    data: dict[str, Any] = {
        "type_of_reference": "GEN",
        "title": ref.citation,
        "doi": ref.doi,
        "accession_number": ref.pmid,
    }
    return _cleaned(data)


def _cleaned(data: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, list):
            value = [v for v in (_one_line(x) for x in value) if v]
        else:
            value = _one_line(value)
        if value:
            cleaned[name] = value
    return cleaned


def render(records: Sequence[Item], *, style: str | None = None) -> str:
    """All records (and references) as one RIS file, one TY ... ER block each."""
    entries = [reference(r) if isinstance(r, Record) else reference_ris(r) for r in records]
    text: str = rispy.dumps(entries, implementation=_Writer)
    return text
