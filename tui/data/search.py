"""PubMed search: one session of esearch pages, and their results as rows.

A search answers with PMIDs only; a list needs titles, so each page costs one esearch
and one esummary (cached like reference summaries).  The first page asks PubMed to keep
the result set on its history server (``usehistory=y``) and every later page sends the
same ``WebEnv`` back, so paging stays in one session as NCBI recommends.  PubMed reports
trouble with a query inside a normal answer; :mod:`tui.data.search_answer` reads those
into sentences on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tui.data.errors import PubtermError, ServiceError
from tui.data.search_answer import SearchPage, parse_search
from tui.data.search_query import SearchQuery
from tui.data.summaries import Summary

if TYPE_CHECKING:
    from tui.data.service import PubMed

DEFAULT_LIMIT = 20
MAX_LIMIT = 10_000  # esearch returns at most 10,000 PMIDs per request
LONG_TERM = 1_500  # characters of query above which esearch goes by POST


class NoResultsError(PubtermError):
    """The search ran and found nothing (exit 3)."""

    exit_code = 3


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One row of a result list: its rank in the whole set and its esummary facts."""

    rank: int
    pmid: str
    summary: Summary | None = None

    @property
    def title(self) -> str:
        return self.summary.title if self.summary and self.summary.title else f"PMID {self.pmid}"

    @property
    def authors(self) -> tuple[str, ...]:
        return self.summary.authors if self.summary else ()

    @property
    def publication_types(self) -> tuple[str, ...]:
        return self.summary.pub_types if self.summary else ()

    @property
    def retracted(self) -> bool:
        return bool(self.summary and self.summary.retracted)

    @property
    def badges(self) -> tuple[str, ...]:
        """Review, Systematic Review, Meta-Analysis, Free full text, and "! Retracted"."""
        types = {t.lower() for t in self.publication_types}
        found = [b for b in ("Review", "Systematic Review", "Meta-Analysis") if b.lower() in types]
        if self.summary and self.summary.pmcid:
            found.append("Free full text")
        if self.summary and self.summary.flag_label:
            found.append(f"! {self.summary.flag_label}")
        return tuple(found)

    def byline(self) -> str:
        """'First author et al.', the first author alone, or '' when none is known."""
        authors = self.authors
        if not authors:
            return ""
        return authors[0] if len(authors) == 1 else f"{authors[0]} et al."

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON Lines shape of a result: every key always present."""
        s = self.summary
        return {
            "rank": self.rank,
            "pmid": self.pmid,
            "doi": s.doi if s else None,
            "pmcid": s.pmcid if s else None,
            "title": s.title if s else None,
            "authors": list(self.authors),
            "journal": s.journal if s else None,
            "year": s.year if s else None,
            "publication_types": list(self.publication_types),
            "retracted": self.retracted,
        }


async def esearch_request(service: PubMed, params: dict[str, str]) -> bytes:
    """An esearch call with any parameters, under NCBI's rate limit and retries.

    Searching needs sort, retstart, usehistory and WebEnv beside the term, so this asks
    the service for the E-utility itself; tool, email and api_key are added there.
    """
    # NCBI asks for POST when a URL would be longer than about 2,000 characters.
    post = len(params.get("term", "")) > LONG_TERM
    return await service.ask_eutil("esearch.fcgi", params, "eSearchResult", post=post)


@dataclass
class Search:
    """One search session: its pages share PubMed's history server (``WebEnv``).

    ``page`` may be called for any offset; a screen pages on with ``next_page`` as the
    user scrolls.  ``webenv`` is kept from the first answer that carries one.
    """

    service: PubMed
    query: SearchQuery
    limit: int = DEFAULT_LIMIT
    webenv: str | None = None
    pages: list[SearchPage] = field(default_factory=list)
    # How many pages of PMIDs one esearch asks for.  A screen that pages on as the user
    # scrolls asks for two: the next page's PMIDs are then known, and showing it costs
    # one esummary instead of an esearch and an esummary one after the other.
    ids_ahead: int = 1
    _ahead: SearchPage | None = field(default=None, repr=False)

    def _params(self, retstart: int, retmax: int, history: bool) -> dict[str, str]:
        params = {
            "db": "pubmed",
            "term": self.query.term,
            "sort": self.query.esearch_sort,
            "retstart": str(retstart),
            "retmax": str(retmax),
            "retmode": "xml",
        }
        if history:
            params["usehistory"] = "y"
            if self.webenv:
                params["WebEnv"] = self.webenv
        return params

    def _online(self) -> None:
        if self.service.offline:
            raise ServiceError("Searching PubMed needs the network (offline mode is on)")

    async def page(self, retstart: int = 0) -> SearchPage:
        """The page of ``limit`` PMIDs from ``retstart`` on."""
        self._online()
        limit = max(1, min(self.limit, MAX_LIMIT))
        ahead = self._ahead
        if ahead is not None and ahead.retstart == retstart:
            self._ahead = None
            self.pages.append(ahead)
            return ahead
        asked = min(limit * max(1, self.ids_ahead), MAX_LIMIT)
        body = await esearch_request(self.service, self._params(retstart, asked, True))
        answer = parse_search(body)
        self.webenv = self.webenv or answer.webenv
        page = replace(answer, retmax=limit, pmids=answer.pmids[:limit])
        rest = answer.pmids[limit:]
        self._ahead = (
            replace(answer, retstart=retstart + limit, retmax=limit, pmids=rest[:limit])
            if rest
            else None
        )
        self.pages.append(page)
        return page

    async def next_page(self) -> SearchPage | None:
        """The page after the last one asked for, or None when there is no more."""
        if not self.pages:
            return await self.page(0)
        last = self.pages[-1]
        return await self.page(last.next_start) if last.has_more else None

    async def next_rows(self) -> tuple[SearchPage | None, list[SearchResult]]:
        """The next page and its rows; a page whose rows fail is asked for again next time."""
        page = await self.next_page()
        if page is None:
            return None, []
        try:
            results = await self.results(page) if page.pmids else []
        except BaseException:
            self.pages.remove(page)
            raise
        return page, results

    async def count(self) -> SearchPage:
        """Only the count and translation (``retmax=0``: no PMIDs are sent)."""
        self._online()
        body = await esearch_request(self.service, self._params(0, 0, False))
        return parse_search(body)

    async def count_new(self, since: date) -> int:
        """How many results PubMed added on or after ``since`` (saved searches' "N new").

        esearch with ``datetype=edat`` (the date a record entered PubMed) and
        ``mindate``; NCBI needs ``maxdate`` too, so it is set far in the future.
        """
        self._online()
        params = self._params(0, 0, False)
        params.update(datetype="edat", mindate=since.strftime("%Y/%m/%d"), maxdate="3000")
        return parse_search(await esearch_request(self.service, params)).count

    async def results(self, page: SearchPage) -> list[SearchResult]:
        """The page's PMIDs as rows, with titles from one esummary (or the cache)."""
        return await results_for(self.service, page.pmids, first_rank=page.retstart + 1)


async def results_for(
    service: PubMed, pmids: Sequence[str], *, first_rank: int = 1
) -> list[SearchResult]:
    """Rows for ``pmids`` in order; a failed esummary raises its ServiceError."""
    from tui.data.bibliography import Bibliography

    bibliography = Bibliography(service)
    answer = await bibliography.summaries(list(pmids))
    found = answer.value
    if answer.problems and any(p not in found for p in pmids):
        raise answer.problems[0]
    return [
        SearchResult(rank=first_rank + i, pmid=pmid, summary=found.get(pmid))
        for i, pmid in enumerate(pmids)
    ]
