"""What the reader says when something could not be had: in words, and only what is true.

A reference list that could not be asked for is not "none found"; offline, the panes
and the prefetch say what is missing and why; a fetch that cannot work offline does not
offer a retry.  All through the real app and the local fixture server.
"""

from __future__ import annotations

from dataclasses import replace

from tests.server import FixtureServer
from tests.test_app_graph import EUROPE_PMC, review_copy
from tests.test_app_support import (
    REVIEW,
    WIDE,
    banner,
    fixture_record,
    loaded,
    make_app,
    settle,
    wait_for,
)
from tui.data.errors import OfflineError, UnreachableError
from tui.data.ids import parse_id
from tui.data.service import PubMed
from tui.data.settings import Settings
from tui.screens.fallback_note import OFFLINE, UNREACHABLE, fallback_source
from tui.widgets.links import LinksPane
from tui.widgets.references import ReferencesPane


def refs_pane(app: object) -> ReferencesPane:
    return app.reader.references  # type: ignore[attr-defined, no-any-return]


def first_option(pane: ReferencesPane) -> str:
    """What the empty list says (an empty virtual list shows it as its placeholder)."""
    return pane.reference_list.placeholder


async def cache_records(settings: Settings, *ids: str) -> None:
    """Fetch the records once online, as a reader would before going offline."""
    async with PubMed(settings) as service:
        for text in ids:
            await service.fetch(parse_id(text))


def test_none_found_only_for_an_empty_answer() -> None:
    assert fallback_source("none", ()) == "none"
    assert fallback_source("europepmc", (UnreachableError("down"),)) == "europepmc"
    assert fallback_source("none", (UnreachableError("down"),)) == UNREACHABLE
    assert fallback_source("none", (OfflineError("28815688", "Europe PMC's list"),)) == OFFLINE


async def test_unreachable_fallbacks_are_said_in_the_pane_and_r_retries(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_record(EUROPE_PMC, review_copy(EUROPE_PMC, references=False))
    attempts = settings.max_attempts
    fixture_server.add_fault("drop", endpoint="europepmc", times=attempts)
    fixture_server.add_fault("drop", endpoint="crossref", times=attempts)
    app = make_app(settings, EUROPE_PMC)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, EUROPE_PMC)
        pane = refs_pane(app)
        await wait_for(pilot, lambda: pane.border_subtitle == "unreachable — r retries")
        assert first_option(pane) == "Europe PMC and Crossref unreachable — r retries"
        assert "none found" not in first_option(pane)
        await pilot.press("r")
        await wait_for(pilot, lambda: pane.border_subtitle == "from Europe PMC")
        await settle(pilot)
        assert len(pane.references) > 0


async def test_offline_cited_by_says_what_is_missing(settings: Settings) -> None:
    await cache_records(settings, REVIEW)
    app = make_app(replace(settings, offline=True))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("4")
        pane = app.reader.query_one("#cited-by", LinksPane)
        expected = f"Cited by isn't available offline for {REVIEW}"
        await wait_for(pilot, lambda: pane.paper_list.placeholder == expected)


async def test_offline_prefetch_says_why_the_rest_failed(settings: Settings) -> None:
    await cache_records(settings, REVIEW)
    pmids = {r.pmid for r in fixture_record(REVIEW).references if r.pmid}
    app = make_app(replace(settings, offline=True))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("P")
        await wait_for(pilot, lambda: any(m.startswith("Prefetched") for m in app.messages))
        said = next(m for m in app.messages if m.startswith("Prefetched"))
        assert said == (
            f"Prefetched for offline reading: 0 fetched, 0 already cached, "
            f"{len(pmids)} not cached while offline; full text not kept: the full text isn't "
            f"available offline for {fixture_record(REVIEW).pmcid}"
        )


async def test_offline_a_failed_walk_says_what_would_work_not_retry(
    settings: Settings,
) -> None:
    await cache_records(settings, REVIEW)
    missing = fixture_record(REVIEW).references[0].pmid
    app = make_app(replace(settings, offline=True))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("3", "enter")
        await wait_for(pilot, lambda: banner(app).kind == "error")
        message = banner(app).message
        assert message == (
            f"PMID {missing} isn't available offline — pubterm is offline: start it "
            "without --offline to fetch it · b or escape goes back to the record"
        )
        assert "retry" not in message
        await pilot.press("escape")
        await pilot.pause()
        assert banner(app).kind == "clear"


async def test_offline_an_uncached_record_does_not_offer_a_retry(settings: Settings) -> None:
    app = make_app(replace(settings, offline=True))
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: banner(app).kind == "error")
        assert banner(app).message == (
            f"PMID {REVIEW} isn't available offline — pubterm is offline: start it without "
            "--offline to fetch it"
        )
