"""Where every background job of the reader ends: its result to its owner, a failure
to the status banner as a sentence.

Textual reports the end of any worker the screen started with one message
(``Worker.StateChanged``); routing it here keeps that one handler, which every job goes
through (``ReaderScreen.start_job``), apart from the screen's layout and keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.worker import Worker, WorkerState

from tui.clipboard import OpenOutcome
from tui.screens.copy_links import CopyLinks
from tui.screens.jobs import failure_sentence
from tui.screens.prefetching import Prefetcher
from tui.screens.walking import Walker


class JobEnds:
    """Hands each ended job to the helper that started it; says each failure."""

    def __init__(
        self,
        walker: Walker,
        prefetcher: Prefetcher,
        copier: CopyLinks,
        notice: Callable[[str], None],
    ) -> None:
        self.walker = walker
        self.prefetcher = prefetcher
        self.copier = copier
        self.notice = notice

    def ended(self, worker: Worker[Any], state: WorkerState) -> None:
        if state in (WorkerState.SUCCESS, WorkerState.ERROR) and worker.group != "prefetch":
            # The cache may first fail in a background job (the first record can come
            # from the early fetch, which has a cache of its own): say so when it does.
            self.walker.warn_about_cache()
        if worker.group == "fetch":
            self.walker.ended(worker, state)
            return
        if worker.group == "prefetch" and self.prefetcher.changed(worker, state):
            self.walker.cache_warned = True  # its report said what the cache could not keep
        if state is WorkerState.ERROR:
            self.notice(failure_sentence(worker.group, worker.error))
        elif state is WorkerState.SUCCESS and isinstance(worker.result, OpenOutcome):
            self.copier.opened(worker.result)
