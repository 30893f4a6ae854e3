"""Restyle only the nodes that a class on the screen can change.

Textual restyles a node's whole subtree when its classes change; for the reader's
screen that is every widget it holds, the lists' many component styles included: tens
of milliseconds on every pane key, before a line is drawn.  The reader's layout
classes (which pane shows, how wide a column is) are read by a handful of rules, so
after changing them only the nodes those rules can select need their styles again.
The rules are found in the stylesheet itself, so a rule added to a ``.tcss`` file is
honoured without being listed here.  Those rules set box properties only (display,
size, padding: ``tests/test_restyle.py`` checks it), which no descendant inherits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.css.model import CombinatorType, SelectorType

if TYPE_CHECKING:
    from textual.css.model import RuleSet, Selector
    from textual.dom import DOMNode
    from textual.screen import Screen


def reading_rules(rules: Iterable[RuleSet], classes: frozenset[str]) -> list[tuple[RuleSet, str]]:
    """Each rule that reads one of ``classes``, with the CSS of the part its selector
    ends in (the node it styles), those classes left out."""
    found: list[tuple[RuleSet, str]] = []
    for rule in rules:
        for selector_set in rule.selector_set:
            selectors = selector_set.selectors
            if not any(_is_one_of(s, classes) for s in selectors):
                continue
            start = max(
                (i for i, s in enumerate(selectors) if s.combinator != CombinatorType.SAME),
                default=0,
            )
            target = "".join(s.css for s in selectors[start:] if not _is_one_of(s, classes))
            found.append((rule, target or "*"))
    return found


def _is_one_of(selector: Selector, classes: frozenset[str]) -> bool:
    return selector.type == SelectorType.CLASS and selector.name in classes


def restyle_for(screen: Screen[Any], classes: frozenset[str]) -> None:
    """Apply the styles again to the screen and to every node a rule reading
    ``classes`` may select (call it after changing those classes on the screen)."""
    nodes: dict[int, DOMNode] = {id(screen): screen}
    for _, target in reading_rules(screen.app.stylesheet.rules, classes):
        for node in screen.query(target):
            nodes.setdefault(id(node), node)
    screen.app.stylesheet.update_nodes(nodes.values(), animate=True)
