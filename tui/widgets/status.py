"""One line above the panes that says what the reader is waiting for or what went wrong.

A fetch can be slow (NCBI rate limits) or fail, and a cached copy can be out of date; the
reader should always know which, without a modal dialog in the way.  Hidden when there is
nothing to say.
"""

from __future__ import annotations

from typing import Literal

from textual.content import Content
from textual.widgets import Static

from tui.keys import spec
from tui.widgets.badges import clean

StatusKind = Literal["loading", "error", "notice", "clear"]


class _LoadingCall:
    """``banner.loading(text)`` that still reads as False where Textual checks ``loading``.

    Textual's Widget has a ``loading`` flag (it swaps in a spinner and blocks input); the
    banner's API uses the same name for a method, so the name has to serve both: callable
    for the app, falsy for Textual, which then treats the banner as never "loading".
    """

    __slots__ = ("_banner",)

    def __init__(self, banner: StatusBanner) -> None:
        self._banner = banner

    def __call__(self, text: str) -> None:
        self._banner.show_loading(text)

    def __bool__(self) -> bool:
        return False


class StatusBanner(Static):
    """Loading, error and notice line; messages may quote service text, so never markup."""

    DEFAULT_CSS = """
    StatusBanner {
        height: auto;
        display: none;
    }
    StatusBanner.-shown {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self.kind: StatusKind = "clear"
        self.message: str = ""

    def _show(self, kind: StatusKind, content: Content, message: str) -> None:
        self.kind = kind
        self.message = message
        wanted = {f"-{name}": name == kind for name in ("loading", "error", "notice")}
        wanted["-shown"] = kind != "clear"
        changed = [name for name, on in wanted.items() if self.has_class(name) != on]
        for name in changed:
            self.set_class(wanted[name], name, update=False)
        if changed:
            self.update_node_styles()  # once, not once per class
        self.update(content)

    @property  # type: ignore[override]
    def loading(self) -> _LoadingCall:
        """Call as ``loading(text)`` to say what is being fetched."""
        return _LoadingCall(self)

    @loading.setter
    def loading(self, value: bool) -> None:
        if value:
            raise ValueError("StatusBanner shows text: call loading(text)")

    def show_loading(self, text: str) -> None:
        """Say what is being fetched, e.g. "Fetching PMID 35856662…"."""
        message = clean(text)
        self._show("loading", Content(message), message)

    def error(self, text: str, *, hint: str | None = None) -> None:
        """Show a failure in the error colour, with the key that retries (or ``hint``:
        what would work instead, when a retry cannot)."""
        retry_key = spec("refresh").key_display
        message = f"{clean(text)} — {hint or f'press {retry_key} to retry'}"
        self._show("error", Content(message), message)

    def notice(self, text: str) -> None:
        """Show a warning that does not stop reading, e.g. a stale cached copy."""
        message = clean(text)
        self._show("notice", Content(message), message)

    def clear(self) -> None:
        """Hide the banner."""
        self._show("clear", Content(""), "")
