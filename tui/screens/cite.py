"""The small chooser behind ``c`` and ``e``: a format, then (for citations) a style.

A modal that only answers a question, so the reader decides what to do with the answer.
Everything works from the keyboard: arrows or j/k and enter on the format list; on the
style list, typing filters the ten thousand CSL styles by name while the arrows move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.export import FAVOURITE_STYLES, FORMAT_LABELS, FORMAT_ORDER
from tui.keys import bindings

_FILTER_MOVES = frozenset({"cursor-down", "cursor-up", "page-down", "page-up"})
SHOWN_MATCHES = 100  # more would only slow typing down; narrowing is the way on
FORMAT_HINT = "↑↓ or j k move · enter chooses · escape cancels"
STYLE_HINT = "type to filter · ↑↓ move · enter chooses · escape cancels"


@dataclass(frozen=True, slots=True)
class CiteChoice:
    """The answer: a format name of ``tui.data.formats``, and the style for "cite"."""

    format: str
    style: str | None = None


class ChoiceList(OptionList):
    """An OptionList that also moves with the reader's movement keys (j, k, g, G)."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll")]

    def action_go_top(self) -> None:
        self.action_first()

    def action_go_bottom(self) -> None:
        self.action_last()


def matching_styles(
    names: list[str], text: str, limit: int = SHOWN_MATCHES
) -> tuple[list[str], int]:
    """Up to ``limit`` style names containing ``text``: exact, then prefix, then the rest.

    Returns the names and how many matched in all.
    """
    needle = text.strip().casefold()
    exact: list[str] = []
    prefix: list[str] = []
    inside: list[str] = []
    for name in names:
        folded = name.casefold()
        if folded == needle:
            exact.append(name)
        elif folded.startswith(needle):
            prefix.append(name)
        elif needle in folded:
            inside.append(name)
    found = exact + prefix + inside
    return found[:limit], len(found)


def _style_option(name: str) -> Option:
    label = FAVOURITE_STYLES.get(name)
    # The name in italic, not a muted colour: on the highlighted row a muted colour falls
    # below 2:1 against the cursor in the default theme.
    text = (
        Content(f"{label}  ").stylize("bold") + Content(name).stylize("italic")
        if label
        else (Content(name))
    )
    return Option(text, id=name)


class CiteChooser(ModalScreen[CiteChoice | None]):
    """Ask for a format, then a style when the format is a formatted citation."""

    # The movement keys reach the screen only from the style filter (the lists take
    # their own; the filter takes printable ones as text): there they move the styles.
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("chooser"),
        *(b for b in bindings("scroll") if b.id in _FILTER_MOVES),
    ]

    DEFAULT_CSS = """
    CiteChooser { align: center middle; }
    CiteChooser > #cite-dialog {
        width: 64; max-width: 95%; height: auto; max-height: 95%;
        padding: 0 1; border: round $primary; background: $surface;
    }
    CiteChooser #cite-title { text-style: bold; margin-bottom: 1; }
    CiteChooser ChoiceList, CiteChooser ChoiceList:focus {
        height: auto; max-height: 12; border: none; padding: 0;
    }
    CiteChooser #cite-formats { max-height: 7; }
    CiteChooser .-style-step #cite-formats { display: none; }
    CiteChooser #cite-filter, CiteChooser #cite-styles { display: none; }
    CiteChooser .-style-step #cite-filter, CiteChooser .-style-step #cite-styles {
        display: block;
    }
    /* The filter has the keyboard, but the arrows move this list: show its cursor as live. */
    CiteChooser #cite-styles > .option-list--option-highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    CiteChooser #cite-hint { color: $pubterm-muted; margin-top: 1; }
    """

    def __init__(
        self,
        title: str,
        *,
        fmt: str | None = None,
        style: str | None = None,
        styles: Callable[[], list[str]] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.initial_format = fmt if fmt in FORMAT_LABELS else FORMAT_ORDER[0]
        self.initial_style = style or "apa"
        self._styles_source = styles
        self._all_styles: list[str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="cite-dialog"):
            yield Static(Content(self.title_text), id="cite-title")
            yield ChoiceList(
                *(Option(FORMAT_LABELS[f], id=f) for f in FORMAT_ORDER), id="cite-formats"
            )
            yield Input(placeholder="Type a style name: harvard, ieee, cell…", id="cite-filter")
            yield ChoiceList(id="cite-styles")
            yield Label(FORMAT_HINT, id="cite-hint", markup=False)

    def on_mount(self) -> None:
        formats = self.query_one("#cite-formats", ChoiceList)
        formats.highlighted = FORMAT_ORDER.index(self.initial_format)
        formats.focus()

    @property
    def in_style_step(self) -> bool:
        """True once the format "Formatted citation" was chosen."""
        return self.query_one("#cite-dialog").has_class("-style-step")

    def all_styles(self) -> list[str]:
        """Every style name, read from disk only when the style step opens."""
        if self._all_styles is None:
            if self._styles_source is None:
                from tui.data.formats.styles import available_styles

                self._styles_source = available_styles
            self._all_styles = self._styles_source()
        return self._all_styles

    @on(OptionList.OptionSelected, "#cite-formats")
    def _format_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        fmt = event.option_id or ""
        if fmt != "cite":
            self.dismiss(CiteChoice(fmt))
            return
        self.query_one("#cite-dialog").add_class("-style-step")
        self.query_one("#cite-hint", Label).update(STYLE_HINT)
        self._show_styles("")
        self.query_one("#cite-filter", Input).focus()

    def _show_styles(self, text: str) -> None:
        styles = self.query_one("#cite-styles", ChoiceList)
        if text.strip():
            names, total = matching_styles(self.all_styles(), text)
            options = [_style_option(n) for n in names]
            if not options:
                options = [Option(Content("No style matches"), disabled=True)]
            elif total > len(names):
                more = f"… {total - len(names):,} more: keep typing"
                options.append(Option(Content(more).stylize("$pubterm-muted"), disabled=True))
            styles.set_options(options)
            styles.highlighted = 0 if names else None
            return
        names = list(FAVOURITE_STYLES)
        if self.initial_style not in names:
            names.insert(0, self.initial_style)
        count = f"Type to search all {len(self.all_styles()):,} styles"
        styles.set_options(
            [_style_option(n) for n in names]
            + [Option(Content(count).stylize("$pubterm-muted"), disabled=True)]
        )
        styles.highlighted = names.index(self.initial_style)

    @on(Input.Changed, "#cite-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_styles(event.value)

    @on(Input.Submitted, "#cite-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        styles = self.query_one("#cite-styles", ChoiceList)
        if styles.highlighted is not None:
            option = styles.get_option_at_index(styles.highlighted)
            if option.id is not None and not option.disabled:
                self.dismiss(CiteChoice("cite", option.id))

    @on(OptionList.OptionSelected, "#cite-styles")
    def _style_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.dismiss(CiteChoice("cite", event.option_id))

    def action_close_chooser(self) -> None:
        """Escape, and q outside the style filter, close the chooser only (q typed in
        the filter is text)."""
        self.dismiss(None)

    def _move_styles(self, move: str) -> None:
        """The movement keys, pressed in the style filter, move the style list."""
        if self.in_style_step:
            getattr(self.query_one("#cite-styles", ChoiceList), f"action_{move}")()

    def action_cursor_down(self) -> None:
        self._move_styles("cursor_down")

    def action_cursor_up(self) -> None:
        self._move_styles("cursor_up")

    def action_page_down(self) -> None:
        self._move_styles("page_down")

    def action_page_up(self) -> None:
        self._move_styles("page_up")
