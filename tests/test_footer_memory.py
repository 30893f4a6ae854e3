"""The reader's memory stays flat as it walks records: the footer keeps no dead keys.

Textual's ``Footer`` leaves a watcher (and with it the whole widget) behind for every key
it rebuilds; ``tui.widgets.footer`` works around it.  The quick test counts footer keys
alive after many focus moves; the soak test (``pytest -m slow``) walks into a reference
and back 200 times and measures the process's resident memory.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from textual.widget import Widget

from tests.server import FixtureServer
from tests.test_app_support import (
    REVIEW,
    STRUCTURED,
    WIDE,
    link_references,
    loaded,
    make_app,
)
from tui.data.settings import Settings
from tui.widgets.footer import ReaderFooter

WALKS = 200
GROWTH_LIMIT_MB = 10.0


def live(kind: type[Widget]) -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, kind))


async def test_focus_moves_leave_no_footer_keys_behind(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        for _ in range(4):
            await pilot.press("tab")
        await pilot.pause()
        footer = app.reader.query_one(ReaderFooter)
        key_type = type(footer.children[0])  # Textual's FooterKey (a private module's)
        assert key_type.__name__ == "FooterKey"
        before = live(key_type)
        for _ in range(60):  # each focus move changes the bindings: the footer rebuilds
            await pilot.press("tab")
            await app.animator.wait_for_idle()
        await pilot.pause()
        shown = len(footer.children)
        assert shown > 0
        assert live(key_type) <= max(before, shown) * 2


def resident_mb() -> float:
    with Path("/proc/self/statm").open() as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
async def test_200_walks_into_a_reference_and_back_stay_under_10_mb(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    link_references(fixture_server)  # reference 1 of the review is the structured record
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)

        async def walk() -> None:
            await pilot.press("3", "enter")
            await loaded(pilot, STRUCTURED)
            await pilot.press("b")
            await loaded(pilot, REVIEW)

        for _ in range(5):  # caches, imports and the collector's first passes settle
            await walk()
        gc.collect()
        start = resident_mb()
        for _ in range(WALKS):
            await walk()
        gc.collect()
        growth = resident_mb() - start
        print(f"resident memory growth over {WALKS} walks: {growth:.1f} MB")
        assert growth < GROWTH_LIMIT_MB
