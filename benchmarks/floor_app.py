"""The floor: the smallest Textual app, timed exactly as pubterm is.

One ``Static`` and nothing else.  It is started on a pseudo-terminal like pubterm and
counted as painted when its line has arrived and the output burst has ended, so no
Textual app on this machine can put words on screen faster.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

FLOOR_TEXT = "The floor: one line of text."


class FloorApp(App[int]):
    """Paints one line of text and waits to be closed."""

    def compose(self) -> ComposeResult:
        yield Static(FLOOR_TEXT)


if __name__ == "__main__":
    FloorApp().run()
