"""Every key of the reader on one screen, straight from ``tui.keys.KEYS``.

Generated rather than written so the help can never disagree with what the keys do.
The list scrolls with the same movement keys as the panes, so it is whole at 80×24 too;
its own keys (escape, q or ? close it) are declared in the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keymap import shown_keys
from tui.keys import KEYS, bindings

# Scope -> heading, in the order the help shows them.
SCOPE_TITLES = {
    "reader": "Reading a record",
    "references": "In the references list",
    "references-filter": "In the references filter",
    "scroll": "Moving in any pane",
    "fulltext": "In the full text",
    "fulltext-cited": "Beside the full text (the cited reference)",
    "outline": "In the outline of the full text",
    "contexts": "In the list of sentences citing a reference",
    "search": "In the search results",
    "search-input": "In the search query",
    "app": "Everywhere",
    "help": "In this help",
    "chooser": "In the format and style chooser",
    "prompt": "In a prompt (open an ID, go to a reference)",
}


def key_cells(scope: str, keymap: Mapping[str, str] | None = None) -> list[Static]:
    """The grid cells of one scope: a key column (the user's keys where remapped) and
    what the keys do."""
    cells: list[Static] = []
    for spec in KEYS:
        if spec.scope == scope:
            keys = shown_keys(spec, keymap or {})
            cells.append(Static(Content.styled(keys, "bold"), classes="help-key"))
            cells.append(Static(Content(spec.help), classes="help-text"))
    return cells


class HelpScreen(ModalScreen[None]):
    """The key reference; escape, q or ? close it again."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll"), *bindings("help")]

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
        # One scrolling box, as tall as the keys need and never taller than the screen;
        # its title and closing hint sit in the border, so they never scroll away.
        # Not focusable: every key reaches the screen's bindings, declared in tui.keys.
        with VerticalScroll(id="help-dialog", can_focus=False) as dialog:
            dialog.border_title = "pubterm keys"
            dialog.border_subtitle = Content.assemble(
                ("escape", "bold"), " or ", ("q", "bold"), " closes this help"
            )
            for scope, title in SCOPE_TITLES.items():
                if any(s.scope == scope for s in KEYS):
                    yield Static(title, classes="help-heading")
                    with Grid(classes="help-keys"):
                        yield from key_cells(scope, getattr(self.app, "keymap", None))

    @property
    def body(self) -> VerticalScroll:
        """The scrolling list of keys."""
        return self.query_one("#help-dialog", VerticalScroll)

    def action_close_help(self) -> None:
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        self.body.scroll_down(animate=False)

    def action_cursor_up(self) -> None:
        self.body.scroll_up(animate=False)

    def action_go_top(self) -> None:
        self.body.scroll_home(animate=False)

    def action_go_bottom(self) -> None:
        self.body.scroll_end(animate=False)

    def action_page_down(self) -> None:
        self.body.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.body.scroll_page_up(animate=False)
