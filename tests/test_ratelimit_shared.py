"""The rate limit is shared by every pubterm process of the user: unit tests of the shared
window with a fake clock, then eight real processes against the local server, whose
recorded arrival times must show at most 3 requests in any second (10 with a key)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import FixtureServer, LoggedRequest
from tests.test_prefetch import PUBMED, article_set
from tests.test_ratelimit import FakeClock, max_in_window
from tui.data.ratelimit import PENDING_POLL, SharedRateLimiter, Slot, limiter_for
from tui.data.ratelimit_state import locked, state_path

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 8
REVIEW = "29963580"  # 49 references, all with a PMID: one efetch for it, one for them


@pytest.fixture
def stamped_server() -> Iterator[FixtureServer]:
    """The fixture server logging arrivals as the kernel stamped them (a busy server
    thread would otherwise log some late, and the log would show bunches never sent)."""
    with FixtureServer(kernel_stamps=True) as server:
        yield server


def serve_references(server: FixtureServer) -> None:
    """Make the server know a record for every PMID the review cites."""
    from tui.data.parse import parse_pubmed

    (record,) = parse_pubmed((PUBMED / f"{REVIEW}.xml").read_bytes())
    pmids = [r.pmid for r in record.references if r.pmid]
    server.add_record(pmids[0], article_set(pmids))


def pair(tmp_path: Path, rate: int = 3) -> tuple[FakeClock, SharedRateLimiter, SharedRateLimiter]:
    """Two limiters on one state file, as two processes have."""
    clock = FakeClock()
    path = tmp_path / "state" / "ncbi-3.json"
    a = SharedRateLimiter(rate, path, margin=0.1, clock=clock)
    b = SharedRateLimiter(rate, path, margin=0.1, clock=clock)
    return clock, a, b


def test_two_limiters_on_one_file_share_one_window(tmp_path: Path) -> None:
    clock, a, b = pair(tmp_path)
    assert [a.try_acquire(), a.try_acquire(), b.try_acquire()] == [0.0, 0.0, 0.0]
    clock.now += 0.4
    assert b.try_acquire() == pytest.approx(0.7)
    assert a.try_acquire() == pytest.approx(0.7)
    clock.now += 0.71
    assert [b.try_acquire(), b.try_acquire(), a.try_acquire()] == [0.0, 0.0, 0.0]
    assert a.try_acquire() == pytest.approx(1.1)


def test_a_slot_another_limiter_has_not_sent_counts_as_sending_now(tmp_path: Path) -> None:
    clock, a, b = pair(tmp_path, rate=1)
    slot = a.try_slot()
    assert isinstance(slot, Slot)
    clock.now += 30.0  # taken, not sent: it still holds the window
    assert b.try_slot() == PENDING_POLL
    slot.sent()
    assert b.try_slot() == pytest.approx(1.1)
    clock.now += 1.1
    assert isinstance(b.try_slot(), Slot)


def test_a_damaged_file_counts_as_a_full_window_sent_now(tmp_path: Path) -> None:
    clock, a, _ = pair(tmp_path)
    a.path.parent.mkdir(parents=True)
    a.path.write_bytes(b"[[1.0, 12, 0, 1.0], [2.0, 1")  # a writer killed half way
    assert a.try_acquire() == pytest.approx(1.1)
    clock.now += 1.1
    assert [a.try_acquire() for _ in range(3)] == [0.0, 0.0, 0.0]


def test_a_dead_process_and_a_previous_boot_hold_nothing(tmp_path: Path) -> None:
    clock, a, _ = pair(tmp_path, rate=2)
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(done.stdout)
    a.path.parent.mkdir(parents=True)
    with locked(a.path, wait=True) as state:
        # A slot a finished process never sent, and a send stamped after "now" (before a
        # reboot the monotonic clock read higher).
        state.save([(None, dead, 0, clock.now - 1.0), (clock.now + 500.0, 1, 0, clock.now)])
    assert [a.try_acquire(), a.try_acquire()] == [0.0, 0.0]
    assert a.try_acquire() == pytest.approx(1.1)


def test_an_unusable_folder_still_limits_this_process(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    clock = FakeClock()
    limiter = SharedRateLimiter(3, blocker / "ncbi-3.json", margin=0.1, clock=clock)
    assert [limiter.try_acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.try_acquire() == pytest.approx(1.1)


def test_the_limiter_keeps_its_window_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBTERM_CACHE_DIR", str(tmp_path / "cache"))
    limiter = limiter_for("ncbi:shared-folder-test:80", 3)
    assert isinstance(limiter, SharedRateLimiter)
    assert limiter.path == state_path(tmp_path / "cache", "ncbi:shared-folder-test:80", 3)
    assert limiter.try_acquire() == 0.0 and limiter.path.exists()
    assert limiter.path.stat().st_mode & 0o077 == 0


def environment(server: FixtureServer, tmp_path: Path, key: str | None) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text("backoff_initial = 0.01\nbackoff_max = 0.05\n")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PUBTERM_EUTILS_URL": server.eutils_url,
        "PUBTERM_EUROPEPMC_URL": server.europepmc_url,
        "PUBTERM_CROSSREF_URL": server.crossref_url,
        "PUBTERM_CONFIG": str(config),
        # One cache folder for the shared window; each process has its own --cache-dir.
        "PUBTERM_CACHE_DIR": str(tmp_path / "shared"),
    }
    if key:
        env["NCBI_API_KEY"] = key
    return env


def ncbi(server: FixtureServer) -> list[LoggedRequest]:
    return [r for r in server.requests if r.path.startswith("/entrez/")]


def test_eight_prefetches_share_three_requests_a_second(
    stamped_server: FixtureServer, tmp_path: Path
) -> None:
    """Eight ``pubterm --prefetch`` at once, each with its own cache: 8 x 3 efetch calls
    (the record, its references, PMC's answer for the full text), never more than 3 in
    any second as the server received them."""
    serve_references(stamped_server)
    stamped_server.fulltext.enable()
    env = environment(stamped_server, tmp_path, key=None)
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui",
                "--prefetch",
                REVIEW,
                "--cache-dir",
                str(tmp_path / f"c{i}"),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    results = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err
        assert err.splitlines()[-1].endswith("49 fetched, 0 already cached, 0 failed")
    assert stamped_server.kernel_stamps
    arrived = [r.time for r in ncbi(stamped_server)]
    assert len(arrived) == PROCESSES * 3
    assert max_in_window(arrived, 1.0) <= 3


def test_eight_processes_with_a_key_share_ten_requests_a_second(
    stamped_server: FixtureServer, tmp_path: Path
) -> None:
    """Eight processes with one key, let go together, each sending 8 esearch calls at once:
    without sharing, the first second alone would bring 64."""
    env = environment(stamped_server, tmp_path, key="shared-burst-key")
    command = [sys.executable, "-m", "tests.ratelimit_burst", stamped_server.eutils_url, "8"]
    runs = [
        subprocess.Popen(
            command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        for _ in range(PROCESSES)
    ]
    for run in runs:  # every process has imported pubterm and opened its client
        assert run.stdout is not None and run.stdout.readline() == "ready\n"
    for run in runs:
        assert run.stdin is not None
        run.stdin.write("go\n")
        run.stdin.flush()
    for run in runs:
        run.communicate(timeout=300)
        assert run.returncode == 0
    assert stamped_server.kernel_stamps
    arrived = [r.time for r in stamped_server.logged("esearch")]
    assert len(arrived) == PROCESSES * 8
    assert max_in_window(arrived, 1.0) <= 10
