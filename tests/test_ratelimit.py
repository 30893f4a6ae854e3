"""The shared rate limiter: unit tests with a fake clock, then bursts measured at the server."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from dataclasses import replace

import pytest

from tests.server import FixtureServer
from tui.data.eutils import EutilsClient
from tui.data.ratelimit import RateLimiter, limiter_for
from tui.data.settings import Settings


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def max_in_window(times: list[float], window: float) -> int:
    """The most start times found in any half-open interval of length ``window``."""
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def test_max_in_window_helper() -> None:
    assert max_in_window([0.0, 0.5, 0.99, 1.0, 1.5], 1.0) == 3
    assert max_in_window([0.0, 1.0, 2.0], 1.0) == 1
    assert max_in_window([], 1.0) == 0


def test_slots_and_waits() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, margin=0.1, clock=clock)
    assert [limiter.try_acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 0.4
    assert limiter.try_acquire() == pytest.approx(0.7)
    clock.now += 0.69
    assert limiter.try_acquire() > 0
    clock.now += 0.02  # the first three have left the window
    assert [limiter.try_acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.try_acquire() == pytest.approx(1.1)


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_simulated_arrivals_never_exceed_the_rate() -> None:
    rng = random.Random(7)
    clock = FakeClock()
    limiter = RateLimiter(3, margin=0.05, clock=clock)
    pending = sorted(clock.now + rng.uniform(0, 5) for _ in range(60))
    starts: list[float] = []
    while pending:
        clock.now = pending.pop(0)
        wait = limiter.try_acquire()
        if wait == 0:
            starts.append(clock.now)
        else:
            pending.append(clock.now + wait)
            pending.sort()
    assert len(starts) == 60
    assert max_in_window(starts, 1.0) == 3


def test_registry_shares_by_key_and_rate() -> None:
    a = limiter_for("test:registry-host", 3)
    assert limiter_for("test:registry-host", 3) is a
    assert limiter_for("test:registry-host", 10) is not a
    assert limiter_for("test:other-host", 3) is not a


def test_one_limiter_serves_several_event_loops_at_once() -> None:
    limiter = RateLimiter(4, period=0.3, margin=0.0)
    starts: list[float] = []
    lock = threading.Lock()

    async def burst() -> None:
        async def one() -> None:
            await limiter.acquire()
            with lock:
                starts.append(time.monotonic())

        await asyncio.gather(*(one() for _ in range(6)))

    threads = [threading.Thread(target=asyncio.run, args=(burst(),)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    asyncio.run(burst())  # and a fresh loop afterwards still works
    assert len(starts) == 24
    assert max_in_window(starts, 0.3) <= 4


async def burst_through_clients(
    settings: Settings, server: FixtureServer, total: int, clients: int, tasks_per_client: int
) -> float:
    ids = iter(range(total))
    started = time.monotonic()

    async def worker(client: EutilsClient) -> None:
        for i in ids:
            await client.esearch(str(40_000_000 + i))

    opened = [EutilsClient(settings) for _ in range(clients)]
    try:
        await asyncio.gather(*(worker(c) for c in opened for _ in range(tasks_per_client)))
    finally:
        for c in opened:
            await c.aclose()
    assert len(server.logged("esearch")) == total
    return time.monotonic() - started


async def test_burst_without_key_stays_at_three_a_second(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    elapsed = await burst_through_clients(
        settings, fixture_server, 40, clients=2, tasks_per_client=4
    )
    times = [r.time for r in fixture_server.logged("esearch")]
    assert max_in_window(times, 1.0) <= 3
    # Limited, not stalled (generous: CI runs other tests on the other core meanwhile).
    assert elapsed < 40 / 3 * 1.5 + 3


async def test_burst_with_key_stays_at_ten_a_second(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    keyed = replace(settings, api_key="burst-test-key")
    elapsed = await burst_through_clients(keyed, fixture_server, 50, clients=2, tasks_per_client=6)
    times = [r.time for r in fixture_server.logged("esearch")]
    assert max_in_window(times, 1.0) <= 10
    # The key does buy the higher rate (some slack for a loaded machine), without stalls.
    assert max_in_window(times, 1.0) >= 6
    assert elapsed < 50 / 10 * 1.5 + 3
