"""Keeping pubterm under each service's request rate, across clients and event loops.

NCBI blocks clients that send more than 3 requests in any second (10 with an API key),
and it counts requests as they arrive, not connections: every client in the process that
talks to the same host shares one budget.  The window counts a request from the moment
its first bytes are written, not from the moment it was allowed to start: on a loaded
machine those are up to a quarter of a second apart (event-loop lag, connection set-up),
and counting the earlier moment let 11 to 16 requests leave within one second.  A slot
taken but not yet sent counts as sending now.  The limiter is a window of send times
behind a ``threading.Lock``, so it binds to no event loop and works from any of them.

No library does this: aiolimiter is a leaky bucket, which after a burst of 3 lets a
fourth request through a third of a second later (5 in one second at a rate of 3).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

# Extra spacing added to the window: the server measures arrivals, and an arrival follows
# its send by the network's jitter.
SAFETY_MARGIN = 0.1
# How often a request blocked only by slots not yet sent looks again.
PENDING_POLL = 0.01


class Slot:
    """One request's place in the window; ``sent()`` when its first bytes are written."""

    __slots__ = ("_limiter", "stamp")

    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter
        self.stamp: float | None = None  # None while not yet sent

    def sent(self) -> None:
        """Count the request from now (the first call counts; later ones are ignored)."""
        self._limiter._stamp(self)

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *exc: object) -> None:
        # A request that failed before writing (or whose transport never says when it
        # wrote) still counts, from now: the server may have seen part of it.
        self.sent()


class RateLimiter:
    """At most ``rate`` sends in any ``period`` (+ margin) seconds, shared by all callers."""

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
        self._slots: list[Slot] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RateLimiter(rate={self.rate}, window={self.window:.2f}s)"

    def try_slot(self) -> Slot | float:
        """A slot taken now, or how long to wait before trying again."""
        with self._lock:
            now = self._clock()
            # One expression for both the test and the wait, so that rounding can never
            # report "wait 0" for a slot that was not taken.
            self._slots = [s for s in self._slots if s.stamp is None or s.stamp + self.window > now]
            if len(self._slots) < self.rate:
                slot = Slot(self)
                self._slots.append(slot)
                return slot
            sent = [s.stamp for s in self._slots if s.stamp is not None]
            if not sent:
                return PENDING_POLL
            return max(min(sent) + self.window - now, 1e-6)

    def try_acquire(self) -> float:
        """Take a slot, counted as sent now, and return 0; or return how long to wait."""
        slot = self.try_slot()
        if isinstance(slot, Slot):
            slot.sent()
            return 0.0
        return slot

    async def slot(self) -> Slot:
        """Wait until a request may start; call ``sent()`` (or exit it) when it goes."""
        while True:
            slot = self.try_slot()
            if isinstance(slot, Slot):
                return slot
            await asyncio.sleep(slot)

    async def acquire(self) -> None:
        """Wait until a request may start, counting it as sent at once."""
        (await self.slot()).sent()

    def _stamp(self, slot: Slot) -> None:
        with self._lock:
            if slot.stamp is None:
                slot.stamp = self._clock()


_registry: dict[tuple[str, int], RateLimiter] = {}
_registry_lock = threading.Lock()


def limiter_for(key: str, rate: int) -> RateLimiter:
    """The process-wide limiter for ``key`` (a service and host) at ``rate`` per second."""
    with _registry_lock:
        limiter = _registry.get((key, rate))
        if limiter is None:
            limiter = _registry[(key, rate)] = RateLimiter(rate)
        return limiter
