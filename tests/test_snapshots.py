"""What the reader looks like, at 80×24 and 160×48, compared with accepted snapshots.

Records come from the local fixture server; the theme is fixed and the cursor steady, so
the pictures change only when the reader does.  Regenerate with ``--snapshot-update`` and
look at the result before accepting it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from tests.test_app_support import NARROW, NO_ABSTRACT, REVIEW, STRUCTURED, WIDE, make_app
from tui.data.settings import Settings

SIZES = pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])

SnapCompare = Callable[..., bool]


async def ready(pilot: Pilot[Any]) -> None:
    """Wait until the fetch is over and the screen has settled."""
    with contextlib.suppress(WorkerFailed):
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@SIZES
@pytest.mark.parametrize(
    "pmid", [REVIEW, STRUCTURED, NO_ABSTRACT], ids=["review", "structured", "no-abstract"]
)
def test_record(
    snap_compare: SnapCompare, settings: Settings, size: tuple[int, int], pmid: str
) -> None:
    assert snap_compare(make_app(settings, pmid), terminal_size=size, run_before=ready)


@SIZES
def test_references_filtered(
    snap_compare: SnapCompare, settings: Settings, size: tuple[int, int]
) -> None:
    async def filtered(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("slash", *"Klebsiella", "enter")
        await pilot.pause()

    assert snap_compare(make_app(settings, REVIEW), terminal_size=size, run_before=filtered)


@SIZES
def test_help_screen(snap_compare: SnapCompare, settings: Settings, size: tuple[int, int]) -> None:
    async def helped(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(settings, REVIEW), terminal_size=size, run_before=helped)


@SIZES
def test_not_found_error(
    snap_compare: SnapCompare, settings: Settings, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(settings, "99999999"), terminal_size=size, run_before=ready)
