"""The search results as workable as a reference list: ``c`` cites and ``P`` prefetches
the marked results (or the highlighted / loaded ones), ``d`` narrows the years.

Real keys against the fixture server; what was sent is read back from its log and what
was copied or cached is compared with the server's own records.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual.command import CommandPalette
from textual.widgets import OptionList

from tests.server import FixtureServer
from tests.test_app_search import ALL_YEARS, rows, screen_text, searched, served
from tests.test_app_support import WIDE, loaded, make_app, settle, wait_for
from tui.data.formats import get_renderer
from tui.data.search_query import YearRange
from tui.data.settings import Settings
from tui.screens.cite import CiteChooser
from tui.screens.search_state import SearchState, years_label
from tui.widgets.progress import PrefetchProgress


async def test_c_copies_a_citation_of_the_highlighted_result_then_of_the_marked(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "review[pt]")
        results = app.search.state.results
        await pilot.press("j", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, CiteChooser))
        assert str(app.screen.query_one("#cite-title").render()) == (
            f"Cite result 2 (PMID {results[1].pmid})"
        )
        await pilot.press("enter", "enter")  # a formatted citation, then APA
        (second,) = served(fixture_server, [results[1].pmid])
        expected = get_renderer("cite")([second], style="apa")
        await wait_for(pilot, lambda: app.clipboard == expected)
        assert app.screen is app.search
        assert app.messages[-1] == (
            f"Sent APA citation of PMID {results[1].pmid} to the terminal's clipboard (OSC 52)"
        )
        # marked results: those, in rank order, in the format chosen now
        await pilot.press("j", "space", "g", "space")
        assert app.search.state.marks == {results[0].pmid, results[2].pmid}
        fixture_server.clear_log()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CiteChooser))
        assert str(app.screen.query_one("#cite-title").render()) == "Cite 2 marked results"
        await pilot.press("j", "enter")  # BibTeX, after the formatted citation
        marked = served(fixture_server, [results[0].pmid, results[2].pmid])
        await wait_for(pilot, lambda: app.clipboard == get_renderer("bibtex")(marked))
        assert app.messages[-1] == "Sent 2 BibTeX entries to the terminal's clipboard (OSC 52)"
        # the two not cached yet came in one batched efetch
        (efetch,) = fixture_server.logged("efetch")
        assert set(efetch.params["id"].split(",")) <= {results[0].pmid, results[2].pmid}


async def test_c_with_nothing_found_says_so(settings: Settings) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, '"pulmonary ergothioneine"')
        app.search.action_cite()
        assert app.messages[-1] == "No result is highlighted"
        assert app.screen is app.search


async def test_p_prefetches_the_loaded_results_and_they_open_offline(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "review[pt]")
        pmids = [r.pmid for r in app.search.state.results]
        fixture_server.clear_log()
        bar = app.search.query_one(PrefetchProgress)
        await pilot.press("P")
        await wait_for(pilot, lambda: app.messages[-1].startswith("Prefetched"))
        assert app.messages[-1] == (
            f"Prefetched for offline reading: {len(pmids)} fetched, 0 already cached, 0 failed"
        )
        assert bar.text == f"Prefetching {len(pmids)}/{len(pmids)}" and not bar.display
        (efetch,) = fixture_server.logged("efetch")  # one batch: fewer than 200
        assert sorted(efetch.params["id"].split(",")) == sorted(pmids)
    fixture_server.clear_log()
    offline = make_app(replace(settings, offline=True), pmids[-1])
    async with offline.run_test(size=WIDE) as pilot:
        record = await loaded(pilot, pmids[-1])
        assert record.cached
    assert fixture_server.logged("efetch") == []


async def test_p_on_marked_results_and_escape_cancels(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "review[pt]")
        results = app.search.state.results
        await pilot.press("space", "space")
        fixture_server.clear_log()
        fixture_server.latency = 0.8
        bar = app.search.query_one(PrefetchProgress)
        await pilot.press("P")
        await wait_for(pilot, lambda: len(fixture_server.logged("efetch")) == 1)
        assert bar.display and bar.text == "Prefetching 0/2"
        (efetch,) = fixture_server.logged("efetch")
        assert efetch.params["id"].split(",") == [results[0].pmid, results[1].pmid]
        await pilot.press("escape")
        assert not app.search.prefetcher.running and not bar.display
        assert app.messages[-1] == "Prefetch cancelled: what was downloaded stays cached"
        assert app.screen is app.search  # escape stopped the prefetch, not the screen


def test_the_years_toggle_widens_then_goes_back_to_any_year() -> None:
    today = date(2026, 3, 1)
    state = SearchState()
    seen = []
    for _ in range(4):
        state = state.next_years(today)
        seen.append(state.years)
    assert seen == [YearRange(2025, None), YearRange(2021, None), YearRange(2016, None), None]
    assert years_label(YearRange(2021, None)) == "from 2021"
    assert replace(state, years=YearRange(2021, None)).title() == "Search PubMed · from 2021"


async def test_d_adds_the_years_to_the_term_and_the_title(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        app.search.today = lambda: date(2024, 6, 30)
        await searched(pilot, "review[pt]")
        everything = len(rows(app))
        fixture_server.clear_log()
        await pilot.press("d")  # from last year
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        (sent,) = fixture_server.logged("esearch")
        assert sent.params["term"] == "(review[pt]) AND 2023:3000[dp]"
        assert screen_text(app, "#search-title") == "Search PubMed · from 2023"
        recent = rows(app)
        await pilot.press("d")  # the last 5 years
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        assert fixture_server.logged("esearch")[-1].params["term"] == (
            "(review[pt]) AND 2019:3000[dp]"
        )
        assert screen_text(app, "#search-title") == "Search PubMed · from 2019"
        narrowed = rows(app)
        assert 0 < len(recent) < len(narrowed) < everything
        assert set(recent) <= set(narrowed)
        years = [r.summary.year for r in app.search.state.results if r.summary]
        assert len(years) == len(narrowed) and all(y and int(y) >= 2019 for y in years)
        await pilot.press("1")  # a filter keeps the years
        await wait_for(pilot, lambda: app.search.state.busy is None)
        assert fixture_server.logged("esearch")[-1].params["term"] == (
            "(review[pt]) AND review[pt] AND 2019:3000[dp]"
        )
        assert screen_text(app, "#search-title") == "Search PubMed · Reviews · from 2019"
        await pilot.press("1", "d", "d")  # the last 10 years, then any year again
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        assert fixture_server.logged("esearch")[-1].params["term"] == "review[pt]"
        assert len(rows(app)) == everything


async def test_zero_results_with_years_say_how_to_widen(settings: Settings) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        app.search.today = lambda: date(2099, 1, 1)
        await searched(pilot, ALL_YEARS)
        await pilot.press("d")
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        assert app.search.state.empty
        assert screen_text(app, "#search-empty") == (
            f"No results for {ALL_YEARS} · 2098- (d widens the years; / edits the query)"
        )
        assert app.focused is None  # so the toggle keys work: d widens, and finds again
        await pilot.press("d", "d", "d")
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        assert app.search.state.years is None and len(rows(app)) == 20


async def test_down_stops_on_the_last_row_loaded_and_up_on_the_first(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "review[pt]")  # one page: every result loaded
        listing = app.search.results_list
        last = len(rows(app)) - 1
        await pilot.press("k")
        assert listing.highlighted == 0  # not wrapped round to the last row
        await pilot.press("G", "j", "j")
        assert listing.highlighted == last  # not wrapped round to the first row
        await settle(pilot)
        assert len(fixture_server.logged("esearch")) == 1  # and nothing more to ask for


async def test_the_palette_offers_the_years_cite_and_prefetch_on_the_search_screen(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        app.search.today = lambda: date(2024, 6, 30)
        await searched(pilot, "review[pt]")
        fixture_server.clear_log()
        await pilot.press("ctrl+p", *"years")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await wait_for(pilot, lambda: palette.query_one(OptionList).option_count > 0)
        shown = [str(o.prompt) for o in palette.query_one(OptionList).options]
        assert any("Years" in text for text in shown)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(fixture_server.logged("esearch")) == 1)
        await wait_for(pilot, lambda: app.search.state.busy is None)
        assert fixture_server.logged("esearch")[0].params["term"] == (
            "(review[pt]) AND 2023:3000[dp]"
        )
        for name in ("Cite", "Prefetch"):
            await pilot.press("ctrl+p", *name.lower())
            assert isinstance(app.screen, CommandPalette)
            await wait_for(pilot, lambda: app.screen.query_one(OptionList).option_count > 0)
            shown = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
            assert any(text.startswith(name) for text in shown), shown
            await pilot.press("escape")
            await pilot.pause()
