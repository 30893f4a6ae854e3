"""The reader's first fetch, started before the reader is imported.

The command line starts it, then imports Textual and the reader; the reader's service is
handed the running fetch and adopts it (see :class:`tui.data.early.EarlyFetch` for the
thread, :class:`tui.data.service.PubMed` for the adoption).  Kept apart from both so
that neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.data.early import EarlyFetch
from tui.data.ids import ArticleId
from tui.data.model import Record
from tui.data.service import PubMed
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice


def start_first_fetch(settings: Settings, aid: ArticleId) -> EarlyFetch:
    """Start fetching the reader's first record on a thread, before the reader imports.

    Hand the result to ``PubMed(..., early=...)`` (the reader's app does): its first
    ``fetch`` of the same ID adopts the outcome instead of asking NCBI again.
    """

    async def job(on_retry: Callable[[RetryNotice], None], underway: Callable[[], None]) -> Record:
        async with PubMed(settings, on_retry=on_retry) as service:
            service.prepare(aid)  # while the reader's imports do not yet compete
            underway()
            # Settled before the client and cache close: the reader waits for this.
            return await service.fetch(aid)

    return EarlyFetch.start(aid, job)
