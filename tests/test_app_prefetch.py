"""Prefetching from the reader: P downloads what the review cites, then it reads offline.

Real batched efetch calls to the local fixture server; the offline half runs a second
app whose settings forbid the network, and checks that the server saw nothing.
"""

from __future__ import annotations

from dataclasses import replace

from tests.server import FixtureServer
from tests.test_app_graph import keyed
from tests.test_app_support import (
    REVIEW,
    STRUCTURED,
    WIDE,
    fixture_record,
    link_references,
    loaded,
    make_app,
    settle,
    wait_for,
)
from tui.data.settings import Settings


async def test_prefetch_then_the_cited_paper_opens_offline(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    link_references(fixture_server)  # reference 1 is the recorded record 38534005
    pmids = {r.pmid for r in fixture_record(REVIEW).references if r.pmid}
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        fetched = [r.params.get("id", "") for r in fixture_server.logged("efetch")]
        assert fetched == [REVIEW]
        bar = app.reader.prefetch_progress
        await pilot.press("P")
        await settle(pilot)
        assert not bar.display and bar.text == f"Prefetching {len(pmids)}/{len(pmids)}"
        assert app.messages[-1].startswith("Prefetched for offline reading: 1 fetched, ")
    batches = [r for r in fixture_server.logged("efetch")[1:] if r.params.get("db") != "pmc"]
    assert len(batches) == 2  # 243 PMIDs, 200 a batch
    asked = [p for r in batches for p in r.params["id"].split(",")]
    assert len(asked) == len(pmids) and STRUCTURED in asked
    fixture_server.clear_log()

    offline = make_app(keyed(replace(settings, offline=True)), STRUCTURED)
    async with offline.run_test(size=WIDE) as pilot:
        record = await loaded(pilot, STRUCTURED)
        await settle(pilot)
        assert record.cached and record.title == fixture_record(STRUCTURED).title
        assert not offline.reader.banner.has_class("-error")
    assert fixture_server.requests == []


async def test_p_again_cancels_a_prefetch_midway(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        fixture_server.latency = 0.8
        bar = app.reader.prefetch_progress
        await pilot.press("P")
        await wait_for(pilot, lambda: len(fixture_server.logged("efetch")) == 2)
        assert bar.display and app.reader.prefetching
        await pilot.press("P")
        assert not app.reader.prefetching and not bar.display
        assert app.messages[-1] == "Prefetch cancelled: what was downloaded stays cached"
        await pilot.pause(1.0)  # longer than the batch in flight would have taken
        await settle(pilot)
        assert len(fixture_server.logged("efetch")) == 2  # no second batch went out


async def test_progress_shows_and_escape_cancels_a_prefetch(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        fixture_server.latency = 0.8
        await pilot.press("P")
        bar = app.reader.prefetch_progress
        # After the first batch of 200 the bar says so, while the second is in flight.
        await wait_for(pilot, lambda: bar.text == "Prefetching 200/243")
        await wait_for(pilot, lambda: len(fixture_server.logged("efetch")) == 3)
        await pilot.press("escape")
        assert not app.reader.prefetching
        assert not app.reader.prefetch_progress.display
        assert app.messages[-1] == "Prefetch cancelled: what was downloaded stays cached"
