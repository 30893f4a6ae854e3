"""Prefetching search results for reading them offline: ``P`` on the search screen.

The same download as the reader's ``P`` on a review's references, for the marked
results (or every result loaded so far): batched efetch calls under NCBI's rate limit,
run as a cancellable job with the reader's progress line, ``P`` again (or escape)
stopping it with every complete batch kept in the cache.  One small object the screen
holds, as the reader holds its ``Prefetcher``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState

from tui.data.prefetch import PrefetchResult, prefetch
from tui.widgets.progress import PrefetchProgress

if TYPE_CHECKING:
    from tui.screens.search import SearchScreen


class ResultsPrefetch:
    """The search screen's ``prefetch`` action and its progress line."""

    def __init__(self, screen: SearchScreen) -> None:
        self.screen = screen
        self.worker: Worker[Any] | None = None

    @property
    def progress(self) -> PrefetchProgress:
        return self.screen.query_one(PrefetchProgress)

    @property
    def running(self) -> bool:
        """True while a prefetch runs."""
        worker = self.worker
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def toggle(self) -> None:
        """Start prefetching the marked (else the loaded) results, or stop the one running."""
        if self.running:
            self.cancel()
            return
        state = self.screen.state
        rows = state.marked_results() or list(state.results)
        if not rows:
            self.screen.notify("No results to prefetch", severity="warning")
            return
        pmids = list(dict.fromkeys(r.pmid for r in rows))
        self.progress.show(len(pmids))
        self.worker = self.screen.run_worker(
            self._prefetch(pmids),
            name="prefetch",
            group="prefetch",
            exclusive=True,
            exit_on_error=False,
        )

    async def _prefetch(self, pmids: list[str]) -> PrefetchResult:
        return await prefetch(self.screen.service, pmids, on_progress=self.progress.advance)

    def cancel(self) -> None:
        """Stop the running prefetch; completed batches stay in the cache."""
        worker = self.worker
        if worker is None or not self.running:
            return
        worker.cancel()
        self.progress.hide()
        self.screen.notify("Prefetch cancelled: what was downloaded stays cached")

    def changed(self, worker: Worker[Any], state: WorkerState) -> None:
        """Report the end of a prefetch (called for the screen's worker events)."""
        if worker is not self.worker:
            return
        screen = self.screen
        if state is WorkerState.SUCCESS and isinstance(worker.result, PrefetchResult):
            self.progress.hide()
            screen.notify(f"Prefetched for offline reading: {worker.result}", markup=False)
        elif state is WorkerState.ERROR:
            self.progress.hide()
            screen.notify(f"Prefetch failed: {worker.error}", severity="error", markup=False)
