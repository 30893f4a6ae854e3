"""The theme picked in the palette is the one pubterm opens in next time."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from textual.app import App
from textual.command import CommandPalette
from textual.widgets import OptionList

from tests.test_app_support import WIDE, loaded, make_app, on_reader, wait_for
from tui.app import DEFAULT_THEME
from tui.data.settings import Settings, load_settings

CONFIG = """# my pubterm settings
email = "me@example.org"  # for NCBI

[extra]
note = "kept"
"""


def _first_option(app: App[object]) -> str | None:
    """The first line of the command palette's highlighted option, if a palette is up."""
    if not isinstance(app.screen, CommandPalette):
        return None
    options = app.screen.query_one(OptionList)
    if options.highlighted is None:
        return None
    return str(options.get_option_at_index(options.highlighted).prompt).split("\n")[0]


def _theme_in(path: Path) -> object:
    return tomllib.loads(path.read_text(encoding="utf-8")).get("theme") if path.exists() else None


async def test_the_palette_theme_is_written_to_the_config_keeping_comments(
    settings: Settings, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    app = make_app(replace(settings, config_file=config))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        assert app.theme == DEFAULT_THEME
        await pilot.press("ctrl+p", *"theme")
        await wait_for(pilot, lambda: _first_option(app) == "Theme")
        await pilot.press("enter")
        await wait_for(pilot, lambda: _first_option(app) not in (None, "Theme"))
        await pilot.press(*"textual-light")
        await wait_for(pilot, lambda: _first_option(app) == "textual-light")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "textual-light" and on_reader(app))
        await wait_for(pilot, lambda: _theme_in(config) == "textual-light")
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# my pubterm settings\n")
    assert 'email = "me@example.org"  # for NCBI' in text
    assert tomllib.loads(text)["extra"] == {"note": "kept"}


async def test_the_remembered_theme_opens_the_reader(settings: Settings, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "solarized-light"\n', encoding="utf-8")
    remembered = load_settings(config_file=config)
    assert remembered.theme == "solarized-light"
    app = make_app(replace(settings, theme=remembered.theme, config_file=config))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        assert app.theme == "solarized-light"
    assert config.read_text(encoding="utf-8") == 'theme = "solarized-light"\n'


async def test_opening_without_a_choice_writes_nothing(settings: Settings, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    app = make_app(replace(settings, theme="no-such-theme", config_file=config))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, "35856662")
        assert app.theme == DEFAULT_THEME  # a theme Textual no longer has
        await pilot.pause(0.2)
    assert not config.exists()
