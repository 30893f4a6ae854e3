"""PubMed search: esearch pages, their results as rows, and PubMed's warnings in words.

A search answers with PMIDs only; a list needs titles, so each page costs one esearch
and one esummary (cached like reference summaries).  The first page asks PubMed to keep
the result set on its history server (``usehistory=y``) and every later page sends the
same ``WebEnv`` back, so paging stays in one session as NCBI recommends.  PubMed reports
trouble with a query inside a normal answer (a phrase it left out, a quoted phrase it
has never seen, no items found); those become sentences on the page, and an answer with
an ``<ERROR>`` becomes :class:`SearchQueryError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tui.data.errors import ParseError, PubtermError, ServiceError
from tui.data.parse import _load
from tui.data.search_query import SearchQuery
from tui.data.summaries import Summary
from tui.data.text import clean_text

if TYPE_CHECKING:
    from tui.data.service import PubMed

DEFAULT_LIMIT = 20
MAX_LIMIT = 10_000  # esearch returns at most 10,000 PMIDs per request
LONG_TERM = 1_500  # characters of query above which esearch goes by POST


class SearchQueryError(PubtermError):
    """PubMed could not run the query as written (an ``<ERROR>`` answer; exit 2)."""

    exit_code = 2


class NoResultsError(PubtermError):
    """The search ran and found nothing (exit 3)."""

    exit_code = 3


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One esearch answer: where it sits in the whole result set and what PubMed said."""

    count: int
    retstart: int
    retmax: int
    pmids: tuple[str, ...]
    translation: str | None = None
    webenv: str | None = None
    query_key: str | None = None
    # PubMed's warnings and errors about the query, as sentences for a person.
    notices: tuple[str, ...] = ()

    @property
    def has_more(self) -> bool:
        """Whether results lie beyond this page."""
        return self.retstart + len(self.pmids) < self.count

    @property
    def next_start(self) -> int:
        return self.retstart + len(self.pmids)

    def status_line(self) -> str:
        """'1,234 results · <PubMed's translation>', as the command line and reader show."""
        noun = "result" if self.count == 1 else "results"
        head = f"{self.count:,} {noun}"
        return f"{head} · {self.translation}" if self.translation else head


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


def _int(root: Any, name: str) -> int:
    text = clean_text(root.findtext(name) or "")
    try:
        return int(text)
    except ValueError:
        raise ParseError(f"The search answer has no readable <{name}>") from None


def _notices(root: Any) -> tuple[str, ...]:
    said: list[str] = []
    for el in root.iterfind("ErrorList/*"):
        text = clean_text("".join(el.itertext()))
        if el.tag == "PhraseNotFound":
            said.append(f"Not found in PubMed, left out of the search: {text}")
        elif el.tag == "FieldNotFound":
            said.append(f"Unknown search field, left out of the search: {text}")
        elif text:
            said.append(f"PubMed: {text}")
    for el in root.iterfind("WarningList/*"):
        text = clean_text("".join(el.itertext()))
        if el.tag == "QuotedPhraseNotFound":
            said.append(f"Quoted phrase not found: {text}")
        elif el.tag == "PhraseIgnored":
            said.append(f"Ignored (too common to search for): {text}")
        elif el.tag == "OutputMessage" and text.rstrip(".").lower() == "no items found":
            continue  # the count of 0 says it; the caller words the empty result
        elif text:
            said.append(f"PubMed: {text}")
    return tuple(dict.fromkeys(said))


def parse_search(xml: bytes) -> SearchPage:
    """An esearch answer as a SearchPage; SearchQueryError for PubMed's <ERROR>."""
    try:
        root = _load(xml)
    except PubtermError:
        raise
    except Exception as err:
        raise ParseError(f"The search answer could not be read ({type(err).__name__})") from None
    if root.tag != "eSearchResult":
        raise ParseError(f"Expected an eSearchResult, the service sent <{root.tag!s:.40}>")
    error = root.find("ERROR")
    if error is not None and root.find("Count") is None:
        said = clean_text("".join(t for t in error.itertext() if isinstance(t, str)))
        said = said or "no reason given"
        raise SearchQueryError(f"PubMed could not run the search: {said}")
    ids = tuple(i for i in (clean_text(el.text or "") for el in root.iterfind("IdList/Id")) if i)
    return SearchPage(
        count=_int(root, "Count"),
        retstart=_int(root, "RetStart"),
        retmax=_int(root, "RetMax"),
        pmids=ids,
        translation=clean_text(root.findtext("QueryTranslation") or "") or None,
        webenv=clean_text(root.findtext("WebEnv") or "") or None,
        query_key=clean_text(root.findtext("QueryKey") or "") or None,
        notices=_notices(root),
    )


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
