"""The floor: the smallest Textual app, timed exactly as pubterm is.

One Static, and an exit right after its first paint that prints the same mark as
pubterm's ``PUBTERM_EXIT_AFTER_PAINT`` hook.  Nothing a real app could skip is done here,
so no Textual app on this machine can put words on screen faster.
"""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.widgets import Static

PAINTED_MARK = "pubterm-painted-at"  # the same mark as tui.app's hook


class FloorApp(App[int]):
    """Paints one line of text, then leaves."""

    def compose(self) -> ComposeResult:
        yield Static("The floor: one line of text.")

    def on_mount(self) -> None:
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self.exit(0, message=f"{PAINTED_MARK} {time.monotonic():.6f}")


if __name__ == "__main__":
    FloorApp().run()
