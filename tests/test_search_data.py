"""The search data layer: recorded esearch answers read, and paging with PubMed's history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from tests.server import FixtureServer
from tui.data.errors import BadResponseError, ParseError
from tui.data.search import Search, SearchResult
from tui.data.search_answer import SearchPage, SearchQueryError, parse_search
from tui.data.search_query import SearchQuery
from tui.data.service import PubMed
from tui.data.settings import Settings

EUTILS = Path(__file__).parent / "fixtures" / "eutils"
PUBMED = Path(__file__).parent / "fixtures" / "pubmed"


def test_a_recorded_answer_with_history() -> None:
    page = parse_search((EUTILS / "esearch-pubmed-cancer-usehistory-reldate.xml").read_bytes())
    assert (page.count, page.retmax, page.retstart) == (42249, 100, 0)
    assert page.query_key == "1" and page.webenv == "MCID_6927d6e7fee3e90f880ec190"
    assert len(page.pmids) == 100 and page.pmids[0] == "41297076"
    assert page.translation is not None and page.translation.endswith("[Date - Entry]")
    assert page.has_more and page.next_start == 100 and page.notices == ()
    assert page.status_line().startswith("42,249 results · (")


def test_a_recorded_answer_without_history() -> None:
    page = parse_search((EUTILS / "esearch.xml").read_bytes())
    assert (page.count, len(page.pmids), page.webenv) == (63, 20, None)
    assert page.status_line() == '63 results · "biopython"[All Fields]'


def test_recorded_phrase_not_found_in_words() -> None:
    page = parse_search((EUTILS / "esearch-protein-phrase-not-found.xml").read_bytes())
    assert page.count == 0 and page.pmids == () and not page.has_more
    assert page.notices == ("Not found in PubMed, left out of the search: abcXYZ",)


def test_recorded_error_answer() -> None:
    with pytest.raises(SearchQueryError, match="Invalid db name specified: fleegle") as raised:
        parse_search((EUTILS / "esearch-error-invalid-db.xml").read_bytes())
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    "body",
    [
        b"<eSummaryResult/>",
        b"<eSearchResult><Count>x</Count></eSearchResult>",
        b"not xml",
        b'<!DOCTYPE x [<!ENTITY a "b">]><eSearchResult/>',
    ],
)
def test_answers_that_are_not_search_results(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_search(body)


def test_warnings_are_sentences_and_control_text_is_removed() -> None:
    body = (
        b"<eSearchResult><Count>1</Count><RetMax>1</RetMax><RetStart>0</RetStart>"
        b"<IdList><Id>1</Id></IdList><QueryTranslation>x\x1b[31m</QueryTranslation>"
        b"<ErrorList><FieldNotFound>[zz]</FieldNotFound></ErrorList>"
        b"<WarningList><PhraseIgnored>the</PhraseIgnored>"
        b'<QuotedPhraseNotFound>"a b"</QuotedPhraseNotFound>'
        b"<OutputMessage>No items found.</OutputMessage></WarningList></eSearchResult>"
    )
    page = parse_search(body)
    assert page.translation == "x"
    assert page.notices == (
        "Unknown search field, left out of the search: [zz]",
        "Ignored (too common to search for): the",
        'Quoted phrase not found: "a b"',
    )


async def test_pages_share_the_webenv(settings: Settings, fixture_server: FixtureServer) -> None:
    async with PubMed(settings) as service:
        search = Search(service, SearchQuery("review[pt]", sort="date"), limit=4)
        pages: list[SearchPage] = []
        while (page := await search.next_page()) is not None:
            pages.append(page)
        rows = [r for p in pages for r in await search.results(p)]
    requests = fixture_server.logged("esearch")
    count = pages[0].count
    assert len(pages) == -(-count // 4) and len(rows) == count
    assert [r.rank for r in rows] == list(range(1, count + 1))
    assert len({r.pmid for r in rows}) == count
    assert [r.params["retstart"] for r in requests] == [str(4 * i) for i in range(len(pages))]
    assert all(r.params["retmax"] == "4" and r.params["usehistory"] == "y" for r in requests)
    assert "WebEnv" not in requests[0].params
    assert {r.params["WebEnv"] for r in requests[1:]} == {pages[0].webenv}
    assert [p.query_key for p in pages] == [str(i + 1) for i in range(len(pages))]
    assert not pages[-1].has_more and all(p.has_more for p in pages[:-1])


async def _all_pages(search: Search) -> list[SearchPage]:
    pages: list[SearchPage] = []
    while (page := await search.next_page()) is not None:
        pages.append(page)
    return pages


async def test_ids_ahead_gives_the_same_pages_from_half_the_searches(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    """With the next page's PMIDs asked for in advance, every second page needs no esearch."""
    query = SearchQuery("review[pt]", sort="date")
    async with PubMed(settings) as service:
        plain = await _all_pages(Search(service, query, limit=4))
        before = len(fixture_server.logged("esearch"))
        ahead = await _all_pages(Search(service, query, limit=4, ids_ahead=2))
    assert len(plain) >= 3
    assert [(p.retstart, p.pmids, p.has_more) for p in ahead] == [
        (p.retstart, p.pmids, p.has_more) for p in plain
    ]
    asked = fixture_server.logged("esearch")[before:]
    assert len(asked) == -(-len(plain) // 2)
    assert [r.params["retstart"] for r in asked] == [str(8 * i) for i in range(len(asked))]
    assert all(r.params["retmax"] == "8" for r in asked)
    assert all(len(p.pmids) <= 4 and p.retmax == 4 for p in ahead)


async def test_results_come_from_the_summary_cache_the_second_time(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        search = Search(service, SearchQuery("ergothioneine"))
        first = await search.results(await search.page())
        second = await search.results(await search.page())
    assert first == second and first[0].title.startswith("The biology of ergothioneine")
    assert len(fixture_server.logged("esummary")) == 1


async def test_a_failed_summary_request_is_raised(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        search = Search(service, SearchQuery("ergothioneine"))
        page = await search.page()
        fixture_server.add_fault("wrong-xml", times=1, endpoint="esummary")
        with pytest.raises(BadResponseError, match="instead of document summaries"):
            await search.results(page)


def test_a_result_without_a_summary_still_has_a_row() -> None:
    row = SearchResult(rank=3, pmid="32051057")
    assert row.title == "PMID 32051057" and row.byline() == "" and row.badges == ()
    assert row.to_dict() == {
        "rank": 3,
        "pmid": "32051057",
        "doi": None,
        "pmcid": None,
        "title": None,
        "authors": [],
        "journal": None,
        "year": None,
        "publication_types": [],
        "retracted": False,
    }


def _entered(pmid: str) -> date:
    """The Entrez date of a fixture record (PubmedData, or PubmedBookData for a book)."""
    root = etree.parse(str(PUBMED / f"{pmid}.xml")).getroot()
    for when in root.iterfind("./*/*/History/PubMedPubDate"):
        if when.get("PubStatus") == "entrez":
            year, month, day = (int(when.findtext(n) or "0") for n in ("Year", "Month", "Day"))
            return date(year, month, day)
    raise AssertionError(f"no Entrez date in {pmid}")


async def test_new_since_counts_by_entrez_date(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        search = Search(service, SearchQuery("review[pt]"))
        reviews = (await search.page()).pmids
        since = date(2022, 6, 1)
        new = await search.count_new(since)
    expected = sum(1 for p in reviews if (PUBMED / f"{p}.xml").exists() and _entered(p) >= since)
    assert 0 < new == expected < len(reviews)
    request = fixture_server.logged("esearch")[-1].params
    assert (request["datetype"], request["mindate"], request["maxdate"]) == (
        "edat",
        "2022/06/01",
        "3000",
    )
    assert request["retmax"] == "0" and request["term"] == "review[pt]"


async def test_a_long_query_goes_by_post(settings: Settings, fixture_server: FixtureServer) -> None:
    words = " OR ".join(["ergothioneine"] * 150)
    async with PubMed(settings) as service:
        page = await Search(service, SearchQuery(words)).page()
    assert page.pmids == ("32051057",)
    (request,) = fixture_server.logged("esearch")
    assert request.method == "POST" and request.params["term"] == words
