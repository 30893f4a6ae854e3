"""Every key of the reader on one screen, straight from ``tui.keys.KEYS``.

Generated rather than written so the help can never disagree with what the keys do.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KEYS, KeySpec

# Scope -> heading, in the order the help shows them.
SCOPE_TITLES = {
    "reader": "Reading a record",
    "references": "In the references list",
    "scroll": "Moving in any pane",
    "app": "Everywhere",
}
# Keys that close this screen; they are the help and quit keys, read from KEYS.
CLOSE_KEYS = frozenset({"escape"})


def _keys_of(spec: KeySpec) -> list[str]:
    return [k.strip() for k in spec.keys.split(",")]


def help_lines(scope: str) -> Content:
    """The rows of one scope: the keys in a fixed-width column, then what they do."""
    specs = [s for s in KEYS if s.scope == scope]
    width = max((len(s.key_display) for s in specs), default=0) + 2
    rows = [
        Content.assemble((s.key_display.ljust(width), "bold"), s.help)
        for s in specs
    ]
    return Content("\n").join(rows)


class HelpScreen(ModalScreen[None]):
    """The key reference; escape, q or ? close it again."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static("pubterm keys", id="help-title")
            with VerticalScroll(id="help-body"):
                for scope, title in SCOPE_TITLES.items():
                    if any(s.scope == scope for s in KEYS):
                        yield Static(title, classes="help-heading")
                        yield Static(help_lines(scope), classes="help-keys")
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
