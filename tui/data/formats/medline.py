"""PubMed's own tagged format (.nbib), as PubMed's "Send to: Citation manager" writes it.

Reference managers import .nbib files by tag, and some of them are strict about the
layout: a four-character tag padded and followed by "- ", long values wrapped at
88 columns with six-space continuation lines, a blank line only between records.  A
blank line inside a record would end it, so every value is flattened to one line first.
The tags come in PubMed's order and spelling (see :mod:`tui.data.formats.medline_tags`),
so an import of this file gets what an import of PubMed's own would.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Sequence

from tui.data.formats.csl_json import Item, abstract_text, date_parts
from tui.data.formats.fields import grant_line
from tui.data.formats.medline_tags import (
    CORRECTION_TAGS,
    book_tags,
    compact,
    history_tags,
    people,
    source,
)
from tui.data.model import MeshHeading, Record, Reference

WIDTH = 88
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Characters that end a line for some reader (str.splitlines, or nbib's split on "\n").
_LINE_BREAKS = re.compile(r"[ \t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).strip()


def field(tag: str, value: str) -> list[str]:
    """One tag's lines: wrapped at spaces only, so readers rejoin them exactly."""
    return textwrap.wrap(
        _one_line(value),
        width=WIDTH,
        initial_indent=f"{tag:<4}- ",
        subsequent_indent=" " * 6,
        break_long_words=False,
        break_on_hyphens=False,
    )


def publication_date(record: Record) -> str | None:
    """The DP value: PubMed's own words ("1990 Spring"), else built from the ISO date."""
    if record.published_as:
        return record.published_as
    parts = date_parts(record)
    if not parts:
        return None
    words = [str(parts[0])]
    if len(parts) > 1:
        words.append(_MONTH_NAMES[parts[1] - 1])
    if len(parts) > 2:
        words.append(str(parts[2]))
    return " ".join(words)


def mesh_heading(heading: MeshHeading) -> str:
    """ "Liver/drug effects/*enzymology": the star on exactly the parts that are major."""
    on_descriptor = heading.major_descriptor or (heading.major and not heading.major_qualifiers)
    parts = ["*" + heading.descriptor if on_descriptor else heading.descriptor]
    parts += ["*" + q if q in heading.major_qualifiers else q for q in heading.qualifiers]
    return "/".join(parts)


def _locations(record: Record) -> Iterator[tuple[str, str]]:
    if record.elocations:
        for location in record.elocations:
            yield "LID", f"{location.value} [{location.type}]"
    elif record.doi:
        yield "LID", f"{record.doi} [doi]"


def _journal_head(record: Record) -> Iterator[tuple[str, str]]:
    journal = record.journal
    if journal.issn:
        yield "IS", f"{journal.issn} ({journal.issn_type or 'Print'})"
    if journal.issn_linking:
        yield "IS", f"{journal.issn_linking} (Linking)"
    yield "VI", journal.volume or ""
    yield "IP", journal.issue or ""


def tags(record: Record) -> Iterator[tuple[str, str]]:
    """The (tag, value) pairs of one record, in PubMed's order."""
    journal = record.journal
    date = publication_date(record)
    book = record.book
    yield "PMID", record.pmid
    yield "OWN", record.owner or ""
    yield "STAT", record.status or ""
    yield "DCOM", compact(record.date_completed)
    yield "LR" if book is None else "DRDT", compact(record.date_revised)
    if book is None:
        yield from _journal_head(record)
    else:
        yield "PB", book.publisher or ""
    yield "DP", date or ""
    yield "TI", record.title
    yield "TT", record.vernacular_title or ""
    if book is not None:
        if not book.whole:
            yield "BTI", book.title or ""
        yield "VI", book.volume or ""
        yield "EN", book.edition or ""
    yield "PG", journal.pages or ""
    yield from _locations(record)
    yield "AB", abstract_text(record) or ""
    yield "CI", record.copyright or ""
    for other in record.other_abstracts:
        yield "OAB", other.text
        yield "OABL", other.language or ""
    if book is not None:
        yield from people(book.editors, "FED", "ED")
    yield from people(record.authors, "FAU", "AU")
    for language in record.languages:
        yield "LA", language
    for grant in record.grants:
        yield "GR", grant_line(grant)
    for publication_type in record.publication_types:
        yield "PT", publication_type
    yield "DEP", compact(record.epub)
    yield "PL", (journal.country if book is None else book.location) or ""
    if book is None:
        yield "TA", journal.medline_ta or journal.iso_abbrev or journal.title or ""
        yield "JT", journal.title or ""
        yield "JID", journal.nlm_id or ""
    for chemical in record.chemicals:
        yield "RN", f"{chemical.registry or '0'} ({chemical.name})"
    for subset in record.subsets:
        yield "SB", subset
    for heading in record.mesh:
        yield "MH", mesh_heading(heading)
    yield from _keywords(record)
    for correction in record.corrections:
        tag = CORRECTION_TAGS.get(correction.type)
        if tag:
            pmid = f" PMID: {correction.pmid}" if correction.pmid else ""
            yield tag, f"{correction.source}{pmid}".strip()
    yield "COIS", record.coi or ""
    yield from history_tags(record)
    if book is not None:
        yield from book_tags(book)
    yield "SO", source(record, date)


def _keywords(record: Record) -> Iterator[tuple[str, str]]:
    lists = [(k.owner, k.keywords) for k in record.keyword_lists]
    if not lists and record.keywords:
        lists = [("NOTNLM", record.keywords)]
    for owner, words in lists:
        yield "OTO", owner
        for word in words:
            yield "OT", word


def lines(record: Record) -> list[str]:
    """The record's lines, empty values left out."""
    out: list[str] = []
    for tag, value in tags(record):
        if _one_line(value):
            out.extend(field(tag, value))
    return out


def reference_lines(reference: Reference) -> list[str]:
    """A reference that is not a PubMed record: its text as the title, its identifiers."""
    pairs = [
        ("PMID", reference.pmid or ""),
        ("TI", reference.citation),
        ("PMC", reference.pmcid or ""),
        ("AID", f"{reference.doi} [doi]" if reference.doi else ""),
    ]
    return [line for tag, value in pairs if _one_line(value) for line in field(tag, value)]


def render(records: Sequence[Item], *, style: str | None = None) -> str:
    """Records (and references) as one .nbib file, separated by blank lines."""
    return "\n".join(
        "\n".join(lines(r) if isinstance(r, Record) else reference_lines(r)) + "\n" for r in records
    )
