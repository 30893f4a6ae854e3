"""Panes stay apart on a 16-colour terminal (``TERM=xterm``) and with ``NO_COLOR``.

A 16-colour terminal draws each true colour as the nearest of its 16 (what rich does on
the way out, as in ``TERM=xterm pubterm``); a border that maps onto its own background
vanishes there.  Without colour, the border's shape still tells the panes and the
focused one apart.
"""

from __future__ import annotations

import pytest
from textual.theme import BUILTIN_THEMES

from tests.screen_colours import screen_runs
from tests.test_app_support import WIDE, loaded, make_app
from tui.app import PubtermApp
from tui.data.settings import Settings

THEMES = sorted(name for name in BUILTIN_THEMES if not name.startswith("ansi-"))
PANES = ("#abstract", "#keywords", "#references")


def border_cells(app: PubtermApp, pane: str) -> list[tuple[int | None, int | None]]:
    """The 16-colour (foreground, background) of each border run on the pane's edge."""
    region = app.reader.query_one(pane).region
    inner = region.shrink((1, 1, 1, 1))
    return [
        run.ansi16()
        for run in screen_runs(app)
        if run.is_border and run.inside(region) and not run.inside(inner)
    ]


@pytest.mark.parametrize("theme", THEMES)
async def test_every_pane_border_survives_sixteen_colours(settings: Settings, theme: str) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        app.theme = theme
        await pilot.pause()
        for pane in PANES:
            cells = border_cells(app, pane)
            assert len(cells) >= 4, pane  # the pane has a border at all
            assert [c for c in cells if c[0] == c[1]] == [], f"{pane} border vanishes"


async def test_without_colour_the_border_shape_shows_the_panes_and_the_focus(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        await pilot.press("2")
        await pilot.pause()
        runs = screen_runs(app)

        def corner(pane: str) -> str:
            region = app.reader.query_one(pane).region
            x, y = region.x, region.y
            return next(r.text[x - r.x] for r in runs if r.y == y and r.x <= x < r.x + len(r.text))

        assert corner("#keywords") == "┏"  # focused: heavy
        assert corner("#abstract") == corner("#references") == "╭"  # the others: round
