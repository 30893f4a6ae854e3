"""The prompt shown when pubterm starts without an identifier.

People paste whatever they have: a PMID, a DOI, a doi.org or PubMed link, a PMC ID.  The
same parser as the command line decides, and a refusal is shown right under the input so
it can be corrected in place.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.data.errors import InvalidIdError
from tui.data.ids import ArticleId, parse_id


class OpenIdScreen(ModalScreen[ArticleId | None]):
    """Ask for an identifier; dismiss with the parsed ID, or None on escape."""

    DEFAULT_CSS = """
    OpenIdScreen { align: center middle; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog"):
            yield Static("Open a record", id="open-title")
            yield Label("Paste a PMID, DOI, PubMed or doi.org link, or PMC ID:", markup=False)
            yield Input(placeholder="40549304", id="open-input")
            yield Label("", id="open-error", markup=False)
            yield Label("enter opens · escape goes back", id="open-hint", markup=False)

    def on_mount(self) -> None:
        field = self.query_one("#open-input", Input)
        field.cursor_blink = bool(getattr(self.app, "CURSOR_BLINK", True))
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#open-error", Label).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            aid = parse_id(event.value)
        except InvalidIdError as exc:
            self.query_one("#open-error", Label).update(str(exc))
            return
        self.dismiss(aid)

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            self.dismiss(None)
