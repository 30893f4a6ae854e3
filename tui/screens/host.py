"""What the reader's composed helpers may ask of the screen that holds them.

Copying, citing, graph loading and prefetching each live in an object of their own; this
protocol is the whole of what they see of the screen, so each can be tested against a
small stand-in and none reaches into another's state.  They read the reader's state
(``state``) and change it only through ``update``; none of them reads a pane.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from tui.data.ids import ArticleId
from tui.data.model import Record
from tui.screens.reading_state import ReadingState

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel
    from textual.worker import Worker

    from tui.data.service import PubMed
    from tui.widgets.progress import PrefetchProgress

Job = Coroutine[Any, Any, Any] | Callable[[], Any]


class ReaderHost(Protocol):
    """The reader screen, as its helpers see it."""

    service: PubMed

    @property
    def state(self) -> ReadingState: ...

    def update(self, change: Callable[[ReadingState], ReadingState]) -> None:
        """Replace the reading state with ``change(state)`` (bound down to the panes)."""

    @property
    def record(self) -> Record | None: ...

    @property
    def app(self) -> App[Any]: ...

    @property
    def prefetch_progress(self) -> PrefetchProgress: ...

    @property
    def export_progress(self) -> PrefetchProgress: ...

    @property
    def right_pane(self) -> str: ...

    def focused_pane(self) -> str | None: ...

    def show_reference(self, index: int) -> None:
        """Put the References cursor on reference ``index``, when the list shows it."""

    def load(self, aid: ArticleId) -> None: ...

    def start_job(self, work: Job, group: str, *, thread: bool = False) -> Worker[Any]: ...

    def cancel_jobs(self, group: str) -> None: ...

    async def after_paint(self) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...
