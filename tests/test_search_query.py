"""The esearch term built from a query, its filters and years (pure functions)."""

from __future__ import annotations

import pytest

from tui.data.search_query import (
    FILTERS,
    SORTS,
    QueryUsageError,
    SearchQuery,
    YearRange,
    parse_years,
)


def test_a_plain_query_is_sent_as_typed() -> None:
    assert SearchQuery("CAR-T  solid\ttumors").term == "CAR-T solid tumors"


@pytest.mark.parametrize(
    ("name", "clause"),
    [
        ("review", "review[pt]"),
        ("systematic-review", "systematic[sb]"),
        ("meta-analysis", "meta-analysis[pt]"),
        ("clinical-trial", "clinical trial[pt]"),
        ("free-full-text", "free full text[sb]"),
    ],
)
def test_each_filter_adds_its_clause(name: str, clause: str) -> None:
    assert SearchQuery("ergothioneine", (name,)).term == f"ergothioneine AND {clause}"


def test_filters_and_years_are_anded_in_order_once() -> None:
    query = SearchQuery(
        "CAR-T solid tumors", ("review", "free-full-text", "review"), parse_years("2020-2025")
    )
    assert (
        query.term == "CAR-T solid tumors AND review[pt] AND free full text[sb] AND 2020:2025[dp]"
    )


def test_a_query_with_operators_is_parenthesised_before_filters() -> None:
    # Without the parentheses PubMed would read "a OR (b AND review[pt])" left to right
    # as "(a OR b) AND review[pt]" anyway, but a NOT or a tag at the end would bind wrongly.
    assert SearchQuery("mTOR OR mTORC2", ("review",)).term == "(mTOR OR mTORC2) AND review[pt]"
    assert SearchQuery("mTORC2[tiab]", ("review",)).term == "(mTORC2[tiab]) AND review[pt]"
    assert SearchQuery("mTOR OR mTORC2").term == "mTOR OR mTORC2"


@pytest.mark.parametrize(
    ("text", "years", "term"),
    [
        ("2020-2025", YearRange(2020, 2025), "2020:2025[dp]"),
        ("2020:2025", YearRange(2020, 2025), "2020:2025[dp]"),
        (" 2021 ", YearRange(2021, 2021), "2021[dp]"),
        ("2019-", YearRange(2019, None), "2019:3000[dp]"),
    ],
)
def test_years(text: str, years: YearRange, term: str) -> None:
    assert parse_years(text) == years
    assert years.term == term


@pytest.mark.parametrize("text", ["2025-2020", "20-25", "last year", "2020-2025-2026", ""])
def test_bad_years_are_usage_errors(text: str) -> None:
    with pytest.raises(QueryUsageError):
        parse_years(text)


def test_sorts_map_to_esearch_values() -> None:
    assert {k: SearchQuery("x", sort=k).esearch_sort for k in SORTS} == {
        "relevance": "relevance",
        "date": "pub_date",
        "author": "Author",
        "journal": "JournalName",
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda: SearchQuery("  "),
        lambda: SearchQuery("x", ("reviews",)),
        lambda: SearchQuery("x", sort="newest"),
    ],
)
def test_bad_queries_are_usage_errors(make: object) -> None:
    with pytest.raises(QueryUsageError):
        make()  # type: ignore[operator]


def test_described_names_filters_years_and_sort() -> None:
    query = SearchQuery("ergothioneine", ("review",), parse_years("2020-"), "date")
    assert query.described() == "ergothioneine · review · 2020- · by date"
    assert set(FILTERS) == {
        "review",
        "systematic-review",
        "meta-analysis",
        "clinical-trial",
        "free-full-text",
    }
