"""Themes, NO_COLOR, the palette's command list and very long records."""

from __future__ import annotations

import time

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from tests.test_app_support import WIDE, fixture_record, loaded, make_app, wait_for
from tui.app import DEFAULT_THEME
from tui.data.settings import Settings
from tui.screens.commands import command_text, offered_specs

LONG_LIST = "32051057"  # 597 references


async def test_themes_render_including_ansi(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        assert app.theme == DEFAULT_THEME
        themes = ["textual-light", "ansi-dark", "ansi-light", "nord", "textual-dark"]
        assert set(themes) <= set(app.available_themes)
        for name in themes:
            app.theme = name
            await pilot.pause()
            assert "OXA-48" in app.export_screenshot()


async def test_no_color_is_honoured(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        assert app.no_color
        svg = app.export_screenshot()
        assert "OXA-48" in svg


async def test_palette_offers_every_palette_binding(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one(OptionList)
        wanted = {command_text(spec) for spec in offered_specs()}

        def listed() -> set[str]:
            texts = set()
            for index in range(options.option_count):
                texts.add(str(options.get_option_at_index(index).prompt).split("\n")[0])
            return texts

        await wait_for(pilot, lambda: wanted <= listed())
        assert len(wanted) == len(offered_specs()) > 10


async def test_a_597_reference_list_loads_and_moves_quickly(settings: Settings) -> None:
    record = fixture_record(LONG_LIST)
    assert len(record.references) == 597
    app = make_app(settings, LONG_LIST)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, LONG_LIST)
        pane = app.reader.references
        await pilot.press("3")
        started = time.monotonic()
        await pilot.press("G")
        assert pane.highlighted_reference == record.references[-1]
        for _ in range(20):
            await pilot.press("k")
        await pilot.press("pageup", "pageup", "g")
        assert pane.highlighted_reference == record.references[0]
        assert time.monotonic() - started < 5
        assert pane.border_title == "References 597"
