"""A one-line question: open another ID, or go to reference number N.

People paste whatever they have (a PMID, a DOI, a doi.org or PubMed link, a PMC ID) or
type a number; the answer is parsed here, and a refusal is shown right under the input
so it can be corrected in place.  Escape (``close-prompt`` in the key table) cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.data.errors import InvalidIdError
from tui.data.ids import ArticleId, parse_id
from tui.keys import bindings, spec

T = TypeVar("T")


class Refused(ValueError):
    """What was typed cannot be used; the message says why, in words."""


class PromptScreen(ModalScreen[T | None], Generic[T]):
    """Ask one question; dismiss with the parsed answer, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("prompt")]

    # The dialog's look is app.tcss's (#open-dialog, #open-error, #open-hint).
    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen #open-title { text-style: bold; }
    """

    def __init__(
        self,
        title: str,
        question: str,
        parse: Callable[[str], T],
        *,
        placeholder: str = "",
        does: str = "opens",
    ) -> None:
        super().__init__()
        self.does = does
        self.title_text = title
        self.question = question
        self.parse = parse
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        cancel = spec("close-prompt").key_display
        with Vertical(id="open-dialog"):
            yield Static(Content(self.title_text), id="open-title")
            yield Label(self.question, markup=False)
            yield Input(placeholder=self.placeholder, id="open-input")
            yield Label("", id="open-error", markup=False)
            hint = f"enter {self.does} · {cancel} goes back"
            yield Label(hint, id="open-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#open-input", Input).focus()

    @property
    def error_text(self) -> str:
        """Why the last answer was refused ("" when none was)."""
        return str(self.query_one("#open-error", Label).content)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#open-error", Label).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            answer = self.parse(event.value)
        except Refused as exc:
            self.query_one("#open-error", Label).update(str(exc))
            return
        self.dismiss(answer)

    def action_close_prompt(self) -> None:
        self.dismiss(None)


def parse_article_id(text: str) -> ArticleId:
    """What the user pasted, as an ID; a refusal says what it is not."""
    try:
        return parse_id(text)
    except InvalidIdError as exc:
        raise Refused(str(exc)) from exc


def id_prompt() -> PromptScreen[ArticleId]:
    """The paste-an-ID prompt of ``i``."""
    return PromptScreen(
        "Open a record",
        "Paste a PMID, DOI, PubMed or doi.org link, or PMC ID:",
        parse_article_id,
        placeholder="38534005",
    )


def number_parser(count: int) -> Callable[[str], int]:
    """Reads a reference number from 1 to ``count``; anything else is refused in words."""

    def parse(text: str) -> int:
        value = text.strip().lstrip(":").strip()
        if not value.isdigit() or not 1 <= int(value) <= count:
            raise Refused(f"Type a number from 1 to {count}")
        return int(value)

    return parse


def number_prompt(count: int) -> PromptScreen[int]:
    """The go-to-reference prompt of ``:``."""
    return PromptScreen(
        "Go to reference",
        f"Reference number (1–{count}):",
        number_parser(count),
        placeholder=str(min(count, 42)),
        does="goes there",
    )
