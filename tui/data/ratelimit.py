"""Keeping pubterm under each service's request rate, across clients and event loops.

NCBI blocks clients that start more than 3 requests a second (10 with an API key), and it
counts requests, not connections: every client in the process that talks to the same
host must share one budget.  The limiter is a sliding window of recent start times behind
a ``threading.Lock``, so it binds to no event loop and works from any of them (tests and
the reader create several).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable

# Extra spacing added to the window: what the server measures is when a request arrives,
# and arrivals jitter by a few milliseconds (or more on a busy machine) after the start.
SAFETY_MARGIN = 0.1


class RateLimiter:
    """At most ``rate`` starts in any ``period`` (+ margin) seconds, shared by all callers."""

    def __init__(
        self,
        rate: int,
        period: float = 1.0,
        *,
        margin: float = SAFETY_MARGIN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate < 1:
            raise ValueError("rate must be at least 1")
        self.rate = rate
        self.window = period + margin
        self._clock = clock
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RateLimiter(rate={self.rate}, window={self.window:.2f}s)"

    def try_acquire(self) -> float:
        """Take a slot now and return 0, or return how long to wait before trying again."""
        with self._lock:
            now = self._clock()
            # One expression for both the test and the wait, so that rounding can never
            # report "wait 0" for a slot that was not taken.
            while self._starts and self._starts[0] + self.window <= now:
                self._starts.popleft()
            if len(self._starts) < self.rate:
                self._starts.append(now)
                return 0.0
            return max(self._starts[0] + self.window - now, 1e-6)

    async def acquire(self) -> None:
        """Wait until a request may start; the slot is taken when this returns."""
        while True:
            wait = self.try_acquire()
            if wait <= 0:
                return
            await asyncio.sleep(wait)


_registry: dict[tuple[str, int], RateLimiter] = {}
_registry_lock = threading.Lock()


def limiter_for(key: str, rate: int) -> RateLimiter:
    """The process-wide limiter for ``key`` (a service and host) at ``rate`` per second."""
    with _registry_lock:
        limiter = _registry.get((key, rate))
        if limiter is None:
            limiter = _registry[(key, rate)] = RateLimiter(rate)
        return limiter
