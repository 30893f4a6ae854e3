"""What the search screen shows, as one frozen value replaced whole on every change.

The screen owns a ``SearchState``; each key, answer or failure makes a new one and the
screen renders it (the title with filters and sort, the count line, PubMed's warnings,
the rows).  Nothing is read back out of a widget, so a test can reason about the state
alone and the rows can never disagree with the count shown above them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from tui.data.errors import PubtermError
from tui.data.search import SearchResult
from tui.data.search_answer import SearchPage
from tui.data.search_query import FILTERS, SORTS, SearchQuery, YearRange

FILTER_LABELS: dict[str, str] = {
    "review": "Reviews",
    "systematic-review": "Systematic reviews",
    "meta-analysis": "Meta-analyses",
    "clinical-trial": "Clinical trials",
    "free-full-text": "Free full text",
}
SORT_LABELS: dict[str, str] = {
    "relevance": "best match",
    "date": "date",
    "author": "first author",
    "journal": "journal",
}
YEAR_SPANS: tuple[int | None, ...] = (None, 1, 5, 10)
"""The years toggle, as PubMed's own sidebar offers it: any, then the last 1, 5, 10 years."""


def years_label(years: YearRange) -> str:
    """'from 2021' for an open range, else '2020-2025' (or '2024' for one year)."""
    return f"from {years.first}" if years.last is None else str(years)


def error_sentence(error: BaseException | None) -> str:
    """The words shown for a failed search; unexpected errors are named, never traced."""
    if isinstance(error, PubtermError):
        return str(error)
    detail = (str(error) or type(error).__name__) if error is not None else ""
    return f"Unexpected error: {detail}" if detail else "Unexpected error"


@dataclass(frozen=True, slots=True)
class SearchState:
    """One moment of the search screen.

    ``query`` is the search shown (None before the first); ``filters``, ``years`` and
    ``sort`` are the toggles, kept apart from it so they can be set before anything is
    typed.
    ``page`` is the last esearch answer; ``busy`` says what is being fetched.
    """

    query: SearchQuery | None = None
    filters: tuple[str, ...] = ()
    sort: str = "relevance"
    years: YearRange | None = None
    page: SearchPage | None = None
    results: tuple[SearchResult, ...] = ()
    marks: frozenset[str] = field(default_factory=frozenset)
    busy: str | None = None
    error: str | None = None

    def title(self) -> str:
        """'Search PubMed · Reviews · from 2021 · sorted by date': the toggles in view."""
        parts = ["Search PubMed"]
        parts += [FILTER_LABELS[f] for f in self.filters]
        if self.years is not None:
            parts.append(years_label(self.years))
        if self.sort != "relevance":
            parts.append(f"sorted by {SORT_LABELS[self.sort]}")
        return " · ".join(parts)

    def status(self) -> str:
        """The line above the rows: the count and PubMed's translation, or what is going on."""
        if self.query is None:
            return "Type a PubMed query, or paste a PMID, DOI or link, and press enter"
        if self.page is None:
            return self.busy or self.error or ""
        line = self.page.status_line()
        shown = len(self.results)
        if shown and shown < self.page.count:
            line = f"{shown:,} of {line}"
        return f"{line} · {self.busy}" if self.busy else line

    @property
    def empty(self) -> bool:
        """The search ran and found nothing."""
        return self.page is not None and self.page.count == 0

    @property
    def narrowed(self) -> bool:
        """A filter or the years toggle is on."""
        return bool(self.filters) or self.years is not None

    def empty_sentence(self) -> str:
        described = self.query.described() if self.query is not None else ""
        hints = ["1-5 toggle the filters off again"] if self.filters else []
        if self.years is not None:
            hints.append("d widens the years")
        if hints:
            hints.append("/ edits the query")
        hint = f" ({'; '.join(hints)})" if hints else ""
        return f"No results for {described}{hint}"

    @property
    def has_more(self) -> bool:
        return self.page is not None and self.page.has_more

    def toggled(self, name: str) -> SearchState:
        """The state with filter ``name`` switched on or off (in FILTERS order)."""
        chosen = set(self.filters) ^ {name}
        return replace(self, filters=tuple(f for f in FILTERS if f in chosen))

    def next_years(self, today: date) -> SearchState:
        """The state with the next span of YEAR_SPANS (counted back from ``today``)."""
        spans = [None if s is None else YearRange(today.year - s, None) for s in YEAR_SPANS]
        at = spans.index(self.years) if self.years in spans else 0
        return replace(self, years=spans[(at + 1) % len(spans)])

    def next_sort(self) -> SearchState:
        names = list(SORTS)
        return replace(self, sort=names[(names.index(self.sort) + 1) % len(names)])

    def marked_results(self) -> list[SearchResult]:
        """The marked rows in rank order."""
        return [r for r in self.results if r.pmid in self.marks]


def identifier(result: SearchResult) -> tuple[str, str]:
    """("DOI", doi) when the result has one, else ("PMID", pmid): what ``y`` copies."""
    doi = result.summary.doi if result.summary is not None else None
    return ("DOI", doi) if doi else ("PMID", result.pmid)


def identifiers_what(results: list[SearchResult]) -> str:
    """'3 identifiers (2 DOIs, 1 PMID)': what a copy of several rows holds."""
    kinds = [identifier(r)[0] for r in results]
    counts = [(k, kinds.count(k)) for k in ("DOI", "PMID") if kinds.count(k)]
    detail = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in counts)
    if len(counts) == 1:
        return detail
    return f"{len(results)} identifiers ({detail})"
