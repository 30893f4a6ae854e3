"""The progress line of a long job: "Prefetching 200/508" with a bar, under the banner.

Downloading a review's references for offline reading takes minutes under NCBI's rate
limit, and exporting one resolves hundreds of references first, so the reader sees how
far it got and how to stop it, and keeps reading meanwhile.  One widget per kind of job
(the prefetch's, the export's), each with its own words.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from tui.keys import spec


class PrefetchProgress(Horizontal):
    """Hidden unless its job runs; ``show``, ``advance`` and ``hide`` drive it."""

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
        color: $pubterm-muted;
    }
    """

    def __init__(
        self, *, verb: str = "Prefetching", hint: str | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.verb = verb
        """The label's first word: "Prefetching 200/508"."""
        self.hint = hint or f"{spec('prefetch').key_display} or escape cancels"
        """How to stop the job, shown after the bar."""

    def compose(self) -> ComposeResult:
        yield Label("", id="prefetch-label", markup=False)
        yield ProgressBar(id="prefetch-bar", show_eta=False)
        yield Label(self.hint, id="prefetch-hint", markup=False)

    @property
    def text(self) -> str:
        """What the label says, e.g. "Prefetching 200/508"."""
        return str(self.query_one("#prefetch-label", Label).render())

    def show(self, total: int) -> None:
        """A job of ``total`` items (PMIDs, references) starts."""
        self.set_class(True, "-shown")
        self.advance(0, total)

    def advance(self, done: int, total: int) -> None:
        """``done`` of ``total`` items are dealt with."""
        self.say(f"{self.verb} {done}/{total}")
        self.query_one("#prefetch-bar", ProgressBar).update(total=max(total, 1), progress=done)

    def say(self, text: str) -> None:
        """Put ``text`` in the label, for a step that is not counted ("Writing the file")."""
        self.query_one("#prefetch-label", Label).update(text)

    def hide(self) -> None:
        self.set_class(False, "-shown")

    @property
    def shown(self) -> bool:
        """True while the line is on screen."""
        return self.has_class("-shown")
