"""Restyling only what the layout classes select leaves every node styled as a restyle
of the whole screen would (tui/screens/restyle.py).

The reader is walked through its panes at a wide and a narrow size; after each key the
style rules of every node are read, then the whole screen is restyled and read again:
the two must agree, node by node.  A rule that reads a layout class and styles a node
the targeted restyle misses fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.css.styles import RulesMap
from textual.pilot import Pilot

from tests.server import FixtureServer
from tests.test_app_support import make_app, settle, wait_for
from tui.data.settings import Settings
from tui.screens.panes import PANE_TABLE
from tui.screens.restyle import reading_rules

REVIEW = "PMC12599256-portland-bst-review.xml"
LAYOUT = frozenset({"-narrow", "-fulltext-open", "-show-right"})
INHERITED = {"color", "text_style", "link_color", "link_style", "auto_color"}
KEYS = [p.key for p in PANE_TABLE]


def rules_of(app: Any) -> dict[int, tuple[str, RulesMap]]:
    return {
        id(node): (repr(node), node.styles.get_rules())
        for node in app.screen.walk_children(with_self=True)
    }


async def walk_panes(pilot: Pilot[Any]) -> list[str]:
    """Press every pane key (and back to the first); the nodes whose rules a whole
    restyle would change, before the first key and after each."""
    app = pilot.app
    wrong: list[str] = []
    for key in ["", *KEYS, KEYS[0], KEYS[-1], KEYS[2]]:
        if key:
            await pilot.press(key)
        await pilot.pause()
        targeted = rules_of(app)
        app.screen.update_node_styles()
        whole = rules_of(app)
        wrong += [
            f"{key}: {name}"
            for node, (name, rules) in whole.items()
            if targeted.get(node, ("", {}))[1] != rules
        ]
    return wrong


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_pane_keys_style_every_node_as_a_whole_restyle_would(
    size: tuple[int, int], settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.reader.record is not None)
        assert await walk_panes(pilot) == []
        other = (80, 24) if size[0] > 80 else (160, 48)
        await pilot.resize_terminal(*other)  # wide to narrow, or back: -narrow changes
        await pilot.pause()
        assert await walk_panes(pilot) == []


def test_the_layout_rules_are_found_with_the_nodes_they_style(
    settings: Settings,
) -> None:
    found = reading_rules(_parsed(make_app(settings, None)), LAYOUT)
    targets = {target for _, target in found}
    assert {"#fulltext", "#abstract", "#keywords", "#left", "#right", "#tabs"} <= targets
    assert all(".-narrow" not in t and ".-show-right" not in t for t in targets), targets


def test_rules_reading_layout_classes_set_nothing_a_descendant_inherits(
    settings: Settings,
) -> None:
    """Only the selected nodes are restyled, so such a rule may not set a property
    their children would inherit (a colour, a text style)."""
    app = make_app(settings, None)
    classes = (
        LAYOUT | {f"-show-{p.id}" for p in PANE_TABLE} | {f"-right-{p.id}" for p in PANE_TABLE}
    )
    found = reading_rules(_parsed(app), frozenset(classes))
    assert found, "no rule reads the layout classes"
    for rule, target in found:
        assert not set(rule.styles.get_rules()) & INHERITED, (target, rule.styles.css)


def _parsed(app: Any) -> list[Any]:
    """The app's stylesheet rules, its CSS files read (as on mount)."""
    stylesheet = app.stylesheet.copy()
    for path in app.css_path:
        stylesheet.read(path)
    stylesheet.parse()
    return list(stylesheet.rules)
