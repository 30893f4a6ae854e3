"""A virtual list keeps its entries' lines per look: a focus moving away and back (every
pane key) draws nothing again, while a change of theme draws every line anew.

Draws are counted by wrapping the list's ``draw``; the harness is test_vlist's list of
the 597 real references of 32051057.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.strip import Strip

import tui.widgets.vlist as vlist_module
from tests.test_vlist import SIZE, Harness, repeated
from tui.widgets.vlist import VirtualList


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int | None]]:
    """The index of every entry drawn, once per draw."""
    calls: list[int | None] = []
    original = vlist_module.draw

    def counting(
        widget: object, visual: object, style: object, width: int, index: int | None
    ) -> list[Strip]:
        calls.append(index)
        return original(widget, visual, style, width, index)  # type: ignore[arg-type]

    monkeypatch.setattr(vlist_module, "draw", counting)
    yield calls


def top_lines(listing: VirtualList) -> list[Strip]:
    return [listing.render_line(y) for y in range(5)]


def colours(strip: Strip) -> list[object]:
    return [(s.style.color, s.style.bgcolor) for s in strip if s.style]


async def test_a_focus_moving_away_and_back_draws_nothing_again(draws: list[int | None]) -> None:
    app = Harness(repeated(60))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        focused = top_lines(listing)
        listing.blur()
        await pilot.pause()
        blurred = top_lines(listing)
        assert colours(blurred[0]) != colours(focused[0])  # the blurred look is its own
        drawn = len(draws)
        listing.focus()
        await pilot.pause()
        again = top_lines(listing)
        assert len(draws) == drawn, "lines already drawn focused were drawn again"
        assert [colours(s) for s in again] == [colours(s) for s in focused]
        assert [s.text for s in again] == [s.text for s in focused]


async def test_a_new_theme_draws_every_line_again(draws: list[int | None]) -> None:
    app = Harness(repeated(60))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        before = top_lines(listing)
        drawn = len(draws)
        app.theme = "textual-light"
        await pilot.pause()
        after = top_lines(listing)
        assert len(draws) > drawn
        assert [s.text for s in after] == [s.text for s in before]
        assert colours(after[1]) != colours(before[1])
