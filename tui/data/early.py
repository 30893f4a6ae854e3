"""The reader's first record, fetched on a thread while Python imports the reader.

Starting the reader costs a few hundred milliseconds of imports and set-up in which the
first record's round trip to NCBI (or its cache read and parse) can already happen.  This
module is only the thread and the hand-over: what to fetch is a job given by the service
(``tui.data.first.start_first_fetch``), and the object is handed to the reader's
service explicitly, so nothing here knows the service and no registry is shared.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING

from tui.data.ids import ArticleId
from tui.data.model import Record

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice

OnRetry = Callable[["RetryNotice"], None]
# The job: given where to send retry notices and a call that says "the request is on its
# way", fetch the record.
FirstJob = Callable[[OnRetry, Callable[[], None]], Coroutine[object, object, Record]]


class EarlyFetch:
    """One record fetched on a daemon thread, for a service on another loop to adopt.

    Retry notices raised while the thread works are kept until the adopter listens, then
    passed to it on its own event loop; the outcome (record or error) is the adopter's.
    """

    def __init__(self, aid: ArticleId) -> None:
        self.aid = aid
        self._future: concurrent.futures.Future[Record] = concurrent.futures.Future()
        self._notices: list[RetryNotice] = []
        self._listener: tuple[asyncio.AbstractEventLoop, OnRetry] | None = None
        self._lock = threading.Lock()
        self._underway = threading.Event()

    @classmethod
    def start(cls, aid: ArticleId, job: FirstJob, *, wait: float = 1.0) -> EarlyFetch:
        """Run ``job`` on a daemon thread; return once it says the request is underway.

        At most ``wait`` seconds: only one thread runs Python at a time, so the reader's
        imports would otherwise hold the request back until they are done.
        """
        early = cls(aid)
        threading.Thread(
            target=early._run, args=(job,), name="pubterm-first-fetch", daemon=True
        ).start()
        early._underway.wait(wait)
        return early

    def _run(self, job: FirstJob) -> None:
        if not self._future.set_running_or_notify_cancel():
            self._underway.set()
            return
        try:
            self._future.set_result(asyncio.run(job(self._retry, self._underway.set)))
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

    async def result(self, on_retry: OnRetry) -> Record:
        """The fetched record (or its error raised), notices passed on meanwhile."""
        with self._lock:
            self._listener = (asyncio.get_running_loop(), on_retry)
            waiting, self._notices = self._notices, []
        if waiting and not self._future.done():
            on_retry(waiting[-1])
        return await asyncio.wrap_future(self._future)
