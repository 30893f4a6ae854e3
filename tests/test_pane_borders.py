"""Panes stay apart on a 16-colour terminal (``TERM=xterm``) and with ``NO_COLOR``.

A 16-colour terminal draws each true colour as the nearest of its 16 (what rich does on
the way out, as in ``TERM=xterm pubterm``); a border that maps onto its own background
vanishes there.  Without colour, the border's shape still tells the panes and the
focused one apart.
"""

from __future__ import annotations

import pytest
from textual.color import Color
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


# Two readers, each switching through half the themes (each theme switched to, as
# from the palette): an app start per theme cost the suite over a minute.
GROUPS = [THEMES[::2], THEMES[1::2]]


@pytest.mark.parametrize("themes", GROUPS, ids=["even", "odd"])
async def test_every_pane_border_survives_sixteen_colours(
    settings: Settings, themes: list[str]
) -> None:
    assert sorted(GROUPS[0] + GROUPS[1]) == THEMES
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            # The screen is painted in this theme, not left in the one before.
            background = Color.parse(app.get_css_variables()["background"])
            assert app.theme == theme and app.reader.styles.background == background, theme
            for pane in PANES:
                cells = border_cells(app, pane)
                assert len(cells) >= 4, (theme, pane)  # the pane has a border at all
                vanishing = [c for c in cells if c[0] == c[1]]
                assert vanishing == [], f"{theme}: {pane} border vanishes"


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
