"""The reader's keys that go straight to a helper, and the widgets the helpers reach.

Textual finds an action as an ``action_*`` attribute of the screen, so every action the
key table (``tui.keys``) and the palette name must exist there.  Most of them only pass
the key on to the helper that owns the behaviour (copying, citing, prefetching, the
small moves); ``handed_to`` makes each of those one declared line, so the screen's
module stays about the screen itself: its state, its layout, its jobs.  ``Part`` does
the same for the widgets the helpers ask the screen for (``tui.screens.host``): found
by id when asked for, never cached, so a recomposed pane is found again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from textual.dom import DOMNode
from textual.widget import Widget

W = TypeVar("W", bound=Widget)


def handed_to(helper: str, method: str, doc: str) -> Callable[..., None]:
    """A method (an action, mostly) to declare in the screen's class body, calling
    ``screen.helper.method(*parameters)`` with the call's parameters, if any."""

    def action(screen: Any, *parameters: Any) -> None:
        getattr(getattr(screen, helper), method)(*parameters)

    action.__doc__ = doc
    action.__name__ = method
    action.__qualname__ = f"{helper}.{method}"  # what it calls, for tracebacks and tests
    return action


class Part(Generic[W]):
    """A widget of the screen's, looked up by its selector each time it is read."""

    def __init__(self, selector: str, kind: type[W]) -> None:
        self.selector = selector
        self.kind = kind

    @overload
    def __get__(self, node: None, owner: type[Any]) -> Part[W]: ...

    @overload
    def __get__(self, node: DOMNode, owner: type[Any]) -> W: ...

    def __get__(self, node: DOMNode | None, owner: type[Any]) -> Part[W] | W:
        if node is None:
            return self
        return node.query_one(self.selector, self.kind)
