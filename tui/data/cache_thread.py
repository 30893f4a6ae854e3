"""One thread for the cache's disk work, so no cache call runs on the event loop.

The reader's event loop draws the screen and takes keys: a cache call that waits for
another process's lock (up to ``BUSY_SECONDS``) or for a slow disk must not freeze it,
and ``q`` must always quit.  Every cache call of :class:`tui.data.service.PubMed` goes
through :meth:`CacheThread.run`.  One thread, not a pool: SQLite serialises writes
anyway, and diskcache keeps one connection per thread, which this thread closes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class CacheThread:
    """Runs blocking cache calls one at a time on a thread of their own."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None

    async def run(self, call: Callable[[], T]) -> T:
        """``call()`` on the cache thread; the event loop runs on meanwhile."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pubterm-cache")
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    async def close(self, last: Callable[[], None]) -> None:
        """Run ``last`` (closing the thread's connection) on the thread, then end it."""
        pool, self._pool = self._pool, None
        if pool is None:
            last()
            return
        try:
            await asyncio.get_running_loop().run_in_executor(pool, last)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
