"""Cheap facts about many PMIDs at once, read from esummary's document summaries.

A reference list of several hundred PMIDs cannot be shown with one efetch per entry:
esummary returns title, authors, journal, year and publication types for up to 200
PMIDs per request, which is enough to fill a list and to warn about retracted papers.
The answer is untrusted input, read with the same hardened parser settings as efetch
answers, and every string goes through :func:`clean_text`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

from tui.data.errors import ParseError, PubtermError

# The same hardened reading as efetch answers: no entities, DTDs or network, control
# bytes and escape sequences scrubbed before parsing.
from tui.data.parse import _load
from tui.data.pubtypes import WARNING_LABELS, warnings_in
from tui.data.text import clean_text

_Element = etree._Element

SUMMARY_SCHEMA = 1  # bump when the cached JSON shape of a Summary changes

_YEAR = re.compile(r"\b(\d{4})\b")
_PMCID = re.compile(r"PMC\d+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a reference list needs to show about one PMID without fetching the record."""

    pmid: str
    title: str
    authors: tuple[str, ...] = ()
    journal: str | None = None
    year: str | None = None
    pub_types: tuple[str, ...] = ()
    doi: str | None = None
    pmcid: str | None = None

    @property
    def first_author(self) -> str | None:
        return self.authors[0] if self.authors else None

    @property
    def flags(self) -> tuple[str, ...]:
        """The warning publication types this paper carries, in WARNING_TYPES spelling."""
        return warnings_in(self.pub_types)

    @property
    def retracted(self) -> bool:
        """True when the paper must be flagged: retracted, a retraction notice, or under an
        expression of concern (``flags`` says which, ``flag_label`` how to say it)."""
        return bool(self.flags)

    @property
    def flag_label(self) -> str | None:
        """A short label for the most serious flag ("Retracted"), or None."""
        flags = self.flags
        return WARNING_LABELS[flags[0]] if flags else None

    def to_json(self) -> dict[str, Any]:
        """The cached form; carries SUMMARY_SCHEMA so an old layout is never misread."""
        return {
            "v": SUMMARY_SCHEMA,
            "pmid": self.pmid,
            "title": self.title,
            "authors": list(self.authors),
            "journal": self.journal,
            "year": self.year,
            "pub_types": list(self.pub_types),
            "doi": self.doi,
            "pmcid": self.pmcid,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Summary | None:
        """A Summary from its cached form, or None when the form is old or damaged."""
        if data.get("v") != SUMMARY_SCHEMA:
            return None
        try:
            return cls(
                pmid=_str(data["pmid"]) or "",
                title=_str(data["title"]) or "",
                authors=tuple(_str(a) or "" for a in data["authors"]),
                journal=_str(data["journal"]),
                year=_str(data["year"]),
                pub_types=tuple(_str(t) or "" for t in data["pub_types"]),
                doi=_str(data["doi"]),
                pmcid=_str(data["pmcid"]),
            )
        except (KeyError, TypeError):
            return None


def summary_to_bytes(summary: Summary) -> bytes:
    return json.dumps(summary.to_json(), ensure_ascii=False).encode("utf-8")


def summary_from_bytes(data: bytes) -> Summary | None:
    """The cached Summary, or None for anything unreadable (the caller refetches)."""
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return Summary.from_json(parsed) if isinstance(parsed, dict) else None


def parse_esummary(xml: bytes) -> dict[str, Summary]:
    """PMID -> Summary for each DocSum of a version-1 esummary answer, in document order.

    NCBI answers an unknown or withdrawn PMID with an <ERROR> in place of its DocSum;
    those are skipped, so a missing key is the caller's "no summary".  Anything that is
    not an eSummaryResult is a ParseError.
    """
    try:
        root = _load(xml)
        if root.tag != "eSummaryResult":
            raise ParseError(f"Expected an eSummaryResult, the service sent <{root.tag}>")
        out: dict[str, Summary] = {}
        for docsum in root.iterfind("DocSum"):
            summary = _docsum(docsum)
            if summary is not None:
                out.setdefault(summary.pmid, summary)
        return out
    except PubtermError:
        raise
    except Exception as err:  # any surprise in hostile input is still "unreadable"
        raise ParseError(f"The summary answer could not be read ({type(err).__name__})") from None


def _docsum(el: _Element) -> Summary | None:
    pmid = clean_text(el.findtext("Id") or "")
    if not pmid.isdigit():
        return None
    items = {i.get("Name", ""): i for i in el.iterfind("Item")}

    def text(name: str) -> str | None:
        item = items.get(name)
        return (clean_text(_all_text(item)) or None) if item is not None else None

    def values(name: str, child: str | None = None) -> list[tuple[str, str]]:
        item = items.get(name)
        if item is None:
            return []
        found = ((i.get("Name", ""), clean_text(_all_text(i))) for i in item)
        return [(n, v) for n, v in found if v and (child is None or n == child)]

    ids = {n.lower(): v for n, v in reversed(values("ArticleIds"))}
    year = next(
        (
            m.group(1)
            for d in (text("PubDate"), text("EPubDate"))
            if d
            for m in [_YEAR.search(d)]
            if m
        ),
        None,
    )
    return Summary(
        pmid=pmid,
        title=text("Title") or text("BookTitle") or "",
        authors=tuple(v for _, v in values("AuthorList", "Author")),
        journal=text("Source") or text("FullJournalName"),
        year=year,
        pub_types=tuple(v for _, v in values("PubTypeList", "PubType")),
        doi=_doi(text("DOI") or ids.get("doi")),
        pmcid=_pmcid(ids.get("pmc") or ids.get("pmcid")),
    )


def _all_text(el: _Element) -> str:
    return "".join(t for t in el.itertext() if isinstance(t, str))


def _doi(value: str | None) -> str | None:
    if not value:
        return None
    value = re.sub(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", "", value, flags=re.I)
    return value if value.startswith("10.") else None


def _pmcid(value: str | None) -> str | None:
    m = _PMCID.search(value or "")
    return m.group(0).upper() if m else None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value
