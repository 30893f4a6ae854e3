"""Every text span of the reader, help, chooser and prompt is readable in every theme.

The screen is rendered as a snapshot is (the compositor's segments, true colour), and
the WCAG contrast of each span's colour against its own background is computed here,
independently of pubterm's own colour code.  ANSI themes are left out: their colours
are the terminal's palette, which only the terminal knows.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest
from rich.console import Console
from rich.segment import Segment
from textual.geometry import Region
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES

from tests.test_app_support import NARROW, WIDE, loaded, make_app, on_reader, wait_for
from tui.app import PubtermApp
from tui.data.settings import Settings

AA = 4.5
THEMES = sorted(name for name in BUILTIN_THEMES if not name.startswith("ansi-"))
# Box drawing and block elements draw borders and scroll bars, not text.
NOT_TEXT = {chr(c) for c in range(0x2500, 0x25A0)} | set("▔▁▕▏ \u00a0")

Cell = tuple[int, int, str, float, tuple[int, int, int], tuple[int, int, int]]


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def wcag(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_spans(app: PubtermApp, region: Region | None = None) -> list[Cell]:
    """(x, y, text, contrast, fg, bg) of every span of text on screen (or in ``region``)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        safe_box=False,
    )
    # What export_screenshot() prints, as segments rather than SVG.
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    spans: list[Cell] = []
    lines = Segment.split_and_crop_lines(console.render(update), length=width, pad=False)
    for y, line in enumerate(lines):
        x = 0
        for text, style, control in line:
            if control:
                continue
            inside = region is None or region.contains(x, y)
            if inside and style is not None and set(text) - NOT_TEXT:
                assert style.color is not None and style.bgcolor is not None, (text, style)
                fg = tuple(style.color.get_truecolor())
                bg = tuple(style.bgcolor.get_truecolor())
                if style.reverse:
                    fg, bg = bg, fg
                if style.dim:  # as the SVG export draws it
                    fg = tuple(int(f + (b - f) * 0.4) for f, b in zip(fg, bg, strict=True))
                spans.append((x, y, text, wcag(fg, bg), fg, bg))  # type: ignore[arg-type]
            x += len(text)
    return spans


def unreadable(app: PubtermApp, region: Region | None = None) -> list[Cell]:
    return [span for span in text_spans(app, region) if span[3] < AA]


async def states(pilot: Pilot[Any]) -> dict[str, list[Cell]]:
    """The unreadable spans of each screen a reader sees in the first minutes."""
    app = pilot.app
    assert isinstance(app, PubtermApp)
    found: dict[str, list[Cell]] = {"reader": unreadable(app)}
    await pilot.press("3", "j", "j")  # the cursor row of a focused list
    found["references"] = unreadable(app)
    await pilot.press("slash", *"OXA", "enter")  # the filter field and its matches
    await pilot.pause()
    found["filtered"] = unreadable(app)
    for name, key, dialog in (
        ("help", "question_mark", "#help-dialog"),
        ("cite", "c", "#cite-dialog"),
    ):
        await pilot.press(key)
        await wait_for(pilot, lambda: not on_reader(app))
        await pilot.pause()
        found[name] = unreadable(app, app.screen.query_one(dialog).region)
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_reader(app))
    app.ask_for_id()
    await wait_for(pilot, lambda: not on_reader(app))
    await pilot.press(*"not an id", "enter")
    await pilot.pause()
    found["prompt"] = unreadable(app, app.screen.query_one("#open-dialog").region)
    return {name: spans for name, spans in found.items() if spans}


@pytest.mark.parametrize("theme", THEMES)
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
        assert len({(s[4], s[5]) for s in spans}) > 5  # many colour pairs measured
