"""Every command the palette offers reaches an action that exists on its target."""

from __future__ import annotations

import pytest

from tests.test_app_support import REVIEW, WIDE, loaded, make_app
from tui.app import PubtermApp
from tui.data.settings import Settings
from tui.keys import KeySpec
from tui.screens.commands import palette_specs
from tui.screens.reader import ReaderScreen
from tui.screens.search import SearchScreen


def action_name(spec: KeySpec) -> str:
    return spec.action.split("(", 1)[0]


@pytest.mark.parametrize("spec", palette_specs(), ids=lambda s: s.id)
def test_palette_command_has_an_action(spec: KeySpec) -> None:
    targets = {"app": PubtermApp, "search": SearchScreen, "search-input": SearchScreen}
    target = targets.get(spec.scope, ReaderScreen)
    assert callable(getattr(target, f"action_{action_name(spec)}", None)), spec.id


async def test_palette_mark_marks_the_highlighted_reference(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("3")
        await app.run_action("toggle_mark", app.reader)
        await pilot.pause()
        assert app.reader.references.marked_references == [app.reader.references.references[0]]
        assert "1 marked" in str(app.reader.references.border_title)
