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
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record
from tui.data.service import PubMed
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice
    from tui.data.plain_efetch import PlainEfetch


def start_first_fetch(
    settings: Settings, aid: ArticleId, *, sent: PlainEfetch | None = None
) -> EarlyFetch:
    """Start fetching the reader's first record on a thread, before the reader imports.

    Hand the result to ``PubMed(..., early=...)`` (the reader's app does): its first
    ``fetch`` of the same ID adopts the outcome instead of asking NCBI again.  ``sent``
    is the record's efetch already written (``tui.cli_early``): the thread reads its
    answer rather than asking again, and the reader's imports need not wait at all.
    """
    if sent is not None and not (aid.kind is IdKind.PMID and sent.serves(settings, [aid.value])):
        sent.close()
        sent = None

    async def job(on_retry: Callable[[RetryNotice], None], underway: Callable[[], None]) -> Record:
        async with PubMed(settings, on_retry=on_retry, sent=sent) as service:
            if sent is None:
                service.prepare(aid)  # while the reader's imports do not yet compete
            underway()
            # Settled before the client and cache close: the reader waits for this.
            return await service.fetch(aid)

    return EarlyFetch.start(aid, job)
