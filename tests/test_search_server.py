"""The fixture server's query evaluator: PubMed's language over the fixture records."""

from __future__ import annotations

import httpx
import pytest
from lxml import etree

from tests.server import FixtureServer
from tests.server_search import EUTILS, HISTORY_TEMPLATE, NOTICE_TEMPLATE


def esearch(server: FixtureServer, term: str, **params: str) -> etree._Element:
    answer = httpx.get(
        server.eutils_url + "esearch.fcgi", params={"db": "pubmed", "term": term, **params}
    )
    assert answer.status_code == 200
    assert answer.content.startswith(b'<?xml version="1.0"')
    assert b"<!DOCTYPE eSearchResult PUBLIC" in answer.content[:200]
    return etree.fromstring(answer.content)


def ids(server: FixtureServer, term: str, **params: str) -> list[str]:
    root = esearch(server, term, retmax="100", **params)
    found = [str(i) for i in root.xpath("IdList/Id/text()")]
    assert root.findtext("Count") == str(len(found))
    return found


def test_the_answer_has_the_recorded_shape(fixture_server: FixtureServer) -> None:
    recorded = etree.parse(str(EUTILS / HISTORY_TEMPLATE)).getroot()
    root = esearch(fixture_server, "review[pt]", usehistory="y", retmax="3", retstart="2")
    assert [c.tag for c in root] == [c.tag for c in recorded]
    assert (root.findtext("Count"), root.findtext("RetMax"), root.findtext("RetStart")) == (
        str(len(ids(fixture_server, "review[pt]"))),
        "3",
        "2",
    )
    assert root.findtext("QueryKey") == "1" and root.findtext("WebEnv", "").startswith("MCID_")
    assert root.findtext("QueryTranslation") == '"review"[Publication Type]'


def test_without_history_there_is_no_webenv(fixture_server: FixtureServer) -> None:
    root = esearch(fixture_server, "ergothioneine")
    assert root.find("WebEnv") is None and root.find("QueryKey") is None


def test_history_keeps_the_webenv_and_counts_query_keys(fixture_server: FixtureServer) -> None:
    first = esearch(fixture_server, "review[pt]", usehistory="y")
    webenv = first.findtext("WebEnv") or ""
    again = esearch(fixture_server, "review[pt]", usehistory="y", WebEnv=webenv, retstart="5")
    assert again.findtext("WebEnv") == webenv and again.findtext("QueryKey") == "2"
    other = esearch(fixture_server, "ergothioneine", usehistory="y")
    assert other.findtext("WebEnv") != webenv


def test_words_search_title_and_abstract(fixture_server: FixtureServer) -> None:
    assert ids(fixture_server, "ergothioneine") == ["32051057"]
    assert ids(fixture_server, "ERGOTHIONEINE antioxidant") == ["32051057"]
    assert ids(fixture_server, "ergothion*") == ["32051057"]
    # "embolism" is in the title of 31588070; "thrombolysis" only in its abstract
    assert ids(fixture_server, "thrombolysis") == ["31588070"]
    assert ids(fixture_server, "thrombolysis[ti]") == []
    assert ids(fixture_server, "thrombolysis[tiab]") == ["31588070"]


def test_phrases_quoted_and_before_a_tag(fixture_server: FixtureServer) -> None:
    assert ids(fixture_server, '"pulmonary embolism"') == ["31588070"]
    assert ids(fixture_server, '"embolism pulmonary"') == []
    assert ids(fixture_server, "acute pulmonary embolism[ti]") == ["31588070"]


def test_fields(fixture_server: FixtureServer) -> None:
    assert ids(fixture_server, "Borodina I[au]") == ["32051057"]
    assert ids(fixture_server, "borodina[au]") == ["32051057"]
    assert ids(fixture_server, "systematic review[pt]") == ["38909159"]
    assert ids(fixture_server, "systematic[sb]") == ["38909159"]
    assert "32051057" in ids(fixture_server, "review[pt]")
    assert "38909159" not in ids(fixture_server, "review[pt]")
    with_pmc = {p for p, s in fixture_server._summaries.items() if s.pmc}
    assert set(ids(fixture_server, "free full text[sb]")) == with_pmc
    assert ids(fixture_server, "ergothioneine[ti]") == ["32051057"]
    assert "32051057" in ids(fixture_server, "antioxidants[mh]")
    assert "32051057" in ids(fixture_server, "oxidative stress[mh]")
    assert "32051057" not in ids(fixture_server, "oxidative[mh]")  # a word, not the heading


def test_dates_and_ranges(fixture_server: FixtureServer) -> None:
    years = {p: int(s.pubdate[:4]) for p, s in fixture_server._summaries.items()}
    assert set(ids(fixture_server, "2020:2021[dp]")) == {
        p for p, y in years.items() if 2020 <= y <= 2021
    }
    assert set(ids(fixture_server, "2023[dp]")) == {p for p, y in years.items() if y == 2023}
    root = esearch(fixture_server, "2020:2025[dp]")
    assert root.findtext("QueryTranslation") == "2020/01/01:2025/12/31[Date - Publication]"


def test_operators_left_to_right_and_parentheses(fixture_server: FixtureServer) -> None:
    reviews = set(ids(fixture_server, "review[pt]"))
    free = set(ids(fixture_server, "free full text[sb]"))
    assert set(ids(fixture_server, "review[pt] AND free full text[sb]")) == reviews & free
    assert set(ids(fixture_server, "review[pt] OR free full text[sb]")) == reviews | free
    assert set(ids(fixture_server, "review[pt] NOT free full text[sb]")) == reviews - free
    assert set(ids(fixture_server, "review[pt] free full text[sb]")) == reviews & free
    y2020 = set(ids(fixture_server, "2020[dp]"))
    assert set(ids(fixture_server, "review[pt] NOT (free full text[sb] OR 2020[dp])")) == (
        reviews - (free | y2020)
    )
    assert set(ids(fixture_server, "review[pt] NOT free full text[sb] OR 2020[dp]")) == (
        (reviews - free) | y2020
    )
    root = esearch(fixture_server, "(antioxidant OR pulmonary) AND review[pt]")
    assert root.findtext("QueryTranslation") == (
        '("antioxidant"[All Fields] OR "pulmonary"[All Fields]) AND "review"[Publication Type]'
    )


@pytest.mark.parametrize("sort", ["relevance", "pub_date", "Author", "JournalName"])
def test_the_four_sorts(fixture_server: FixtureServer, sort: str) -> None:
    found = ids(fixture_server, "review[pt] OR free full text[sb]", sort=sort)
    s = fixture_server._summaries
    if sort == "Author":
        keys = [s[p].authors[0].lower() if s[p].authors else "~" for p in found]
        assert keys == sorted(keys)
    elif sort == "JournalName":
        keys = [s[p].source.lower() for p in found]
        assert keys == sorted(keys)
    else:
        years = [s[p].pubdate[:4] for p in found]
        assert years == sorted(years, reverse=True)


def test_relevance_puts_the_most_hits_first(fixture_server: FixtureServer) -> None:
    by_date = ids(fixture_server, "pulmonary OR antioxidant", sort="pub_date")
    by_relevance = ids(fixture_server, "pulmonary OR antioxidant", sort="relevance")
    assert sorted(by_date) == sorted(by_relevance) and len(by_date) == 3
    # 31588070 has "pulmonary" in its title and throughout its abstract
    assert by_relevance[0] == "31588070" and by_date[0] != "31588070"


def test_paging(fixture_server: FixtureServer) -> None:
    everything = ids(fixture_server, "review[pt]", sort="pub_date")
    page = esearch(fixture_server, "review[pt]", sort="pub_date", retstart="2", retmax="3")
    assert page.xpath("IdList/Id/text()") == everything[2:5]
    assert page.findtext("Count") == str(len(everything)) and page.findtext("RetMax") == "3"
    beyond = esearch(fixture_server, "review[pt]", retstart="500")
    assert beyond.xpath("IdList/Id/text()") == [] and beyond.findtext("RetMax") == "0"


def test_phrase_not_found_is_left_out(fixture_server: FixtureServer) -> None:
    root = esearch(fixture_server, "ergothioneine fleeglewobble")
    assert root.xpath("IdList/Id/text()") == ["32051057"]
    assert root.xpath("ErrorList/PhraseNotFound/text()") == ["fleeglewobble"]
    assert root.findtext("QueryTranslation") == '"ergothioneine"[All Fields]'


def test_nothing_found_has_the_recorded_notices(fixture_server: FixtureServer) -> None:
    recorded = etree.parse(str(EUTILS / NOTICE_TEMPLATE)).getroot()
    root = esearch(fixture_server, "fleeglewobble")
    assert [c.tag for c in root][-2:] == [c.tag for c in recorded][-2:]
    assert root.xpath("WarningList/OutputMessage/text()") == ["No items found."]
    assert root.findtext("Count") == "0"


def test_quoted_phrase_not_found(fixture_server: FixtureServer) -> None:
    root = esearch(fixture_server, '"pulmonary ergothioneine" OR ergothioneine')
    assert root.xpath("WarningList/QuotedPhraseNotFound/text()") == ['"pulmonary ergothioneine"']
    assert root.xpath("IdList/Id/text()") == ["32051057"]


def test_unknown_field_is_reported(fixture_server: FixtureServer) -> None:
    root = esearch(fixture_server, "ergothioneine AND foo[zz]")
    assert root.xpath("ErrorList/FieldNotFound/text()") == ["[zz]"]
    assert root.xpath("IdList/Id/text()") == ["32051057"]


@pytest.mark.parametrize("term", ["(review[pt]", "review[pt])", '"open', "review AND", "NOT", ""])
def test_syntax_errors_answer_with_error(fixture_server: FixtureServer, term: str) -> None:
    root = esearch(fixture_server, term)
    assert [c.tag for c in root] == ["ERROR"] and root.findtext("ERROR")


def test_identifier_lookups_still_answer(fixture_server: FixtureServer) -> None:
    assert ids(fixture_server, "10.1017/S0954422419000301[doi]") == ["32051057"]
    assert ids(fixture_server, "32051057") == ["32051057"]


def test_mindate_and_maxdate(fixture_server: FixtureServer) -> None:
    in_2023 = ids(fixture_server, "review[pt] AND 2023[dp]")
    root = esearch(fixture_server, "review[pt]", mindate="2023", maxdate="2023", retmax="50")
    assert root.xpath("IdList/Id/text()") == in_2023
    assert root.findtext("QueryTranslation") == (
        '("review"[Publication Type]) AND 2023/01/01:2023/12/31[Date - Publication]'
    )
    entered = esearch(fixture_server, "review[pt]", datetype="edat", mindate="3000/01/01")
    assert entered.findtext("Count") == "0"
    assert (entered.findtext("QueryTranslation") or "").endswith("3000/12/31[Date - Entry]")
