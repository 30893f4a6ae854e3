"""Prefetching a review's references from the reader, for reading them offline later.

A few hundred records take a minute or more under NCBI's rate limit, so the download
runs as a job with a progress bar, and ``P`` again (or escape) stops it; whatever
complete batches arrived stay cached.
"""

from __future__ import annotations

from typing import Any

from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from tui.cli_fulltext import prefetch_full_text
from tui.data.model import Record
from tui.data.prefetch import PrefetchResult, prefetch
from tui.screens.host import ReaderHost


class Prefetcher:
    """The ``prefetch`` action and its progress line."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host
        self.worker: Worker[Any] | None = None
        self.full_text_note = ""
        """What prefetching the review's own full text came to, for the closing notice."""

    @property
    def running(self) -> bool:
        """True while a prefetch runs."""
        worker = self.worker
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def toggle(self) -> None:
        """Start prefetching the record's references, or stop the prefetch running."""
        if self.running:
            self.cancel()
            return
        host = self.host
        record = host.record
        if record is None:
            host.notify("No record loaded yet", severity="warning")
            return
        pmids = list(dict.fromkeys(r.pmid for r in record.references if r.pmid))
        if not pmids:
            host.notify("No reference has a PMID to prefetch", severity="warning")
            return
        host.prefetch_progress.show(len(pmids))
        self.worker = host.start_job(self._prefetch(pmids, record), "prefetch")

    async def _prefetch(self, pmids: list[str], record: Record) -> PrefetchResult:
        progress = self.host.prefetch_progress
        result = await prefetch(self.host.service, pmids, on_progress=progress.advance)
        # The review's own text too, so the Full text pane reads offline.
        self.full_text_note = await prefetch_full_text(self.host.service, record)
        return result

    def cancel(self) -> None:
        """Stop the running prefetch; completed batches stay in the cache."""
        worker = self.worker
        if worker is None or not self.running:
            return
        worker.cancel()
        self.host.prefetch_progress.hide()
        self.host.notify("Prefetch cancelled: what was downloaded stays cached")

    def changed(self, worker: Worker[Any], state: WorkerState) -> bool:
        """Report the end of a prefetch (called for the screen's worker events); True
        when the report said what is wrong with the cache (not to be said again)."""
        if worker is not self.worker:
            return False
        host = self.host
        if state is WorkerState.SUCCESS and isinstance(worker.result, PrefetchResult):
            host.prefetch_progress.hide()
            # Records the cache could not keep will not read offline: not just news.
            severity: SeverityLevel = "warning" if worker.result.not_kept else "information"
            note = f"; {self.full_text_note}" if self.full_text_note else ""
            host.notify(
                f"Prefetched for offline reading: {worker.result}{note}",
                severity=severity,
                markup=False,
            )
            return bool(worker.result.not_kept)
        if state is WorkerState.ERROR:
            host.prefetch_progress.hide()
            host.notify(f"Prefetch failed: {worker.error}", severity="error", markup=False)
        return False
