"""Prefetching a review's references from the reader, for reading them offline later.

A few hundred records take a minute or more under NCBI's rate limit, so the download
runs in a worker with a progress bar, and ``P`` again (or escape) stops it; whatever
complete batches arrived stay cached.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from tui.data.prefetch import PrefetchResult, prefetch
from tui.screens.reader_base import ReaderBase


class PrefetchActions(ReaderBase):
    """The ``prefetch`` action and its progress line."""

    _prefetch_worker: Worker[PrefetchResult] | None = None

    @property
    def prefetching(self) -> bool:
        """True while a prefetch runs."""
        worker = self._prefetch_worker
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def action_prefetch(self) -> None:
        if self.prefetching:
            self.cancel_prefetch()
            return
        record = self.record
        if record is None:
            self.notify("No record loaded yet", severity="warning")
            return
        pmids = list(dict.fromkeys(r.pmid for r in record.references if r.pmid))
        if not pmids:
            self.notify("No reference has a PMID to prefetch", severity="warning")
            return
        self.prefetch_progress.show(len(pmids))
        self._prefetch_worker = self.run_worker(
            self._prefetch(pmids), group="prefetch", exclusive=True, exit_on_error=False
        )

    async def _prefetch(self, pmids: list[str]) -> PrefetchResult:
        return await prefetch(self.service, pmids, on_progress=self.prefetch_progress.advance)

    def cancel_prefetch(self) -> None:
        """Stop the running prefetch; completed batches stay in the cache."""
        worker = self._prefetch_worker
        if worker is None or not self.prefetching:
            return
        worker.cancel()
        self.prefetch_progress.hide()
        self.notify("Prefetch cancelled: what was downloaded stays cached")

    def prefetch_changed(self, worker: Worker[object], state: WorkerState) -> None:
        """Report the end of a prefetch (called for the screen's worker events)."""
        if worker is not self._prefetch_worker:
            return
        if state is WorkerState.SUCCESS and isinstance(worker.result, PrefetchResult):
            self.prefetch_progress.hide()
            self.notify(f"Prefetched for offline reading: {worker.result}", markup=False)
        elif state is WorkerState.ERROR:
            self.prefetch_progress.hide()
            self.notify(f"Prefetch failed: {worker.error}", severity="error", markup=False)
