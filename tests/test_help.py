"""The help is whole on small terminals: every row can be scrolled into view."""

from __future__ import annotations

import pytest
from textual.widget import Widget

from tests.screen_colours import screen_runs
from tests.test_app_support import NARROW, REVIEW, loaded, make_app, on_reader
from tui.app import PubtermApp
from tui.data.settings import Settings
from tui.keys import KEYS, spec
from tui.screens.help import HelpScreen

SIZES = pytest.mark.parametrize("size", [NARROW, (120, 40)], ids=["80x24", "120x40"])


def help_screen(app: PubtermApp) -> HelpScreen:
    assert isinstance(app.screen, HelpScreen)
    return app.screen


def shown(app: PubtermApp, widget: Widget) -> bool:
    """The widget lies wholly inside the help's visible area (not scrolled off or cut)."""
    box = help_screen(app).body.content_region
    region = widget.region
    return bool(region) and box.contains_region(region)


def screen_text(app: PubtermApp) -> str:
    rows: dict[int, str] = {}
    for run in screen_runs(app):
        rows[run.y] = rows.get(run.y, "") + run.text
    return "\n".join(rows[y] for y in sorted(rows))


def last_row(app: PubtermApp) -> Widget:
    return help_screen(app).query(".help-text").last()


def first_row(app: PubtermApp) -> Widget:
    return help_screen(app).query(".help-key").first()


# One reader per size, each way down tried in turn from the top: every app start costs
# seconds of the suite, and the ways down are independent once `g` is back at the top.
# A key that moves a page or a line is pressed until the last row shows, at most the
# given number of times (each press waits for the app to go idle, so 200 of them cost
# seconds once the help's foot has long been in view).
WAYS_DOWN = [("G", 1), ("end", 1), ("pagedown", 20), ("j", 200)]


@SIZES
async def test_the_last_row_of_the_help_can_be_reached(
    settings: Settings, size: tuple[int, int]
) -> None:
    app = make_app(settings)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("question_mark")
        await pilot.pause()
        assert str(last_row(app).render()) == KEYS[-1].help
        for key, most in WAYS_DOWN:
            assert shown(app, first_row(app)) and not shown(app, last_row(app)), key
            for _ in range(most):
                await pilot.press(key)
                if shown(app, last_row(app)):
                    break
            await pilot.pause()
            assert shown(app, last_row(app)), key
            assert "closes this help" in screen_text(app)
            await pilot.press("g")
            await pilot.pause()
            assert shown(app, first_row(app)), key


async def test_the_help_closes_by_its_declared_keys(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=NARROW) as pilot:
        await loaded(pilot, REVIEW)
        for key in ["escape", "q", "question_mark"]:
            await pilot.press("question_mark")
            await pilot.pause()
            active = help_screen(app).active_bindings[key]
            assert active.node is app.screen  # the help's own binding, not the app's quit
            assert active.binding.id == "close-help"
            assert active.binding.action == spec("close-help").action
            await pilot.press(key)
            await pilot.pause()
            assert on_reader(app) and app.is_running, key
