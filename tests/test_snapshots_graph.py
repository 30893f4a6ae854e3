"""What resolved references, a retraction flag and the Cited by pane look like, at 80×24
and 160×48, compared with accepted snapshots.

Titles come from esummary answers the fixture server builds; every worker has finished
before the picture is taken, so the pictures change only when the reader does.
Regenerate with ``--snapshot-update`` and look at the result before accepting it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.server import FIXTURES, FixtureServer
from tests.test_app_graph import CITED, keyed, review_copy
from tests.test_app_support import NARROW, REVIEW, WIDE, fixture_record, make_app
from tests.test_snapshots import ready
from tui.data.settings import Settings

SIZES = pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])

SnapCompare = Callable[..., bool]


def resolve_some(server: FixtureServer, pmids: list[str]) -> None:
    """Summaries for the first few PMIDs: plain, a review, a retracted paper."""
    kinds = [
        ["Journal Article"],
        ["Journal Article", "Review"],
        ["Journal Article", "Retracted Publication"],
        ["Journal Article"],
        ["Expression of Concern"],
    ]
    for n, (pmid, types) in enumerate(zip(pmids, kinds, strict=False), 1):
        server.add_summary(
            pmid,
            title=f"Resolved paper number {n} on carbapenemases",
            authors=[f"Author{n} A", "Second B"],
            source="J Resist",
            pubdate=f"{2015 + n} May",
            pubtypes=types,
            doi=f"10.1000/resolved.{n}",
        )


async def settled_on(pilot: Pilot[Any], key: str) -> None:
    await ready(pilot)
    await pilot.press(key)
    await ready(pilot)


@SIZES
def test_resolved_references_with_a_retraction(
    snap_compare: SnapCompare,
    settings: Settings,
    fixture_server: FixtureServer,
    size: tuple[int, int],
) -> None:
    pmids = [r.pmid for r in fixture_record(REVIEW).references if r.pmid]
    resolve_some(fixture_server, pmids[:5])

    async def run(pilot: Pilot[Any]) -> None:
        await settled_on(pilot, "3")

    assert snap_compare(make_app(keyed(settings), REVIEW), terminal_size=size, run_before=run)


@SIZES
def test_cited_by_pane(
    snap_compare: SnapCompare,
    settings: Settings,
    fixture_server: FixtureServer,
    size: tuple[int, int],
) -> None:
    recorded = json.loads((FIXTURES / "eutils" / f"elink_citedin_{CITED}.json").read_bytes())
    citing = [str(p) for p in recorded["linksets"][0]["linksetdbs"][0]["links"]]
    fixture_server.add_record(CITED, review_copy(CITED))
    resolve_some(fixture_server, citing[:5])

    async def run(pilot: Pilot[Any]) -> None:
        await settled_on(pilot, "4")

    assert snap_compare(make_app(keyed(settings), CITED), terminal_size=size, run_before=run)
