"""What the Full text pane looks like, at 80×24 and 160×48, compared with accepted snapshots.

The article comes from the local server's recorded JATS (tests/server_fulltext.py), the
theme is fixed and the cursor steady, so the pictures change only when the pane does.
Regenerate with ``--snapshot-update`` and look at the result before accepting it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.server import FixtureServer
from tests.test_app_support import NARROW, WIDE, make_app
from tests.test_snapshots import ready
from tui.data.settings import Settings

SIZES = pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
REVIEW = "PMC12599256-portland-bst-review.xml"

SnapCompare = Callable[..., bool]


async def in_text(pilot: Pilot[Any], *keys: str) -> None:
    """The Full text pane open, then ``keys`` pressed, the screen settled."""
    await ready(pilot)
    await pilot.press("7")
    await ready(pilot)
    if keys:
        await pilot.press(*keys)
        await ready(pilot)


def review(fixture_server: FixtureServer) -> str:
    return fixture_server.fulltext.enable()[REVIEW].pmid


@SIZES
def test_full_text_pane(
    snap_compare: SnapCompare, settings: Settings, fixture_server: FixtureServer, size: Any
) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await in_text(pilot, "j", "j")

    app = make_app(settings, review(fixture_server))
    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_citation_shown_beside_the_text(
    snap_compare: SnapCompare, settings: Settings, fixture_server: FixtureServer, size: Any
) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await in_text(pilot, "right_square_bracket", "right_square_bracket", "enter")

    app = make_app(settings, review(fixture_server))
    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_contexts_list(
    snap_compare: SnapCompare, settings: Settings, fixture_server: FixtureServer, size: Any
) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await in_text(pilot, "right_square_bracket", "enter", "w")

    app = make_app(settings, review(fixture_server))
    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_outline(
    snap_compare: SnapCompare, settings: Settings, fixture_server: FixtureServer, size: Any
) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await in_text(pilot, "t", "down", "down")

    app = make_app(settings, review(fixture_server))
    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_no_open_access_text(
    snap_compare: SnapCompare, settings: Settings, fixture_server: FixtureServer, size: Any
) -> None:
    article = fixture_server.fulltext.enable()[REVIEW]
    fixture_server.fulltext.metadata_only.add(article.pmcid)

    app = make_app(settings, article.pmid)
    assert snap_compare(app, terminal_size=size, run_before=in_text)
