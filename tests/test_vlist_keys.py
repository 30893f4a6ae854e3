"""Keys held on a long virtual list redraw what changed, and the screen stays right.

Moving the cursor one entry used to repaint the whole screen and, whenever a newly
measured entry changed the list's total height, lay the screen out again: a whole frame
per key at any length.  Here a held ``j`` / ``pagedown`` on 20,000 real references
must cause no layout pass and no full-screen update, and what is on screen afterwards
must be exactly what a full redraw shows (no entry left drawn with the cursor).  The
ids of a list numbered by position are made as asked (``Numbers``), like a list's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual._compositor import Compositor
from textual.screen import Screen

from tests.test_vlist import BIG, SIZE, Harness, repeated
from tui.widgets.vlist_entries import Entries, Numbers


@pytest.fixture
def redraws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """How many layout passes and full-screen updates happen (counted when ``on``)."""
    counts = {"on": 0, "layouts": 0, "full": 0}
    layout, full = Screen._refresh_layout, Compositor.render_full_update

    def counting_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        counts["layouts"] += counts["on"]
        layout(self, *args, **kwargs)

    def counting_full(self: Compositor, *args: Any, **kwargs: Any) -> Any:
        counts["full"] += counts["on"]
        return full(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counting_layout)
    monkeypatch.setattr(Compositor, "render_full_update", counting_full)
    yield counts


@pytest.mark.parametrize("key", ["j", "pagedown", "k"])
async def test_a_held_key_never_lays_the_screen_out(key: str, redraws: dict[str, int]) -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        if key == "k":
            await pilot.press("G")
            await pilot.pause()
        start = listing.highlighted
        redraws["on"] = 1
        for _ in range(40):
            await pilot.press(key)
        await pilot.pause()
        redraws["on"] = 0
        assert listing.highlighted != start
        assert redraws["layouts"] == 0
        # What the partial redraws left on screen is what drawing it all again shows.
        shown = app.export_screenshot()
        listing.refresh()
        await pilot.pause()
        assert app.export_screenshot() == shown


async def test_moving_within_the_view_redraws_two_entries_not_the_screen(
    redraws: dict[str, int],
) -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        top = listing.scroll_y
        redraws["on"] = 1
        for _ in range(4):
            await pilot.press("j")
        await pilot.press("k")
        await pilot.pause()
        redraws["on"] = 0
        assert listing.highlighted == 3 and listing.scroll_y == top
        assert (redraws["layouts"], redraws["full"]) == (0, 0)
        shown = app.export_screenshot()
        listing.refresh()
        await pilot.pause()
        assert app.export_screenshot() == shown


def test_numbers_read_like_the_list_of_their_strings() -> None:
    numbers, strings = Numbers(12), [str(i) for i in range(12)]
    assert len(numbers) == 12 and list(numbers) == strings
    assert numbers[-1] == "11" and numbers[3:7] == strings[3:7] and numbers[::5] == strings[::5]
    with pytest.raises(IndexError):
        numbers[12]
    assert [numbers.index_of(s) for s in ("0", "11", "12", "-1", "01", "x", "١")] == [
        0,
        11,
        None,
        None,
        None,
        None,
        None,
    ]
    entries = Entries(Numbers(20_000), lambda i, _marked: str(i))
    assert entries.index_of("19999") == 19_999 and entries.index_of("20000") is None
