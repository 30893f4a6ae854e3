"""The shared rate limiter: unit tests with a fake clock, then bursts measured twice: where
the requests leave (the moment their headers are written) and where they arrive (the
kernel's receive stamp at the server, which is what NCBI's rule is about)."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from tests.server import FixtureServer
from tui.data.eutils import EutilsClient
from tui.data.ratelimit import PENDING_POLL, SAFETY_MARGIN, RateLimiter, Slot, limiter_for
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


@pytest.fixture
def stamped(settings: Settings) -> Iterator[tuple[Settings, FixtureServer]]:
    """Settings aimed at a fixture server that logs arrivals as the kernel stamped them:
    the server shares this process (and its GIL) with the clients, so its own clock
    would log some requests late, and a window check would see bunches never sent."""
    with FixtureServer(kernel_stamps=True) as server:
        assert server.kernel_stamps
        yield replace(settings, eutils_url=server.eutils_url), server


class RecordingTransport(httpx.AsyncHTTPTransport):
    """A real HTTP transport that notes when each request's headers start to be written
    (the moment a request leaves, which is what NCBI counts), optionally holding the
    first ``held`` requests back ``delay`` seconds after they were let go, as a busy
    event loop or a slow connect does."""

    def __init__(self, *, held: int = 0, delay: float = 0.0, busy: float = 0.0) -> None:
        super().__init__()
        self.held, self.delay = held, delay
        # Seconds the first request is held between telling the limiter it is sending and
        # writing its bytes, as when the process is descheduled at that moment.
        self.busy = busy
        self.sent: dict[str, float] = {}  # esearch term -> send time

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.held > 0:
            self.held -= 1
            await asyncio.sleep(self.delay)
        term = request.url.params.get("term", "")
        inner = request.extensions.get("trace")

        async def trace(event: str, info: object) -> None:
            started = event.endswith("send_request_headers.started")
            if started:
                self.sent[term] = time.monotonic()
            if inner is not None:
                await inner(event, info)
            if started and self.busy:
                busy, self.busy = self.busy, 0.0
                time.sleep(busy)  # the whole process stalls, not just this request

        request.extensions = {**request.extensions, "trace": trace}
        return await super().handle_async_request(request)


async def burst_through_clients(
    settings: Settings,
    server: FixtureServer,
    total: int,
    clients: int,
    tasks_per_client: int,
    transports: list[RecordingTransport] | None = None,
) -> tuple[float, list[float], list[float]]:
    """(elapsed, send times, arrival times) of ``total`` esearch calls spread over
    several clients.

    The send times are checked against the server's log first: every request arrived,
    none before it was sent.
    """
    ids = iter(range(total))
    started = time.monotonic()
    transports = transports or [RecordingTransport() for _ in range(clients)]

    async def worker(client: EutilsClient) -> None:
        for i in ids:
            await client.esearch(str(40_000_000 + i))

    opened = [EutilsClient(settings, transport=t) for t in transports]
    try:
        await asyncio.gather(*(worker(c) for c in opened for _ in range(tasks_per_client)))
    finally:
        for c in opened:
            await c.aclose()
    elapsed = time.monotonic() - started
    sent = {term: when for t in transports for term, when in t.sent.items()}
    arrived = {r.params["term"]: r.time for r in server.logged("esearch")}
    assert len(arrived) == total and set(sent) == set(arrived)
    assert all(arrived[term] >= sent[term] for term in sent)
    return elapsed, list(sent.values()), list(arrived.values())


async def test_burst_without_key_stays_at_three_a_second(
    stamped: tuple[Settings, FixtureServer],
) -> None:
    settings, server = stamped
    elapsed, sent, arrived = await burst_through_clients(
        settings, server, 40, clients=2, tasks_per_client=4
    )
    assert max_in_window(sent, 1.0) <= 3
    assert max_in_window(arrived, 1.0) <= 3
    # Limited, not stalled (generous: CI runs other tests on the other core meanwhile).
    assert elapsed < 40 / 3 * 1.5 + 3


async def test_burst_with_key_stays_at_ten_a_second(
    stamped: tuple[Settings, FixtureServer],
) -> None:
    settings, server = stamped
    keyed = replace(settings, api_key="burst-test-key")
    elapsed, sent, arrived = await burst_through_clients(
        keyed, server, 50, clients=2, tasks_per_client=6
    )
    assert max_in_window(sent, 1.0) <= 10
    # NCBI's rule is about arrivals: the limiter's margin keeps 10 in any second there.
    assert max_in_window(arrived, 1.0) <= 10
    # The key does buy the higher rate (some slack for a loaded machine), without stalls.
    assert max_in_window(sent, 1.0) >= 6
    assert elapsed < 50 / 10 * 1.5 + 3


async def test_a_request_counts_from_when_it_leaves_not_when_it_was_let_go(
    stamped: tuple[Settings, FixtureServer],
) -> None:
    """The flake of a loaded machine, made certain: the first ten requests are held back
    0.3 s between their slot and their send.  Counted from the slot, the next ten would
    go 1.1 s after the first slots, 0.8 s after the first ten sends: 20 in one second."""
    settings, server = stamped
    keyed = replace(settings, api_key="held-burst-key")
    held = RecordingTransport(held=10, delay=0.3)
    _, sent, arrived = await burst_through_clients(
        keyed, server, 20, clients=1, tasks_per_client=20, transports=[held]
    )
    assert max_in_window(sent, 1.0) <= 10
    assert max_in_window(sent, 1.0 + SAFETY_MARGIN) <= 10
    assert max_in_window(arrived, 1.0) <= 10


async def test_a_request_counts_from_its_write_when_the_process_stalls_before_it(
    stamped: tuple[Settings, FixtureServer],
) -> None:
    """The flake under load, made certain: the first request stalls 0.3 s between
    telling the limiter it is sending and writing its bytes (a descheduled process).
    Counted from the telling, the eleventh would go 1.1 s after it, 0.8 s after the
    first ten arrived: 11 in one second at the server."""
    settings, server = stamped
    keyed = replace(settings, api_key="busy-loop-key")
    busy = RecordingTransport(busy=0.3)
    _, _, arrived = await burst_through_clients(
        keyed, server, 20, clients=1, tasks_per_client=20, transports=[busy]
    )
    assert max_in_window(arrived, 1.0) <= 10
    assert max_in_window(arrived, 1.0 + SAFETY_MARGIN) <= 10


def test_a_slot_not_yet_sent_counts_as_sending_now() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, margin=0.1, clock=clock)
    first, second = limiter.try_slot(), limiter.try_slot()
    assert isinstance(first, Slot) and isinstance(second, Slot)
    clock.now += 5.0  # neither has left yet: both still hold their places
    assert limiter.try_slot() == PENDING_POLL
    first.sent()
    assert limiter.try_slot() == pytest.approx(1.1)
    clock.now += 1.1
    third = limiter.try_slot()
    assert isinstance(third, Slot)
    with second:  # leaving the block counts it as sent if nothing said so earlier
        pass
    assert limiter.try_slot() == pytest.approx(1.1)
    first.sent()  # only the first call counts
    assert second.stamp == clock.now and first.stamp == clock.now - 1.1
