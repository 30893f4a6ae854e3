"""Keeping pubterm under each service's request rate, across clients, event loops and
processes.

NCBI blocks clients that send more than 3 requests in any second (10 with an API key),
and it counts requests as they arrive from an address (or a key), not connections or
processes: every client talking to the same host, in this process or any other pubterm
process of the user (a reader and two prefetches, say), shares one budget.  The window
counts a request from the moment its first bytes are written, not from the moment it was
allowed to start: on a loaded machine those are up to a quarter of a second apart
(event-loop lag, connection set-up), and counting the earlier moment let 11 to 16
requests leave within one second; a stamp is taken once the bytes are out (``Slot.sent``),
so a process stalled between being let go and writing is counted from after the stall.
A slot taken but not yet sent counts as sending now.  The tests check arrivals as the
server's kernel stamped them, which is what NCBI's rule is about.

The window lives in a small file in the user's cache folder (``tui/data/ratelimit_state``)
under a file lock, so every process sees every other's sends; a ``threading.Lock`` also
guards it, so it binds to no event loop and works from any of them.  Where that file
cannot be kept (a read-only cache folder, a system without ``flock``) each process keeps
the window in memory and limits itself alone.

No library does this: aiolimiter is a leaky bucket, which after a burst of 3 lets a
fourth request through a third of a second later (5 in one second at a rate of 3), and
keeps its state in one process.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tui.data.ratelimit_state import SHARED, Entry, StateBusy, locked, process_alive, state_path
from tui.data.settings import default_cache_dir

# Extra spacing added to the window: the server measures arrivals, and an arrival follows
# its send by the network's jitter.
SAFETY_MARGIN = 0.1
# How often a request blocked only by slots not yet sent (or by another process holding
# the state file's lock) looks again.
PENDING_POLL = 0.01
# A slot taken but never sent by a process still running is given up after this long
# (no request waits longer than its connect timeout to start sending).
PENDING_LIMIT = 120.0


class Slot:
    """One request's place in the window; ``sent()`` when its first bytes are written."""

    __slots__ = ("_limiter", "stamp", "token")

    def __init__(self, limiter: RateLimiter, token: int | None = None) -> None:
        self._limiter = limiter
        self.stamp: float | None = None  # None while not yet sent
        self.token = token  # its number in the shared state file, if it is there

    def sent(self) -> None:
        """Count the request from the moment its bytes are written (the first call counts;
        later ones are ignored).

        The client calls this as it starts writing the headers, and the write follows
        when the call returns; but a process can stall in between (descheduled on a
        loaded machine: 60 to 120 ms measured), and a window counted from before the
        stall let 11 arrive in one second.  So on a running event loop the stamp is
        taken by a callback queued now, which runs on the loop's next turn, once the
        writer has written (or, with a transport that yields before writing, just
        before it writes); the slot counts as sending until then.  A stamp taken late
        only ever holds the next request back, never lets one out early.
        """
        # Without asyncio imported there is no loop (the plain print path never imports it).
        asyncio = sys.modules.get("asyncio")
        try:
            if asyncio is None:
                raise RuntimeError("no event loop")
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._limiter._stamp(self)
        else:
            loop.call_soon(self._limiter._stamp, self)

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *exc: object) -> None:
        # A request that failed before writing (or whose transport never says when it
        # wrote) still counts, from now: the server may have seen part of it.
        self._limiter._stamp(self)


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
            return self._memory_slot()

    def _memory_slot(self) -> Slot | float:
        """try_slot on this process's own window (the caller holds ``_lock``)."""
        now = self._clock()
        # One expression for both the test and the wait, so that rounding can never
        # report "wait 0" for a slot that was not taken.
        self._slots = [s for s in self._slots if s.stamp is None or s.stamp + self.window > now]
        if len(self._slots) < self.rate:
            slot = Slot(self)
            self._slots.append(slot)
            return slot
        return self._wait([s.stamp for s in self._slots], now)

    def _wait(self, stamps: list[float | None], now: float) -> float:
        """How long until the oldest send leaves a full window (or a short poll, when
        only slots not yet sent fill it)."""
        sent = [stamp for stamp in stamps if stamp is not None]
        if not sent:
            return PENDING_POLL
        return max(min(sent) + self.window - now, 1e-6)

    def try_acquire(self) -> float:
        """Take a slot, counted as sent now (on an event loop, from its next turn), and
        return 0; or return how long to wait."""
        slot = self.try_slot()
        if isinstance(slot, Slot):
            slot.sent()
            return 0.0
        return slot

    async def slot(self) -> Slot:
        """Wait until a request may start; call ``sent()`` (or exit it) when it goes."""
        import asyncio

        while True:
            slot = self.try_slot()
            if isinstance(slot, Slot):
                return slot
            await asyncio.sleep(slot)

    async def acquire(self) -> None:
        """Wait until a request may start, counting it as sent at once (from the loop's
        next turn)."""
        (await self.slot()).sent()

    def _stamp(self, slot: Slot) -> None:
        with self._lock:
            if slot.stamp is None:
                slot.stamp = self._clock()


# Slot numbers, unique within the process (with the process id, within the state file).
_tokens = itertools.count()


class SharedRateLimiter(RateLimiter):
    """A RateLimiter whose window is kept in ``path``, shared by every process using it.

    Each process holds the lock only to read, change and write back a few entries: a
    slot is written as "not yet sent" when taken and given its send time when sent.
    A damaged file counts as a full window sent now, so the worst a crash costs is one
    second's wait.  If the file cannot be used, this process's own window is used.
    """

    def __init__(
        self,
        rate: int,
        path: Path,
        period: float = 1.0,
        *,
        margin: float = SAFETY_MARGIN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(rate, period, margin=margin, clock=clock)
        self.path = path

    def __repr__(self) -> str:
        return f"SharedRateLimiter(rate={self.rate}, window={self.window:.2f}s, {self.path})"

    def _live(self, entries: list[Entry], damaged: bool, now: float) -> list[Entry]:
        """The entries still in the window; a damaged file is a full window sent now."""
        if damaged:
            return [(now, 0, -1, now)] * self.rate
        live: list[Entry] = []
        for sent, pid, token, taken in entries:
            if sent is not None:
                # The same expression as the wait's, as in _memory_slot.
                keep = sent + self.window > now and sent <= now
            else:
                fresh = taken <= now and now - taken < PENDING_LIMIT
                keep = fresh and process_alive(pid)
            if keep:
                live.append((sent, pid, token, taken))
        return live

    def try_slot(self) -> Slot | float:
        with self._lock:
            try:
                with locked(self.path, wait=False) as state:
                    now = self._clock()
                    live = self._live(state.entries, state.damaged, now)
                    if len(live) >= self.rate:
                        if state.damaged or len(live) != len(state.entries):
                            state.save(live)
                        return self._wait([e[0] for e in live], now)
                    token = next(_tokens)
                    state.save([*live, (None, os.getpid(), token, now)])
                    return Slot(self, token)
            except StateBusy:
                return PENDING_POLL
            except OSError:
                return self._memory_slot()

    def _stamp(self, slot: Slot) -> None:
        with self._lock:
            if slot.stamp is not None:
                return
            if slot.token is None:  # a slot of this process's own window
                slot.stamp = self._clock()
                return
            try:
                with locked(self.path, wait=True) as state:
                    now = slot.stamp = self._clock()
                    mine = [e for e in state.entries if (e[1], e[2]) == (os.getpid(), slot.token)]
                    others = [e for e in state.entries if e not in mine]
                    state.save(
                        [*others, (now, os.getpid(), slot.token, mine[0][3] if mine else now)]
                    )
            except OSError:
                slot.stamp = self._clock()


_registry: dict[tuple[str, int, Path | None], RateLimiter] = {}
_registry_lock = threading.Lock()


def shared_folder() -> Path | None:
    """Where the shared windows live: the user's cache folder (``PUBTERM_CACHE_DIR``, else
    the platform's), whatever ``--cache-dir`` a process uses, since NCBI's budget belongs
    to the user's address or key, not to a cache; None where files cannot be locked."""
    if not SHARED:
        return None
    chosen = os.environ.get("PUBTERM_CACHE_DIR")
    return Path(os.path.expanduser(chosen)) if chosen else default_cache_dir()


def limiter_for(key: str, rate: int) -> RateLimiter:
    """The limiter for ``key`` (a service and host) at ``rate`` per second, shared with
    every pubterm process of the user that talks to the same host at the same rate.

    Processes with different API keys share one 10-a-second window (no key is written
    to disk, not even in a file name): slower than NCBI allows them, never faster.
    """
    folder = shared_folder()
    with _registry_lock:
        limiter = _registry.get((key, rate, folder))
        if limiter is None:
            if folder is None:
                limiter = RateLimiter(rate)
            else:
                limiter = SharedRateLimiter(rate, state_path(folder, key, rate))
            _registry[(key, rate, folder)] = limiter
        return limiter
