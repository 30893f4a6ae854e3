"""Every key of the reader on one screen, straight from ``tui.keys.KEYS``.

Generated rather than written so the help can never disagree with what the keys do.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KEYS, KeySpec

# Scope -> heading, in the order the help shows them.
SCOPE_TITLES = {
    "reader": "Reading a record",
    "references": "In the references list",
    "scroll": "Moving in any pane",
    "search": "In the search results",
    "search-input": "In the search query",
    "app": "Everywhere",
}
# Keys that close this screen; they are the help and quit keys, read from KEYS.
CLOSE_KEYS = frozenset({"escape"})


def _keys_of(spec: KeySpec) -> list[str]:
    return [k.strip() for k in spec.keys.split(",")]


def key_cells(scope: str) -> list[Static]:
    """The grid cells of one scope: a key column and what the keys do."""
    cells: list[Static] = []
    for spec in KEYS:
        if spec.scope == scope:
            cells.append(Static(Content.styled(spec.key_display, "bold"), classes="help-key"))
            cells.append(Static(Content(spec.help), classes="help-text"))
    return cells


class HelpScreen(ModalScreen[None]):
    """The key reference; escape, q or ? close it again."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen .help-keys {
        layout: grid;
        grid-size: 2;
        grid-columns: 14 1fr;
        grid-gutter: 0 1;
        height: auto;
    }
    HelpScreen .help-keys > Static { height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static("pubterm keys", id="help-title")
            with VerticalScroll(id="help-body"):
                for scope, title in SCOPE_TITLES.items():
                    if any(s.scope == scope for s in KEYS):
                        yield Static(title, classes="help-heading")
                        with Grid(classes="help-keys"):
                            yield from key_cells(scope)
            yield Static(
                Content.assemble(("escape", "bold"), " or ", ("q", "bold"), " closes this help"),
                id="help-hint",
            )

    def on_key(self, event: events.Key) -> None:
        closing = set(CLOSE_KEYS)
        for spec in KEYS:
            if spec.action in ("help", "quit"):
                closing.update(_keys_of(spec))
        if event.key in closing:
            event.stop()
            event.prevent_default()
            self.dismiss(None)
