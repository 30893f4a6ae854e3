"""What the Details view lists, as rows built from plain strings: no Textual widgets here.

Each row is one entry the cursor can rest on (an author with their affiliations, a
grant, a comment) or a section heading; a row may carry a target, the PMID or address
``enter`` opens.  Kept apart from the widget so the wording is testable on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from textual.content import Content

from tui.data.model import Author, Book, Chemical, Correction, Record
from tui.data.model_publication import Grant
from tui.widgets.badges import clean, linked, pubmed_url
from tui.widgets.corrections import correction_text

EMPTY_TEXT = "No further details in this record."
ORCID_URL = "https://orcid.org/"
_ORCID = re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9Xx]$")

# ISO 639-2 codes as PubMed writes them, for the languages most records use.
LANGUAGES: dict[str, str] = {
    "eng": "English", "ger": "German", "fre": "French", "spa": "Spanish", "ita": "Italian",
    "por": "Portuguese", "rus": "Russian", "jpn": "Japanese", "chi": "Chinese",
    "dut": "Dutch", "pol": "Polish", "swe": "Swedish", "dan": "Danish", "nor": "Norwegian",
    "cze": "Czech", "hun": "Hungarian", "tur": "Turkish", "kor": "Korean", "heb": "Hebrew",
    "fin": "Finnish", "gre": "Greek", "ara": "Arabic", "per": "Persian",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Row:
    """One entry of the view; ``heading`` rows are titles the cursor passes over."""

    content: Content
    heading: bool = False
    target: tuple[Literal["pmid", "url"], str] | None = None
    # A number the content's wrapped lines hang under ("12."), for numbered entries.
    label: Content | None = None
    # The comment or correction a row names, passed up with its PMID.
    correction: Correction | None = None

    @property
    def plain(self) -> str:
        """The row as plain text, label first."""
        return f"{self.label.plain} {self.content.plain}" if self.label else self.content.plain


def orcid_url(orcid: str | None) -> str | None:
    """The ORCID page of an iD, given bare or as an address; None when it is not an iD.

    Only a well-formed iD becomes a link and an ``enter`` target: the text is the
    record's, and an address made from anything else would open who knows what.
    """
    value = clean(orcid).strip()
    for prefix in ("https://orcid.org/", "http://orcid.org/", "orcid.org/"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return ORCID_URL + value.upper() if _ORCID.match(value) else None


def full_name(author: Author) -> str:
    """ "Boyd, Sara E", "Marshall, John C Jr", or the collective name whole."""
    if author.collective:
        return clean(author.collective)
    last, given = clean(author.last), clean(author.fore) or clean(author.initials)
    name = f"{last}, {given}" if last and given else last or given
    suffix = clean(author.suffix)
    return f"{name} {suffix}" if suffix and name else name


def heading(title: str) -> Row:
    return Row(Content(title).stylize(".details--heading"), heading=True)


def author_row(label: str, author: Author) -> Row | None:
    """The name, then the ORCID address, then each affiliation, under the number."""
    name = full_name(author)
    if not name:
        return None
    lines = [Content(name).stylize(".details--name")]
    url = orcid_url(author.orcid)
    orcid = clean(author.orcid)
    if url or orcid:
        shown = linked(url, url, ".details--link") if url else Content(orcid)
        lines.append(Content("ORCID ").stylize(".details--muted") + shown)
    for affiliation in map(clean, author.affiliations):
        if affiliation:
            lines.append(Content(affiliation).stylize(".details--muted"))
    return Row(
        Content("\n").join(lines),
        target=("url", url) if url else None,
        label=Content(label).stylize(".details--muted"),
    )


def people(title: str, authors: tuple[Author, ...]) -> list[Row]:
    """A numbered list of people, numbers right-aligned in their own column."""
    width = len(str(len(authors)))
    found = (author_row(f"{n:>{width}}.", a) for n, a in enumerate(authors, 1))
    rows = [row for row in found if row is not None]
    return [heading(f"{title} ({len(rows)})"), *rows] if rows else []


def field(label: str, value: str | None) -> Row | None:
    """ "Language: English (eng)" — a label in the muted colour, the value as data."""
    text = clean(value)
    if not text:
        return None
    return Row(Content.assemble((f"{label}: ", ".details--label"), (text, ".details--value")))


def fields(title: str, *rows: Row | None) -> list[Row]:
    found = [row for row in rows if row is not None]
    return [heading(title), *found] if found else []


def language_text(codes: tuple[str, ...]) -> str:
    names = [f"{LANGUAGES[c]} ({c})" if c in LANGUAGES else c for c in map(clean, codes) if c]
    return ", ".join(names)


def book_rows(book: Book, record_authors: tuple[Author, ...]) -> list[Row]:
    """The book: its title, its own authors (when not the record's), editors, publisher."""
    place = ", ".join(p for p in (clean(book.publisher), clean(book.location)) if p)
    rows = fields(
        "Book" if book.whole else "In the book",
        field("Title", book.title),
        field("Publisher", place),
        field("Edition", book.edition),
        field("Volume", book.volume),
        field("ISBN", ", ".join(map(clean, book.isbn))),
    )
    if book.authors and book.authors != record_authors:
        rows += people("Authors of the book", book.authors)
    return rows + people("Editors", book.editors)


def grant_row(grant: Grant) -> Row | None:
    agency = clean(grant.agency)
    acronym = clean(grant.acronym)
    if agency and acronym:
        agency = f"{agency} ({acronym})"
    parts = [p for p in (clean(grant.id), agency or acronym, clean(grant.country)) if p]
    return Row(Content(" · ".join(parts)).stylize(".details--value")) if parts else None


def chemical_row(chemical: Chemical) -> Row | None:
    name, registry = clean(chemical.name), clean(chemical.registry)
    if not name:
        return None
    if registry and registry != "0":
        return Row(
            Content.assemble((name, ".details--value"), (f"  {registry}", ".details--muted"))
        )
    return Row(Content(name).stylize(".details--value"))


def listed(title: str, rows: list[Row | None]) -> list[Row]:
    found = [row for row in rows if row is not None]
    return [heading(f"{title} ({len(found)})"), *found] if found else []


def correction_row(correction: Correction) -> Row:
    """A comment, update or notice; ``enter`` opens it when PubMed gives its PMID."""
    pmid = clean(correction.pmid)
    target: tuple[Literal["pmid", "url"], str] | None = ("pmid", pmid) if pubmed_url(pmid) else None
    text = Content(correction_text(correction)).stylize(".details--value")
    return Row(text, target=target, correction=correction)


def details_rows(record: Record | None) -> list[Row]:
    """Every section the record has data for, in reading order."""
    if record is None:
        return []
    rows = people("Authors", record.authors)
    if record.book is not None:
        rows += book_rows(record.book, record.authors)
    journal = record.journal
    rows += fields(
        "Publication",
        # A book record's "journal" is the book again, listed above.
        field("Journal", journal.title if record.book is None else None),
        field("ISSN", journal.issn),
        field("Published", record.published_as or record.published),
        field("Published electronically", record.epub),
        field("Language", language_text(record.languages)),
        field("Copyright", record.copyright),
    )
    rows += listed("Grants", [grant_row(g) for g in record.grants])
    rows += listed("Chemicals", [chemical_row(c) for c in record.chemicals])
    notices = record.notices
    links = [*notices, *(c for c in record.corrections if c not in notices)]
    rows += listed("Comments and corrections", [correction_row(c) for c in links])
    return rows or [Row(Content(EMPTY_TEXT).stylize(".details--muted"))]
