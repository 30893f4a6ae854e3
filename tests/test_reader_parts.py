"""The reader's one-line key actions and widget lookups (``tui.screens.reader_parts``)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Label, Static

from tui.screens.reader import ReaderScreen
from tui.screens.reader_parts import Part, handed_to


class _Helper:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def act(self, *parameters: Any) -> None:
        self.calls.append(parameters)


class _Host:
    action_plain = handed_to("helper", "act", "Act on nothing.")

    def __init__(self) -> None:
        self.helper = _Helper()


def test_an_action_handed_to_a_helper_passes_its_parameters_on() -> None:
    host = _Host()
    host.action_plain()
    host.action_plain("references")
    assert host.helper.calls == [(), ("references",)]
    assert _Host.action_plain.__doc__ == "Act on nothing."


def test_every_handed_method_of_the_reader_names_a_helper_method_that_exists() -> None:
    """A typo in a helper's or a method's name would only show when the key is pressed."""
    handed = {
        name: value
        for name, value in vars(ReaderScreen).items()
        if callable(value) and value.__module__ == "tui.screens.reader_parts"
    }
    assert len(handed) >= 15
    kinds = {
        "copier": "CopyLinks",
        "citer": "Citer",
        "prefetcher": "Prefetcher",
        "moves": "ReaderMoves",
        "walker": "Walker",
        "pane_layout": "PaneLayout",
        "notices": "NoticeBanner",
        "record_header": "RecordHeader",
        "references": "ReferencesPane",
    }
    for name, method in handed.items():
        helper, called = method.__qualname__.split(".")
        owner = _class_named(kinds[helper])
        assert callable(getattr(owner, called, None)), f"{name}: {owner.__name__}.{called}"


def _class_named(name: str) -> type[Any]:
    import tui.screens.citing as citing
    import tui.screens.copy_links as copy_links
    import tui.screens.prefetching as prefetching
    import tui.screens.reader_layout as reader_layout
    import tui.screens.reader_moves as reader_moves
    import tui.screens.walking as walking
    import tui.widgets.header as header
    import tui.widgets.notice_banner as notice_banner
    import tui.widgets.references as references

    for module in (
        citing,
        copy_links,
        prefetching,
        reader_layout,
        reader_moves,
        walking,
        header,
        notice_banner,
        references,
    ):
        found = getattr(module, name, None)
        if isinstance(found, type):
            return found
    raise AssertionError(name)


class _Parts(App[None]):
    label = Part("#shown", Label)

    def compose(self) -> ComposeResult:
        yield Static("before")
        yield Label("the label", id="shown")


@pytest.mark.asyncio
async def test_a_part_is_looked_up_by_its_selector_each_time_it_is_read() -> None:
    app = _Parts()
    async with app.run_test() as pilot:
        first = app.label
        assert isinstance(first, Label) and first.id == "shown"
        await first.remove()
        await app.mount(Label("again", id="shown"))
        await pilot.pause()
        assert app.label is not first and app.label.id == "shown"
    assert isinstance(_Parts.__dict__["label"], Part)
