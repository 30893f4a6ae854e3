"""The print path's records, fetched on a thread while the printer imports what it needs.

``pubterm --format json PMID`` on a cold cache waits a round trip for NCBI; the parser
(lxml and the record readers) and the chosen format's module are not needed until the
answer is back.  The fetch therefore starts first, on a daemon thread with its own event
loop, and :meth:`Ahead.start` returns once its request is out (or, when the cache may
hold the records, once the cache has been read and any client built), so that the
caller's imports overlap the wait instead of preceding the request.  A warm cache needs
no client: the thread only reads.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tui.data.ids import ArticleId
from tui.data.records import Outcome
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice
    from tui.data.service import PubMed


class Ahead:
    """Records being fetched on a thread; :meth:`result` waits for them."""

    def __init__(self) -> None:
        self._future: concurrent.futures.Future[tuple[list[Outcome], str | None]]
        self._future = concurrent.futures.Future()
        self._underway = threading.Event()

    @classmethod
    def start(
        cls,
        settings: Settings,
        ids: Sequence[ArticleId],
        on_retry: Callable[[RetryNotice], None],
        *,
        wait: float = 1.0,
    ) -> Ahead:
        """Fetch ``ids`` on a daemon thread; return once the request is out (see above).

        Waiting matters because only one thread runs Python at a time: the caller's
        imports would otherwise compete with the thread's set-up and delay the request.
        At most ``wait`` seconds, so that a request that cannot go out (no network, a
        retry's back-off) does not hold the caller back.
        """
        ahead = cls()
        threading.Thread(
            target=ahead._run,
            args=(settings, list(ids), on_retry),
            name="pubterm-print-fetch",
            daemon=True,  # Ctrl-C ends the process, not a fetch still retrying
        ).start()
        ahead._underway.wait(wait)
        return ahead

    def _run(
        self,
        settings: Settings,
        ids: list[ArticleId],
        on_retry: Callable[[RetryNotice], None],
    ) -> None:
        try:
            self._future.set_result(asyncio.run(self._fetch(settings, ids, on_retry)))
        except BaseException as exc:  # raised again on the caller's thread
            self._future.set_exception(exc)
        finally:
            self._underway.set()

    async def _fetch(
        self,
        settings: Settings,
        ids: list[ArticleId],
        on_retry: Callable[[RetryNotice], None],
    ) -> tuple[list[Outcome], str | None]:
        service, certain = await _service(settings, on_retry, self._underway.set)
        async with service:
            if not certain:
                if ids:
                    service.prepare(ids[0])  # the cache read, and the client if needed
                self._underway.set()
            outcomes = await service.fetch_many(ids)
            return outcomes, service.cache_warning

    def result(self) -> tuple[list[Outcome], str | None]:
        """The outcomes in the order asked for, and the cache's warning if it has one."""
        return self._future.result()


async def _service(
    settings: Settings, on_retry: Callable[[RetryNotice], None], sent: Callable[[], None]
) -> tuple[PubMed, bool]:
    """The service, and whether a request is certain (then ``sent`` says when it is out).

    A cache folder without a database holds no record, so the request is certain.  (The
    database is not created ahead on another thread: diskcache keeps one SQLite
    connection per thread, and one made on a passing thread is never closed.)
    """
    from tui.data.cache_files import DB_FILES
    from tui.data.service import PubMed

    folder = settings.resolved_cache_dir
    if settings.offline or (folder / DB_FILES[0]).exists():
        return PubMed(settings, on_retry=on_retry), False
    from tui.data.eutils import EutilsClient
    from tui.data.sent_signal import SentSignal
    from tui.data.transport import LazyTlsTransport

    transport = SentSignal(LazyTlsTransport(), sent)
    client = EutilsClient(settings, transport=transport, on_retry=on_retry)
    return PubMed(settings, on_retry=on_retry, client=client), True
