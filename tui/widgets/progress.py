"""The prefetch progress line: "Prefetching 200/508" with a bar, under the status banner.

Downloading a review's references for offline reading takes minutes under NCBI's rate
limit, so the reader sees how far it got and how to stop it, and keeps reading meanwhile.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from tui.keys import spec


class PrefetchProgress(Horizontal):
    """Hidden unless a prefetch runs; ``show``, ``advance`` and ``hide`` drive it."""

    DEFAULT_CSS = """
    PrefetchProgress {
        display: none;
        height: 1;
        padding: 0 1;
    }
    PrefetchProgress.-shown {
        display: block;
    }
    PrefetchProgress > #prefetch-label {
        width: auto;
        margin-right: 2;
    }
    PrefetchProgress > #prefetch-hint {
        width: auto;
        margin-left: 2;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="prefetch-label", markup=False)
        yield ProgressBar(id="prefetch-bar", show_eta=False)
        cancel = spec("prefetch").key_display
        yield Label(f"{cancel} or escape cancels", id="prefetch-hint", markup=False)

    @property
    def text(self) -> str:
        """What the label says, e.g. "Prefetching 200/508"."""
        return str(self.query_one("#prefetch-label", Label).render())

    def show(self, total: int) -> None:
        """A prefetch of ``total`` PMIDs starts."""
        self.set_class(True, "-shown")
        self.advance(0, total)

    def advance(self, done: int, total: int) -> None:
        """``done`` of ``total`` PMIDs are dealt with."""
        self.query_one("#prefetch-label", Label).update(f"Prefetching {done}/{total}")
        self.query_one("#prefetch-bar", ProgressBar).update(total=max(total, 1), progress=done)

    def hide(self) -> None:
        self.set_class(False, "-shown")
