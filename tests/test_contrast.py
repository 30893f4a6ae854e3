"""Every text span of the reader, help, chooser and prompt is readable in every theme.

The screen is rendered as a snapshot is (the compositor's segments, true colour), and
the WCAG contrast of each span's colour against its own background is computed here,
independently of pubterm's own colour code.  ANSI themes are left out: their colours
are the terminal's palette, which only the terminal knows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES

from tests.screen_colours import screen_runs, wcag
from tests.test_app_support import NARROW, WIDE, loaded, make_app, on_reader, wait_for
from tui.app import DEFAULT_THEME, PubtermApp
from tui.contrast import readable
from tui.data.settings import Settings
from tui.screens.cite import CiteChooser

AA = 4.5
THEMES = sorted(name for name in BUILTIN_THEMES if not name.startswith("ansi-"))

Cell = tuple[int, int, str, float]


def text_spans(app: PubtermApp, region: Region | None = None) -> list[Cell]:
    """(x, y, text, contrast) of every span of text on screen (or in ``region``)."""
    spans: list[Cell] = []
    for run in screen_runs(app):
        if run.is_text and (region is None or run.inside(region)):
            spans.append((run.x, run.y, run.text, wcag(*run.rgb())))
    return spans


def unreadable(app: PubtermApp, region: Region | None = None) -> list[Cell]:
    return [span for span in text_spans(app, region) if span[3] < AA]


class Sweep:
    """Measures a state in each of ``themes`` (switching to each in turn), or in the app's
    own theme when ``themes`` is empty; unreadable spans are named by theme and state."""

    def __init__(self, pilot: Pilot[Any], themes: Sequence[str] = ()) -> None:
        self.pilot = pilot
        self.themes = themes
        self.found: dict[str, list[Cell]] = {}

    async def measure(self, name: str, region: Callable[[], Region | None] = lambda: None) -> None:
        app = self.pilot.app
        assert isinstance(app, PubtermApp)
        if not self.themes:
            self.found[name] = unreadable(app, region())
            return
        for theme in self.themes:
            app.theme = theme
            await self.pilot.pause()
            assert app.theme == theme
            self.found[f"{theme}: {name}"] = unreadable(app, region())


async def states(pilot: Pilot[Any], themes: Sequence[str] = ()) -> dict[str, list[Cell]]:
    """The unreadable spans of each screen a reader sees in the first minutes."""
    app = pilot.app
    assert isinstance(app, PubtermApp)
    sweep = Sweep(pilot, themes)
    await sweep.measure("reader")
    await pilot.press("3", "j", "j")  # the cursor row of a focused list
    await sweep.measure("references")
    await pilot.press("slash", *"OXA", "enter")  # the filter field and its matches
    await pilot.pause()
    await sweep.measure("filtered")
    for name, key, dialog in (
        ("help", "question_mark", "#help-dialog"),
        ("cite", "c", "#cite-dialog"),
    ):
        await pilot.press(key)
        await wait_for(pilot, lambda: not on_reader(app))
        await pilot.pause()

        def region(dialog: str = dialog) -> Region:
            return app.screen.query_one(dialog).region

        await sweep.measure(name, region)
        if isinstance(app.screen, CiteChooser):  # the style step: its filter and list
            await pilot.press("enter")
            await wait_for(
                pilot, lambda: isinstance(app.screen, CiteChooser) and app.screen.in_style_step
            )
            await pilot.pause(0.1)
            await sweep.measure("style step", region)
            await pilot.press(*"van")
            await pilot.pause(0.1)
            await sweep.measure("styles", region)
        while not on_reader(app):
            await pilot.press("escape")
            await pilot.pause()
    # The search screen is the prompt too: an ID opens, anything else is searched.
    app.ask_for_id()
    await wait_for(pilot, lambda: not on_reader(app))
    await pilot.press(*"ergothioneine")
    await pilot.pause()
    await sweep.measure("prompt", lambda: app.screen.query_one("#search-top").region)
    # Its results, the cursor on a row with badges: focused, then with the query focused.
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.search.state.busy is None and bool(app.search.state.results))
    await pilot.pause()
    await sweep.measure("search results", lambda: app.search.results_list.region)
    await pilot.press("slash")
    await pilot.pause()
    await sweep.measure("search results, blurred", lambda: app.search.results_list.region)
    assert sweep.found, "nothing was measured"
    return {name: spans for name, spans in sweep.found.items() if spans}


# Four readers share the themes, so that parallel workers share the sweep: a share's
# time grows with its themes (each state measured in each), a reader and its walk cost
# only a few seconds more.
SHARES = [THEMES[i::4] for i in range(4)]


@pytest.mark.parametrize("themes", SHARES, ids=[f"share{i + 1}" for i in range(len(SHARES))])
async def test_every_span_reaches_aa_in_every_theme(settings: Settings, themes: list[str]) -> None:
    """Each state is reached once and measured in each theme in turn: the walk costs
    seconds, a theme switch a frame."""
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        assert await states(pilot, themes) == {}


def test_the_shares_cover_every_theme() -> None:
    assert sorted(t for share in SHARES for t in share) == THEMES


# Starting in a theme (rather than switching to it) is checked for a dark and two light
# themes; every theme is checked by the sweep above.
@pytest.mark.parametrize("theme", [DEFAULT_THEME, "solarized-light", "textual-light"])
async def test_every_span_reaches_aa_when_starting_in_the_theme(
    settings: Settings, theme: str
) -> None:
    app = make_app(replace(settings, theme=theme))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        assert app.theme == theme
        assert await states(pilot) == {}


@pytest.mark.parametrize("theme", ["textual-light", "solarized-light", "catppuccin-latte"])
async def test_switching_to_a_light_theme_at_80x24_keeps_every_span_readable(
    settings: Settings, theme: str
) -> None:
    app = make_app(settings)
    async with app.run_test(size=NARROW) as pilot:
        await loaded(pilot, "35856662")
        app.theme = theme
        await pilot.pause()
        assert await states(pilot) == {}


async def test_the_header_was_what_light_themes_hid(settings: Settings) -> None:
    """The check sees the header at all: its title is among the spans it measures."""
    app = make_app(replace(settings, theme="textual-light"))
    async with app.run_test(size=WIDE) as pilot:
        record = await loaded(pilot, "35856662")
        spans = text_spans(app)
        title = [s for s in spans if s[1] == 0 and s[2].strip() == record.title]
        assert title and title[0][3] >= AA
        assert len({round(s[3], 1) for s in spans}) > 5  # many colour pairs measured


def test_readable_keeps_a_good_colour_and_moves_a_poor_one_just_enough() -> None:
    grey = Color(208, 208, 208)
    assert readable(Color(20, 20, 20), [grey]) == Color(20, 20, 20)
    white_on_grey = readable(Color(248, 248, 248), [grey])  # what textual-light showed
    rgb = (white_on_grey.r, white_on_grey.g, white_on_grey.b)
    assert AA <= wcag(rgb, (208, 208, 208)) < 6  # dark enough, not pushed to black
