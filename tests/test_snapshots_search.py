"""What the search screen looks like, at 80×24 and 160×48, against the fixture server.

A query is typed and sent with real keys; the picture is taken once every page and
summary has arrived.  Regenerate with ``--snapshot-update`` and look at the result
before accepting it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from tests.test_app_support import make_app
from tui.app import PubtermApp
from tui.data.settings import Settings

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])

SnapCompare = Callable[..., bool]


def searching(query: str, *keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press(*query, "enter")
        for key in keys:
            with contextlib.suppress(WorkerFailed):
                await pilot.app.workers.wait_for_complete()
            await pilot.press(key)
        with contextlib.suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run


@SIZES
def test_results(snap_compare: SnapCompare, settings: Settings, size: tuple[int, int]) -> None:
    steps = searching("review[pt]", "j", "space", "j")
    assert snap_compare(make_app(settings, None), terminal_size=size, run_before=steps)


@SIZES
def test_filtered_with_a_warning(
    snap_compare: SnapCompare, settings: Settings, size: tuple[int, int]
) -> None:
    steps = searching("ergothioneine fleeglewobble", "1", "S")
    assert snap_compare(make_app(settings, None), terminal_size=size, run_before=steps)


@SIZES
def test_zero_results(snap_compare: SnapCompare, settings: Settings, size: tuple[int, int]) -> None:
    steps = searching('"pulmonary ergothioneine"')
    assert snap_compare(make_app(settings, None), terminal_size=size, run_before=steps)


@SIZES
def test_saved_searches_with_new_results(
    snap_compare: SnapCompare, settings: Settings, size: tuple[int, int], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('saved_searches = ["review[pt]", "ergothioneine"]\n', encoding="utf-8")
    runs = settings.resolved_cache_dir / "saved-search-runs-v1.json"
    runs.parent.mkdir(parents=True, exist_ok=True)
    runs.write_text('{"review[pt]": "2023-01-01", "ergothioneine": "2024-06-01"}')

    async def counted(pilot: Pilot[Any]) -> None:
        with contextlib.suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = make_app(replace(settings, config_file=config), None)
    assert snap_compare(app, terminal_size=size, run_before=counted)


@SIZES
def test_years_toggle(snap_compare: SnapCompare, settings: Settings, size: tuple[int, int]) -> None:
    async def steps(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, PubtermApp)
        app.search.today = lambda: date(2024, 6, 30)  # "from 2023", whatever the clock says
        await searching("review[pt]", "d")(pilot)

    assert snap_compare(make_app(settings, None), terminal_size=size, run_before=steps)
