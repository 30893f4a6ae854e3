"""PubMed's own tagged format (.nbib), as the "Send to: Citation manager" button writes it.

Reference managers import .nbib files by tag, and some of them are strict about the
layout: a four-character tag padded and followed by "- ", long values wrapped at
88 columns with six-space continuation lines, a blank line only between records.  A
blank line inside a record would end it, so every value is flattened to one line first.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Sequence

from tui.data.formats.csl_json import abstract_text, date_parts
from tui.data.model import Author, MeshHeading, Record

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
    """The DP value ("2022 Aug 16"), as far as the date is known."""
    parts = date_parts(record)
    if not parts:
        return None
    words = [str(parts[0])]
    if len(parts) > 1:
        words.append(_MONTH_NAMES[parts[1] - 1])
    if len(parts) > 2:
        words.append(str(parts[2]))
    return " ".join(words)


def _short_name(author: Author) -> str:
    initials = author.initials or "".join(w[0] for w in (author.fore or "").split() if w)
    return " ".join(p for p in (author.last, initials) if p)


def _full_name(author: Author) -> str:
    return f"{author.last}, {author.fore}" if author.last and author.fore else _short_name(author)


def _mesh(heading: MeshHeading) -> str:
    # The record keeps one "major" flag per heading, so the star goes on the descriptor.
    star = "*" if heading.major else ""
    return "/".join((star + heading.descriptor, *heading.qualifiers))


def _source(record: Record, date: str | None) -> str:
    journal = record.journal
    text = f"{journal.iso_abbrev or journal.title or ''}."
    if date:
        text += f" {date}"
    if journal.volume or journal.issue:
        text += f";{journal.volume or ''}" + (f"({journal.issue})" if journal.issue else "")
    if journal.pages:
        text += f":{journal.pages}"
    text += "."
    if record.doi:
        text += f" doi: {record.doi}."
    return text.lstrip(". ")


def tags(record: Record) -> Iterator[tuple[str, str]]:
    """The (tag, value) pairs of one record, in PubMed's order."""
    journal = record.journal
    date = publication_date(record)
    yield "PMID", record.pmid
    if record.book:
        yield "BTI", journal.title or ""
    yield "VI", journal.volume or ""
    yield "IP", journal.issue or ""
    yield "DP", date or ""
    yield "TI", record.title
    yield "PG", journal.pages or ""
    if record.doi:
        yield "LID", f"{record.doi} [doi]"
    yield "AB", abstract_text(record) or ""
    for author in record.authors:
        if author.collective:
            yield "CN", author.collective
            continue
        yield "FAU", _full_name(author)
        yield "AU", _short_name(author)
        if author.orcid:
            yield "AUID", f"ORCID: {author.orcid}"
        for affiliation in author.affiliations:
            yield "AD", affiliation
    for publication_type in record.publication_types:
        yield "PT", publication_type
    if not record.book:
        yield "TA", journal.iso_abbrev or ""
        yield "JT", journal.title or ""
    for heading in record.mesh:
        yield "MH", _mesh(heading)
    if record.pmcid:
        yield "PMC", record.pmcid
    if record.keywords:
        yield "OTO", "NOTNLM"
    for keyword in record.keywords:
        yield "OT", keyword
    yield "COIS", record.coi or ""
    if record.doi:
        yield "AID", f"{record.doi} [doi]"
    yield "SO", _source(record, date)


def lines(record: Record) -> list[str]:
    """The record's lines, empty values left out."""
    out: list[str] = []
    for tag, value in tags(record):
        if _one_line(value):
            out.extend(field(tag, value))
    return out


def render(records: Sequence[Record], *, style: str | None = None) -> str:
    """Records as one .nbib file, separated by blank lines."""
    return "\n".join("\n".join(lines(r)) + "\n" for r in records)
