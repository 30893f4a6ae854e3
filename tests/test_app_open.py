"""Starting the reader: with an ID, without one (the search screen), and in demo mode."""

from __future__ import annotations

from dataclasses import replace

from textual import events
from textual.widgets import Input

from tests.server import FixtureServer
from tests.test_app_support import (
    REVIEW,
    STRUCTURED,
    WIDE,
    loaded,
    make_app,
    on_reader,
    settle,
)
from tui.app import PubtermApp
from tui.data.ids import ArticleId, IdKind
from tui.data.settings import Settings
from tui.demo import DEMO_PMID, demo_settings
from tui.screens.search import SearchScreen


async def test_without_an_id_the_search_screen_asks_and_opens_a_pasted_link(
    settings: Settings,
) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        field = app.screen.query_one("#search-input", Input)
        assert app.focused is field
        field.post_message(events.Paste(f"https://pubmed.ncbi.nlm.nih.gov/{STRUCTURED}/"))
        await pilot.pause()
        await pilot.press("enter")
        record = await loaded(pilot, STRUCTURED)
        assert on_reader(app)
        assert record.pmid == STRUCTURED


async def test_prompt_accepts_a_doi(settings: Settings) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.screen.query_one(Input).post_message(events.Paste("doi:10.1128/AAC.00216-22"))
        await pilot.pause()
        await pilot.press("enter")
        await loaded(pilot, REVIEW)


async def test_escape_from_the_first_prompt_leaves(settings: Settings) -> None:
    app = make_app(settings, None)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0
    assert app.reader.record is None


async def test_opening_by_pmcid(settings: Settings, fixture_server: FixtureServer) -> None:
    app = PubtermApp(settings, ArticleId(IdKind.PMCID, "PMC9380527"))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
    assert any("[pmcid]" in r.params.get("term", "") for r in fixture_server.logged("esearch"))


async def test_demo_reads_the_bundled_records_without_network(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    # The demo settings point nowhere reachable: any network use would fail the load.
    demo = demo_settings(replace(settings, eutils_url="http://127.0.0.1:9/entrez/eutils/"))
    app = make_app(demo, DEMO_PMID)
    async with app.run_test(size=WIDE) as pilot:
        record = await loaded(pilot, DEMO_PMID)
        await settle(pilot)
        assert record.cached and not record.stale
        assert not app.reader.banner.has_class("-shown")
        assert len(record.references) == 258
    assert fixture_server.requests == []
