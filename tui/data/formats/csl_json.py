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

from tui.data.model import Author, Record
from tui.data.urls import pubmed_url

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


def cite_keys(records: Sequence[Record]) -> list[str]:
    """Keys for one output: repeated keys get a, b, ... appended so each is unique."""
    taken: set[str] = set()
    keys: list[str] = []
    for record in records:
        base = key = cite_key(record)
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
    given = author.fore or author.initials
    if given:
        name["given"] = given
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


def item(record: Record, key: str | None = None) -> dict[str, Any]:
    """One CSL-JSON item; keys with no value are left out, as CSL processors expect."""
    journal = record.journal
    data: dict[str, Any] = {
        "id": key or cite_key(record),
        "type": "chapter" if record.book else "article-journal",
        "title": citation_title(record.title),
        "author": [csl_name(a) for a in record.authors],
        "container-title": journal.title,
        "container-title-short": journal.iso_abbrev,
    }
    parts = date_parts(record)
    if parts:
        data["issued"] = {"date-parts": [parts]}
    data.update(
        {
            "volume": journal.volume,
            "issue": journal.issue,
            "page": page_text(journal.pages),
            "ISSN": journal.issn,
            "DOI": record.doi,
            "PMID": record.pmid,
            "PMCID": record.pmcid,
            "abstract": abstract_text(record),
            "URL": pubmed_url(record.pmid),
        }
    )
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def items(records: Sequence[Record]) -> list[dict[str, Any]]:
    """The items of one output, with ids made unique across it."""
    return [item(r, k) for r, k in zip(records, cite_keys(records), strict=True)]


def render(records: Sequence[Record], *, style: str | None = None) -> str:
    """A JSON array of CSL items, the shape pandoc and Zotero import directly."""
    return json.dumps(items(records), indent=2, ensure_ascii=False) + "\n"
