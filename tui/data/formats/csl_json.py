"""CSL-JSON: the citation data model every other citation format here is derived from.

CSL-JSON is what reference managers (Zotero, pandoc, citeproc) exchange, so the mapping
from a PubMed record to citation data is written once, here: the item shape, the date
parts, the page range and the citation key.  BibTeX, RIS, MEDLINE and the formatted
citations take those pieces from this module so that all formats agree on, say, which
month an article appeared in or where its pages end.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from tui.data.formats.fields import journal_abbreviation, journal_name, notes, pages, reference_year
from tui.data.model import Author, Record, Reference
from tui.data.urls import pubmed_url

# What every format writes: a PubMed record in full, or a reference from its text.
Item = Record | Reference


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# "2022", "2022-08", "2022-08-16", "2022 Aug", "2022 Aug 16", "2022 Aug-Sep", "1990 Spring".
_DATE_RE = re.compile(
    r"^\s*(?P<year>\d{4})"
    r"(?:[-/ ](?P<month>\d{1,2}|[A-Za-z]+)(?:[-/ ](?P<day>\d{1,2})(?!\d))?)?"
)
_PAGE_RE = re.compile(r"^([A-Za-z]*)(\d+)$")
# Words that never make a good citation-key word.
_STOPWORDS = frozenset(
    (
        "a", "an", "the", "of", "on", "in", "at", "to", "for", "from", "and", "or", "but",
        "with", "by", "as", "is", "are", "be", "about", "into", "over", "under", "via", "vs",
        "versus", "its", "their", "our", "your", "his", "her", "what", "why", "how", "when",
        "where", "which", "who", "do", "does",
    )
)  # fmt: skip
# Letters that NFKD does not decompose into ASCII plus combining marks.
_ASCII_EXTRA = str.maketrans(
    {
        "ı": "i", "ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
        "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    }
)  # fmt: skip


def date_parts(record: Record) -> list[int]:
    """Year, month and day as far as the record knows them (CSL's ``date-parts`` row).

    PubMed dates come in many shapes (a season, a month range, a bare year); anything
    beyond what can be read with confidence is left out rather than guessed.
    """
    match = _DATE_RE.match(record.published or "")
    if not match:
        return []
    parts = [int(match["year"])]
    month_text = (match["month"] or "").lower()
    # A season ("Spring") is not a month; neither is anything else unrecognised.
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text, 0)
    if 1 <= month <= 12:
        parts.append(month)
        if match["day"] and 1 <= int(match["day"]) <= 31:
            parts.append(int(match["day"]))
    return parts


def page_range(pages: str | None) -> tuple[str | None, str | None]:
    """First and last page of the first range, with MEDLINE's shortened end expanded.

    MEDLINE writes "1029-35" for pages 1029 to 1035; citation formats want "1035".
    Electronic article numbers ("e0021622") have a first page and no last page.
    """
    if not pages:
        return None, None
    first_range = pages.split(",")[0].strip()
    first, sep, last = first_range.partition("-")
    first, last = first.strip(), last.strip()
    if not sep or not last:
        return first or None, None
    start, end = _PAGE_RE.match(first), _PAGE_RE.match(last)
    if start and end and not end[1] and len(end[2]) < len(start[2]):
        last = start[1] + start[2][: len(start[2]) - len(end[2])] + end[2]
    return first or None, last


def page_text(pages: str | None, dash: str = "-") -> str | None:
    """The page field of a citation: the expanded first range, or the raw value."""
    first, last = page_range(pages)
    if first and last:
        return f"{first}{dash}{last}"
    return first


def ascii_fold(text: str) -> str:
    """Text reduced to plain ASCII letters and digits' neighbours, for citation keys."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    return "".join(c for c in decomposed if c.isascii() and not unicodedata.combining(c))


def _key_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", ascii_fold(text).lower())


def cite_key(record: Record) -> str:
    """A stable, readable key: first author's family name + year + first title word.

    The same record always gets the same key ("boyd2022oxa"), so a bibliography built
    from several pubterm exports keeps its keys.
    """
    author = ""
    if record.authors:
        first = record.authors[0]
        name_words = _key_words(first.last or first.collective or first.fore or "")
        author = (
            "".join(name_words)
            if first.last
            else next((w for w in name_words if w not in _STOPWORDS), "")
        )
    title_words = [w for w in _key_words(record.title) if w not in _STOPWORDS]
    word = next((w for w in title_words if not w.isdigit()), title_words[0] if title_words else "")
    return f"{author or 'anon'}{record.year or 'nd'}{word}"


def reference_key(reference: Reference) -> str:
    """A key for a reference known only by its text: first word, year, "ref"."""
    words = _key_words(reference.citation)
    first = next((w for w in words if not w.isdigit() and w not in _STOPWORDS), "anon")
    return f"{first}{reference_year(reference) or 'nd'}ref"


def cite_keys(records: Sequence[Item]) -> list[str]:
    """Keys for one output: repeated keys get a, b, ... appended so each is unique."""
    taken: set[str] = set()
    keys: list[str] = []
    for record in records:
        base = key = cite_key(record) if isinstance(record, Record) else reference_key(record)
        n = 0
        while key in taken:
            key = base + _suffix(n)
            n += 1
        taken.add(key)
        keys.append(key)
    return keys


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def csl_name(author: Author) -> dict[str, str]:
    """A CSL name: family/given for people, ``literal`` so a group is never split."""
    if author.collective:
        return {"literal": author.collective}
    name: dict[str, str] = {}
    if author.last:
        name["family"] = author.last
    # The full ForeName: styles that print given names (MLA, Chicago) need it, and those
    # that print initials make them from it.
    given = author.fore or author.initials
    if given:
        name["given"] = given
    if author.suffix and name:
        name["suffix"] = author.suffix
    return name or {"literal": author.display}


def citation_title(title: str) -> str:
    """The title without PubMed's closing full stop: citation styles add their own."""
    if title.endswith(".") and not title.endswith(".."):
        return title[:-1]
    return title


def abstract_text(record: Record) -> str | None:
    """The abstract as one paragraph, structured labels kept ("METHODS: ...")."""
    parts = [f"{s.label}: {s.text}" if s.label else s.text for s in record.abstract if s.text]
    return " ".join(parts) or None


def _type(record: Record) -> str:
    if record.book is None:
        return "article-journal"
    return "book" if record.book.whole else "chapter"


def item(record: Record, key: str | None = None) -> dict[str, Any]:
    """One CSL-JSON item; keys with no value are left out, as CSL processors expect."""
    journal = record.journal
    book = record.book
    data: dict[str, Any] = {
        "id": key or cite_key(record),
        "type": _type(record),
        "title": citation_title(record.title),
        "author": [csl_name(a) for a in record.authors],
    }
    if book is None:
        data["container-title"] = journal_name(journal)
        data["container-title-short"] = journal_abbreviation(journal)
    else:
        if not book.whole:
            data["container-title"] = book.title
        data["editor"] = [csl_name(a) for a in book.editors]
        data["publisher"] = book.publisher
        data["publisher-place"] = book.location
        data["edition"] = book.edition
        data["ISBN"] = book.isbn[0] if book.isbn else None
    parts = date_parts(record)
    if parts:
        data["issued"] = {"date-parts": [parts]}
    data.update(
        {
            "volume": journal.volume,
            "issue": journal.issue,
            "page": page_text(pages(record)),
            "ISSN": journal.issn or journal.issn_linking,
            "language": record.languages[0] if record.languages else None,
            "DOI": record.doi,
            "PMID": record.pmid,
            "PMCID": record.pmcid,
            "abstract": abstract_text(record),
            "note": " ".join(notes(record)),
            "URL": pubmed_url(record.pmid),
        }
    )
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def reference_item(reference: Reference, key: str | None = None) -> dict[str, Any]:
    """A reference that is not a PubMed record: its citation text as the title.

    Nothing else about it is known for certain, so nothing else is guessed; the DOI and
    PMID go along when the reference list gives them.
    """
    data: dict[str, Any] = {
        "id": key or reference_key(reference),
        "type": "document",
        "title": reference.citation,
        "DOI": reference.doi,
        "PMID": reference.pmid,
        "PMCID": reference.pmcid,
    }
    return {k: v for k, v in data.items() if v}


def items(records: Sequence[Item]) -> list[dict[str, Any]]:
    """The items of one output, with ids made unique across it."""
    return [
        item(r, k) if isinstance(r, Record) else reference_item(r, k)
        for r, k in zip(records, cite_keys(records), strict=True)
    ]


def render(records: Sequence[Item], *, style: str | None = None) -> str:
    """A JSON array of CSL items, the shape pandoc and Zotero import directly."""
    return json.dumps(items(records), indent=2, ensure_ascii=False) + "\n"
