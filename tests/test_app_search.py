"""The search screen, driven by real keys against the fixture server's esearch.

What the server evaluated is compared with what the screen shows: the ids of its answer
in order, its count and translation, its warnings; what the client sent (term, sort,
retstart, WebEnv) is read back from the server's log.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from tests.server import FixtureServer
from tests.test_app_support import (
    STRUCTURED,
    WIDE,
    ReaderApp,
    loaded,
    make_app,
    settle,
    wait_for,
)
from tui.data.formats import get_renderer
from tui.data.model import Record
from tui.data.parse import parse_pubmed
from tui.data.search_answer import parse_search
from tui.data.settings import Settings
from tui.screens.cite import CiteChooser
from tui.screens.search import SearchScreen
from tui.screens.search_saved import SavedList as SavedSearchList
from tui.widgets.search_results import SearchResults

ALL_YEARS = "1900:2100[dp]"  # every fixture record: more than one page of 20


def screen_text(app: ReaderApp, selector: str) -> str:
    return str(app.search.query_one(selector).render())


def rows(app: ReaderApp) -> list[str]:
    return [r.pmid for r in app.search.state.results]


def results_list(app: ReaderApp) -> SearchResults:
    return app.search.query_one(SearchResults)


def answered_ids(server: FixtureServer, index: int = -1) -> list[str]:
    """The PMIDs the server's evaluator finds for a logged esearch, asked again (outside
    the history server, so the session the screen uses is left as it was)."""
    request = server.logged("esearch")[index]
    params = {k: v for k, v in request.params.items() if k not in ("usehistory", "WebEnv")}
    status, _, body = server.answer(request.method, request.path, params)
    assert status == 200
    return list(parse_search(body).pmids)


async def searched(pilot: Pilot[Any], query: str) -> None:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    field = app.search.query_one(Input)
    field.value = query
    field.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.search.state.busy is None)
    await settle(pilot)


async def test_without_an_id_pubterm_starts_on_search_and_lists_results(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert isinstance(app.focused, Input)
        await pilot.press(*"ergothioneine antioxidant", "enter")
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        (sent,) = fixture_server.logged("esearch")
        assert sent.params["term"] == "ergothioneine antioxidant"
        assert sent.params["sort"] == "relevance" and sent.params["usehistory"] == "y"
        # Two pages of PMIDs: the second page then needs only its esummary.
        assert (sent.params["retstart"], sent.params["retmax"]) == ("0", "40")
        assert rows(app) == answered_ids(fixture_server) == ["32051057"]
        status = screen_text(app, "#search-status")
        assert status == '1 result · "ergothioneine"[All Fields] AND "antioxidant"[All Fields]'
        prompt = str(results_list(app).get_option_at_index(0).prompt)
        assert prompt.startswith("1. The biology of ergothioneine, an antioxidant nutraceutical.")
        assert "Borodina I et al. · " in prompt and "· 2020 · Review · Free full text" in prompt
        assert isinstance(app.focused, SearchResults)


async def test_a_pasted_id_opens_in_the_reader(settings: Settings) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press(*f"https://pubmed.ncbi.nlm.nih.gov/{STRUCTURED}/", "enter")
        await loaded(pilot, STRUCTURED)
        assert app.screen is app.reader


async def test_a_phrase_pubmed_left_out_is_said(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "ergothioneine fleeglewobble")
        assert rows(app) == ["32051057"]
        notices = screen_text(app, "#search-notices")
        assert notices == "Not found in PubMed, left out of the search: fleeglewobble"
        assert app.search.query_one("#search-notices").display


async def test_zero_results_are_said_in_words(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, '"pulmonary ergothioneine"')
        assert rows(app) == [] and app.search.state.empty
        assert screen_text(app, "#search-status").startswith("0 results")
        assert screen_text(app, "#search-empty") == 'No results for "pulmonary ergothioneine"'
        assert 'Quoted phrase not found: "pulmonary ergothioneine"' in screen_text(
            app, "#search-notices"
        )
        assert not results_list(app).display
        assert isinstance(app.focused, Input)  # back to the query to change it
        assert len(fixture_server.logged("esummary")) == 0  # nothing to summarise


async def test_scrolling_near_the_end_loads_the_next_page_in_the_same_session(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, ALL_YEARS)
        count = app.search.state.page.count if app.search.state.page else 0
        # One esearch brings two pages of PMIDs; only the first page is summarised.
        ahead = answered_ids(fixture_server)
        assert count > 20 and len(ahead) == min(count, 40)
        assert rows(app) == ahead[:20]
        assert len(fixture_server.logged("esearch")) == 1  # no page until the user scrolls
        assert len(fixture_server.logged("esummary")) == 1
        webenv = app.search.search.webenv if app.search.search else None
        assert webenv
        await settle(pilot)
        assert len(fixture_server.logged("esummary")) == 1  # still none while nobody moves
        # Once the cursor moves, the screen keeps a page ahead of it: its PMIDs are known,
        # so it costs one esummary and no esearch.
        await pilot.press("j")
        await wait_for(pilot, lambda: len(rows(app)) == min(count, 40))  # two pages
        await settle(pilot)
        assert len(fixture_server.logged("esearch")) == 1
        assert len(fixture_server.logged("esummary")) == 2
        assert rows(app) == ahead
        assert results_list(app).highlighted == 1  # the cursor stayed where it was
        await pilot.press(*"j" * 15)
        await settle(pilot)
        assert results_list(app).highlighted == 16
        assert len(fixture_server.logged("esummary")) == 2  # a page ahead still: no third
        assert [r.rank for r in app.search.state.results] == list(range(1, min(count, 40) + 1))
        shown = f"{count} results · " if count <= 40 else f"40 of {count} results · "
        assert screen_text(app, "#search-status").startswith(shown)
        await pilot.press("G")
        await settle(pilot)
        # At the end, a third page only when there is more to ask for, in the same session.
        searches = fixture_server.logged("esearch")
        assert len(searches) == (1 if count <= 40 else 2)
        if count > 40:
            third = searches[1].params
            assert (third["retstart"], third["retmax"], third["WebEnv"]) == ("40", "40", webenv)


async def test_enter_opens_the_reader_and_b_or_escape_come_back_with_the_cursor(
    settings: Settings,
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "review[pt]")
        await pilot.press("j", "j")
        chosen = app.search.state.results[2]
        await pilot.press("enter")
        await loaded(pilot, chosen.pmid)
        assert app.screen is app.reader
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is app.search
        assert results_list(app).highlighted == 2
        assert isinstance(app.focused, SearchResults)
        await pilot.press("j", "enter")
        following = app.search.state.results[3]
        await loaded(pilot, following.pmid)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.search and results_list(app).highlighted == 3
        # escape on the results goes back to the reader, which still shows the record
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.reader and app.reader.record is not None
        assert app.reader.record.pmid == following.pmid
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is app.search and isinstance(app.focused, SearchResults)


async def test_b_walks_back_through_the_reader_before_returning_to_results(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings)  # a record is open first; s searches from it
    async with app.run_test(size=WIDE) as pilot:
        first = await loaded(pilot, "35856662")
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is app.search
        await searched(pilot, "ergothioneine")
        await pilot.press("enter")
        await loaded(pilot, "32051057")
        await pilot.press("slash", *"ab")  # b typed into the references filter stays there
        assert app.screen is app.reader
        assert app.reader.references.filter_input.value == "ab"
        await pilot.press("enter", "b")  # out of the field, b goes back to the results
        await pilot.pause()
        assert app.screen is app.search  # not the review opened before searching
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.reader
        assert app.reader.record is not None and app.reader.record.pmid == "32051057"
        assert first.pmid == "35856662"


async def test_marks_and_copies(settings: Settings) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "review[pt]")
        results = app.search.state.results
        with_doi = [r for r in results if r.summary and r.summary.doi]
        without = [r for r in results if not (r.summary and r.summary.doi)]
        assert with_doi and without  # the fixtures have both
        await pilot.press("y")
        first = results[0]
        expected = first.summary.doi if first.summary and first.summary.doi else first.pmid
        assert app.clipboard == expected
        await pilot.press("Y")
        assert app.clipboard.splitlines() == [
            (r.summary.doi if r.summary and r.summary.doi else r.pmid) for r in results
        ]
        # space marks and moves on: mark rows 1 and 3
        await pilot.press("space", "j", "space")
        assert app.search.state.marks == {results[0].pmid, results[2].pmid}
        assert str(results_list(app).get_option_at_index(0).prompt).lstrip().startswith("1. ✓ ")
        await pilot.press("y")
        marked = [results[0], results[2]]
        lines = [(r.summary.doi if r.summary and r.summary.doi else r.pmid) for r in marked]
        assert app.clipboard.splitlines() == lines
        assert app.messages[-1].startswith("Sent ") and "(OSC 52)" in app.messages[-1]
        await pilot.press("Y")
        assert app.clipboard.splitlines() == lines


async def test_filters_and_sort_rerun_the_search_and_show_in_the_title(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, ALL_YEARS)
        everything = app.search.state.page.count if app.search.state.page else 0
        fixture_server.clear_log()
        await pilot.press("1")
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        (sent,) = fixture_server.logged("esearch")
        assert sent.params["term"] == f"({ALL_YEARS}) AND review[pt]"
        assert screen_text(app, "#search-title") == "Search PubMed · Reviews"
        reviews = app.search.state.results
        assert 0 < len(reviews) < everything
        assert all("Review" in r.publication_types for r in reviews)
        fixture_server.clear_log()
        await pilot.press("5", "S")
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        sent = fixture_server.logged("esearch")[-1]
        assert sent.params["term"] == f"({ALL_YEARS}) AND review[pt] AND free full text[sb]"
        assert sent.params["sort"] == "pub_date"
        assert rows(app) == answered_ids(fixture_server)
        title = screen_text(app, "#search-title")
        assert title == "Search PubMed · Reviews · Free full text · sorted by date"
        await pilot.press("1", "5")
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        assert fixture_server.logged("esearch")[-1].params["term"] == ALL_YEARS


async def test_the_query_history_survives_a_restart(settings: Settings) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "ergothioneine")
        await searched(pilot, "review[pt]")
    again = make_app(settings, None)
    async with again.run_test(size=WIDE) as pilot:
        await pilot.pause()
        field = again.search.query_one(Input)
        await pilot.press(*"half", "up")
        assert field.value == "review[pt]"
        await pilot.press("up")
        assert field.value == "ergothioneine"
        await pilot.press("up")
        assert field.value == "ergothioneine"  # the oldest stays
        await pilot.press("down", "down")
        assert field.value == "half"  # the draft comes back
        await pilot.press("down")
        assert isinstance(again.focused, SearchResults)


async def test_a_failing_service_is_said_and_the_next_page_is_tried_again(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        attempts = settings.max_attempts
        fixture_server.add_fault("503", times=attempts, endpoint="esearch")
        await searched(pilot, "review[pt]")
        status = screen_text(app, "#search-status")
        assert status == "NCBI E-utilities answered 503 Service Unavailable"
        assert app.search.query_one("#search-status").has_class("-error")
        await searched(pilot, ALL_YEARS)
        assert len(rows(app)) == 20
        fixture_server.add_fault("500", times=attempts, endpoint="esummary")
        await pilot.press("G")
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        assert len(rows(app)) == 20  # the rows shown stay; the failure is said above them
        assert "500" in screen_text(app, "#search-notices")
        pages = len(fixture_server.logged("esearch"))
        await settle(pilot)
        assert len(fixture_server.logged("esearch")) == pages  # no retry on its own
        await pilot.press("k", "G")  # moving again asks for the same page again
        count = app.search.state.page.count if app.search.state.page else 0
        await wait_for(
            pilot, lambda: len(rows(app)) >= min(count, 40)
        )  # two pages (a third may follow)
        # The page that failed is the one asked for again (a third may follow it at once).
        again = [r.params["retstart"] for r in fixture_server.logged("esearch")[pages:]]
        assert again[:1] == ["20"]
        assert not app.search.query_one("#search-notices").display


def served(server: FixtureServer, pmids: list[str]) -> list[Record]:
    """The records the server holds for ``pmids``, parsed as the reader parses them."""
    params = {"db": "pubmed", "id": ",".join(pmids), "retmode": "xml"}
    status, _, body = server.answer("GET", "/entrez/eutils/efetch.fcgi", params)
    assert status == 200
    by_pmid = {r.pmid: r for r in parse_pubmed(body)}
    return [by_pmid[p] for p in pmids]


async def test_e_exports_the_marked_results_in_the_chosen_format(
    settings: Settings,
    fixture_server: FixtureServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The download folder follows HOME (no XDG user-dirs file in this config home).
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    config = tmp_path / "config.toml"
    config.write_text("# mine\n", encoding="utf-8")
    settings = replace(settings, config_file=config)
    downloads = tmp_path / "home" / "Downloads"
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "review[pt]")
        results = app.search.state.results
        await pilot.press("space", "j", "space", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, CiteChooser))
        await pilot.press("j", "enter")  # RIS, the second format
        await wait_for(pilot, lambda: any(m.startswith("Exported") for m in app.messages))
        target = downloads / "pubterm-search-review-pt-marked.ris"
        assert app.messages[-1] == f"Exported 2 RIS records to {target}"
        assert app.screen is app.search
        # nothing marked: every loaded result, and the first file is kept
        await pilot.press("k", "space", "g", "space")  # space moves on: back up to unmark
        assert not app.search.state.marks
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, CiteChooser))
        await pilot.press("enter")  # the format just used is offered first
        everything = downloads / "pubterm-search-review-pt.ris"
        await wait_for(pilot, lambda: app.messages[-1].endswith(str(everything)))
    expected = get_renderer("ris")(served(fixture_server, [results[0].pmid, results[2].pmid]))
    assert target.read_text(encoding="utf-8") == expected
    every = get_renderer("ris")(served(fixture_server, [r.pmid for r in results]))
    assert everything.read_text(encoding="utf-8") == every
    assert config.read_text(encoding="utf-8") == '# mine\nlast_format = "ris"\n'


async def test_the_palette_offers_the_search_toggles_only_on_the_search_screen(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "ergothioneine")
        fixture_server.clear_log()
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"systematic reviews")
        await wait_for(pilot, lambda: app.screen.query_one(OptionList).option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(fixture_server.logged("esearch")) == 1)
        await wait_for(pilot, lambda: app.search.state.busy is None)
        assert fixture_server.logged("esearch")[0].params["term"] == (
            "ergothioneine AND systematic[sb]"
        )
        assert screen_text(app, "#search-title") == "Search PubMed · Systematic reviews"


async def test_the_reader_palette_has_no_search_toggles(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        await pilot.press("ctrl+p", *"systematic reviews")
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        shown = [str(o.prompt) for o in palette.query_one(OptionList).options]
        assert not any("Systematic reviews" in text for text in shown)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"search (s)")
        await wait_for(pilot, lambda: app.screen.query_one(OptionList).option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is app.search)


async def test_a_saves_the_search_with_its_filters_in_the_config_file(
    settings: Settings, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('# my settings\nstyle = "apa"\n\n[extra]\nx = 1\n', encoding="utf-8")
    app = make_app(replace(settings, config_file=config), None)
    async with app.run_test(size=WIDE) as pilot:
        await searched(pilot, "ergothioneine")
        await pilot.press("1")
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await pilot.press("a")
        assert app.messages[-1] == f"Saved the search ergothioneine AND review[pt] in {config}"
        await pilot.press("a")
        assert app.messages[-1] == "Already saved"
    assert config.read_text(encoding="utf-8") == (
        '# my settings\nstyle = "apa"\nsaved_searches = ["ergothioneine AND review[pt]"]\n'
        "\n[extra]\nx = 1\n"
    )


async def test_saved_searches_are_listed_with_what_is_new_and_run_with_enter(
    settings: Settings, fixture_server: FixtureServer, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('saved_searches = ["review[pt]", "tau"]\n', encoding="utf-8")
    runs = settings.resolved_cache_dir / "saved-search-runs-v1.json"
    runs.parent.mkdir(parents=True, exist_ok=True)
    runs.write_text('{"review[pt]": "2023-01-01"}', encoding="utf-8")
    app = make_app(replace(settings, config_file=config), None)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: len(fixture_server.logged("esearch")) == 1)
        await settle(pilot)
        (sent,) = fixture_server.logged("esearch")
        assert sent.params["term"] == "review[pt]"
        assert (sent.params["datetype"], sent.params["mindate"]) == ("edat", "2023/01/01")
        status, _, body = fixture_server.answer(sent.method, sent.path, sent.params)
        assert status == 200
        new = parse_search(body).count
        undated = {k: v for k, v in sent.params.items() if "date" not in k}
        everything = parse_search(fixture_server.answer(sent.method, sent.path, undated)[2]).count
        assert 0 < new < everything  # the server's records span the date
        saved = app.search.query_one(SavedSearchList)
        assert saved.display
        prompts = [str(saved.get_option_at_index(i).prompt) for i in range(saved.option_count)]
        assert prompts == [
            f"review[pt]  {new} new since you last ran it (2023-01-01)",
            "tau  not run yet",  # never run: nothing to count from
        ]
        await pilot.press("down")
        assert app.focused is saved
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.search.state.busy is None)
        await settle(pilot)
        assert fixture_server.logged("esearch")[-1].params["term"] == "review[pt]"
        assert len(rows(app)) == everything
        assert not saved.display  # the results take the screen
    assert date.today().isoformat() in runs.read_text(encoding="utf-8")


async def test_a_retry_is_said_while_the_search_waits(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        said: list[str] = []
        app.search.watch(app.search, "state", lambda s: said.append(s.status()), init=False)
        fixture_server.add_fault("429", times=1, endpoint="esearch")
        await searched(pilot, "ergothioneine")
        assert any(s.startswith("Rate limited by NCBI, retrying in") for s in said), said
        assert rows(app) == ["32051057"]
