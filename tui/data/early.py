"""The reader's first record, fetched on a thread while Python imports the reader.

Starting the reader costs a few hundred milliseconds of imports and set-up in which the
first record's round trip to NCBI (or its cache read and parse) can already happen.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice


class EarlyFetch:
    """The reader's first record, fetched on a thread while Python imports the reader.

    Textual and the reader take a few hundred milliseconds to import and start; the round
    trip to NCBI (or the cache read and parse) need not wait for them.  The command line
    starts one before importing the reader; the first ``PubMed.fetch`` of the same ID with
    the same settings adopts the outcome instead of fetching again, and retry notices
    reach that service's ``on_retry`` on its own event loop.
    """

    _pending: ClassVar[dict[ArticleId, EarlyFetch]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, settings: Settings, aid: ArticleId) -> None:
        self.settings = settings
        self.aid = aid
        self._future: concurrent.futures.Future[Record] = concurrent.futures.Future()
        self._notices: list[RetryNotice] = []
        self._listener: tuple[asyncio.AbstractEventLoop, Callable[[RetryNotice], None]] | None
        self._listener = None
        self._underway = threading.Event()

    @classmethod
    def start(cls, settings: Settings, aid: ArticleId, *, wait: float = 1.0) -> EarlyFetch:
        """Begin fetching ``aid`` on a daemon thread and leave it for the reader to adopt.

        Returns once the request is on its way (or the cache has the record), at most
        ``wait`` seconds: only one thread runs Python at a time, so the reader's imports
        would otherwise hold the request back until they are done.
        """
        early = cls(settings, aid)
        with cls._lock:
            cls._pending[aid] = early
        threading.Thread(target=early._run, name="pubterm-first-fetch", daemon=True).start()
        early._underway.wait(wait)
        return early

    @classmethod
    def take(cls, aid: ArticleId, settings: Settings) -> EarlyFetch | None:
        """The pending early fetch of ``aid`` under the same settings, removed; or None."""
        with cls._lock:
            early = cls._pending.get(aid)
            if early is None or early.settings != settings:
                return None
            del cls._pending[aid]
            return early

    def _run(self) -> None:
        if not self._future.set_running_or_notify_cancel():
            self._underway.set()
            return

        async def fetch() -> None:
            from tui.data.service import PubMed

            async with PubMed(self.settings, on_retry=self._retry) as service:
                aid = self.aid
                cache = service.cache
                pmid = (
                    aid.value
                    if aid.kind is IdKind.PMID
                    else cache.get_alias(aid.kind.value, aid.key)
                )
                cached = pmid is not None and cache.get_record(pmid) is not None
                if not cached and not self.settings.offline:
                    # Built now, while the reader's imports are not yet competing for the GIL.
                    service.client  # noqa: B018
                self._underway.set()
                # Settled before the client and cache close: the reader waits for this.
                self._future.set_result(await service._fetch_one(aid))

        try:
            asyncio.run(fetch())
        except BaseException as exc:  # handed to the adopter, which raises it
            if not self._future.done():
                self._future.set_exception(exc)
        finally:
            self._underway.set()

    def _retry(self, notice: RetryNotice) -> None:
        with self._lock:
            listener = self._listener
            if listener is None:
                self._notices.append(notice)
                return
        loop, callback = listener
        with contextlib.suppress(RuntimeError):  # the reader has already closed
            loop.call_soon_threadsafe(callback, notice)

    async def result(self, on_retry: Callable[[RetryNotice], None]) -> Record:
        """The fetched record (or its error raised), notices passed on meanwhile."""
        with self._lock:
            self._listener = (asyncio.get_running_loop(), on_retry)
            waiting, self._notices = self._notices, []
        if waiting and not self._future.done():
            on_retry(waiting[-1])
        return await asyncio.wrap_future(self._future)
