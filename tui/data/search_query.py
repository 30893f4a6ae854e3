"""A search as the user asks for it, and the esearch term and sort PubMed is sent.

Filters and a year range are PubMed's own query language appended to what was typed
(``review[pt]``, ``2020:2025[dp]``), so the translation PubMed answers with shows them
and a user can paste the term into PubMed's web page to get the same results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --filter name -> the PubMed query it adds (ANDed with what was typed).
FILTERS: dict[str, str] = {
    "review": "review[pt]",
    "systematic-review": "systematic[sb]",
    "meta-analysis": "meta-analysis[pt]",
    "clinical-trial": "clinical trial[pt]",
    "free-full-text": "free full text[sb]",
}

# --sort name -> esearch's sort value; relevance is PubMed's Best Match.
SORTS: dict[str, str] = {
    "relevance": "relevance",
    "date": "pub_date",
    "author": "Author",
    "journal": "JournalName",
}

_YEARS = re.compile(r"^\s*(\d{4})\s*(?:([-:])\s*(\d{4})?\s*)?$")
_BARE = re.compile(r"^[^()\[\]\"]*$")
_OPERATORS = re.compile(r"\b(?:AND|OR|NOT)\b")


class QueryUsageError(ValueError):
    """A filter, sort or year range that cannot be sent (the command line exits 2)."""


@dataclass(frozen=True, slots=True)
class YearRange:
    """Publication years, both ends included; ``last`` None means "to the present"."""

    first: int
    last: int | None

    @property
    def term(self) -> str:
        if self.last == self.first:
            return f"{self.first}[dp]"
        return f"{self.first}:{self.last if self.last is not None else 3000}[dp]"

    def __str__(self) -> str:
        if self.last == self.first:
            return str(self.first)
        return f"{self.first}-{self.last if self.last is not None else ''}"


def parse_years(text: str) -> YearRange:
    """``2020-2025``, ``2020:2025``, ``2020`` or ``2020-`` (from 2020 on)."""
    m = _YEARS.match(text)
    if not m:
        raise QueryUsageError(f"years {text!r}: give A-B, A- or A (four-digit years)")
    first = int(m.group(1))
    last = int(m.group(3)) if m.group(3) else (None if m.group(2) else first)
    if last is not None and last < first:
        raise QueryUsageError(f"years {text!r}: the first year is after the last")
    return YearRange(first, last)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to search for: the typed query, filters (names of FILTERS), years and sort."""

    text: str
    filters: tuple[str, ...] = ()
    years: YearRange | None = None
    sort: str = "relevance"

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise QueryUsageError("the search query is empty")
        for name in self.filters:
            if name not in FILTERS:
                raise QueryUsageError(f"unknown filter {name!r} (one of {', '.join(FILTERS)})")
        if self.sort not in SORTS:
            raise QueryUsageError(f"unknown sort {self.sort!r} (one of {', '.join(SORTS)})")

    @property
    def term(self) -> str:
        """The esearch ``term``: the query, then each filter and the years, ANDed.

        A query with operators or brackets is wrapped in parentheses so that a filter
        cannot bind to its last OR branch alone.
        """
        typed = " ".join(self.text.split())
        extra = [FILTERS[f] for f in dict.fromkeys(self.filters)]
        if self.years is not None:
            extra.append(self.years.term)
        if not extra:
            return typed
        simple = _BARE.match(typed) and not _OPERATORS.search(typed)
        head = typed if simple else f"({typed})"
        return " AND ".join([head, *extra])

    @property
    def esearch_sort(self) -> str:
        return SORTS[self.sort]

    def described(self) -> str:
        """The search in a few words, for titles and messages."""
        parts = [self.text.strip()]
        parts += list(dict.fromkeys(self.filters))
        if self.years is not None:
            parts.append(str(self.years))
        if self.sort != "relevance":
            parts.append(f"by {self.sort}")
        return " · ".join(parts)
