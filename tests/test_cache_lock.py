"""Another process holding a write lock on ``cache.db`` hangs nothing.

The tests hold a real SQLite write transaction (``BEGIN IMMEDIATE``) on the cache's
database, as a second pubterm or a sync tool in the middle of a write would.  The command
line reads what is cached, fetches the rest from the network, says once that the cache
is busy, and ends; a prefetch says how many records it could not keep and exits 4; the
reader loads its record, says it once, and quits on ``q``.  The reader's cache calls all
run on the cache thread, so a call stuck on the disk never stops the screen.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from tests.cache_faults_record import observed
from tests.server import FixtureServer
from tests.test_app_graph import keyed
from tests.test_app_support import (
    REVIEW,
    STRUCTURED,
    WIDE,
    ReaderApp,
    loaded,
    make_app,
    wait_for,
)
from tests.test_prefetch import REVIEW as BIG_REVIEW
from tests.test_prefetch import serve_references
from tui.data import cache as cache_module
from tui.data.cache import RecordCache
from tui.data.settings import Settings
from tui.screens.help import HelpScreen

ROOT = Path(__file__).resolve().parent.parent
LOCK = "write lock held on `cache.db` (`BEGIN IMMEDIATE`)"
BUSY = "the cache is busy (another pubterm?) — reading from the network"


@contextmanager
def write_lock(folder: Path) -> Iterator[None]:
    """Hold a write transaction on the cache database until the block ends."""
    con = sqlite3.connect(folder / "cache.db", isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        yield
        con.execute("ROLLBACK")
    finally:
        con.close()


def cache_holding(folder: Path, pmid: str) -> None:
    """A cache folder that holds the recorded ``pmid`` (and so has its database)."""
    xml = (ROOT / "tests" / "fixtures" / "pubmed" / f"{pmid}.xml").read_bytes()
    with RecordCache(folder) as cache:
        assert cache.put_record(pmid, xml)


def pubterm(server: FixtureServer, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own (a hang fails the test, not the suite)."""
    env = {
        **os.environ,
        "PUBTERM_CACHE_DIR": str(folder),
        "PUBTERM_EUTILS_URL": server.eutils_url,
        "PUBTERM_EUROPEPMC_URL": server.europepmc_url,
        "PUBTERM_CROSSREF_URL": server.crossref_url,
        "NCBI_API_KEY": "cache-lock-tests",
    }
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_held_lock_reads_the_cache_and_fetches_the_rest(
    fixture_server: FixtureServer, cache_dir: Path
) -> None:
    cache_holding(cache_dir, STRUCTURED)
    with observed(LOCK, "`--format json`, a cached and an uncached record") as row:
        with write_lock(cache_dir):
            done = pubterm(fixture_server, cache_dir, "--format", "json", STRUCTURED, REVIEW)
        assert done.returncode == 0, done.stderr
        objs = [json.loads(line) for line in done.stdout.splitlines()]
        assert [(o["pmid"], o["cached"]) for o in objs] == [(STRUCTURED, True), (REVIEW, False)]
        assert [r.params.get("id") for r in fixture_server.logged("efetch")] == [REVIEW]
        assert done.stderr.count(BUSY) == 1 and done.stderr.count("\n") == 1, done.stderr
        row.outcome = f"exit 0; the cached one from the cache, the other fetched; once: “{BUSY}…”"
        # Once the lock is gone the cache keeps records again.
        done = pubterm(fixture_server, cache_dir, "--format", "json", REVIEW)
        assert done.returncode == 0 and done.stderr == ""
        with RecordCache(cache_dir) as cache:
            assert cache.get_record(REVIEW) is not None
        row.after = "lock released: the next run keeps its record"


def test_a_held_lock_during_a_prefetch_is_counted(
    fixture_server: FixtureServer, cache_dir: Path
) -> None:
    pmids = serve_references(fixture_server)
    cache_holding(cache_dir, STRUCTURED)
    with observed(LOCK, f"`--prefetch` of {len(pmids)} references") as row:
        with write_lock(cache_dir):
            done = pubterm(fixture_server, cache_dir, "--prefetch", BIG_REVIEW)
        assert done.returncode == 4, done.stderr
        assert "Traceback" not in done.stderr
        said = (
            f"0 fetched, 0 already cached; the cache is busy (another pubterm?):"
            f" {len(pmids)} of {len(pmids)} not kept"
        )
        assert done.stderr.splitlines()[-1].endswith(said)
        assert done.stderr.count("busy") == 1, done.stderr
        row.outcome = f"exit 4, once: “{said}”"
        row.after = "nothing claimed kept that was not"


async def test_the_reader_with_a_held_lock_loads_says_it_once_and_quits(
    settings: Settings, fixture_server: FixtureServer, cache_dir: Path
) -> None:
    cache_holding(cache_dir, STRUCTURED)
    with observed(LOCK, "the reader, an uncached record, then `q`") as row:
        with write_lock(cache_dir):
            app = make_app(keyed(settings))
            async with app.run_test(size=WIDE) as pilot:
                record = await loaded(pilot, REVIEW)
                assert not record.cached
                assert sum(BUSY.lower() in m.lower() for m in app.messages) == 1, app.messages
                await pilot.press("q")
        assert app.return_code == 0
        row.outcome = "the record loads from the network; said once; `q` quits"
        row.after = "`q` exits 0 with the lock still held"


def recording_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the threads every cache read, write and open runs on."""
    seen: list[str] = []

    def spy(name: str) -> None:
        real: Callable[..., Any] = getattr(RecordCache, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen.append(threading.current_thread().name)
            return real(*args, **kwargs)

        monkeypatch.setattr(RecordCache, name, wrapper)

    for name in ("__init__", "_get", "_set"):
        spy(name)
    return seen


async def test_no_cache_call_runs_on_the_event_loop(
    settings: Settings, fixture_server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = recording_threads(monkeypatch)
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("P")
        await wait_for(pilot, lambda: not app.reader.prefetching, timeout=60)
    assert len(seen) > 100  # the record, its titles and the prefetch all went through
    assert {name.split("_")[0] for name in seen} == {"pubterm-cache"}, set(seen)


async def test_the_screen_answers_keys_while_a_cache_call_is_stuck(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    """A cache open held up (as by a lock) does not hold up the screen: the help opens
    and closes while the open is still waiting."""
    entered, release = threading.Event(), threading.Event()
    real_open = cache_module.open_store

    def stuck_open(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait()
        return real_open(*args, **kwargs)

    monkeypatch.setattr(cache_module, "open_store", stuck_open)
    app = make_app(replace(settings, cache_dir=cache_dir))
    try:
        async with app.run_test(size=WIDE) as pilot:
            await wait_for(pilot, entered.is_set)
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.press("escape")
            await wait_for(
                pilot, lambda: isinstance(app.screen, Screen) and app.screen is app.reader
            )
            assert not release.is_set() and app.reader.record is None  # still waiting
            release.set()
            await loaded(pilot, REVIEW)
    finally:
        release.set()


def test_a_lock_taken_after_the_cache_opened_fails_writes_until_it_goes(cache_dir: Path) -> None:
    """The first write waits out the lock once, then writes fail at once (counted, not
    kept) until one succeeds after the lock is gone; reads never stop."""
    with RecordCache(cache_dir) as cache:
        assert cache.put_record("1", b"<a/>")
        with write_lock(cache_dir):
            assert not cache.put_record("2", b"<b/>")
            assert cache.problem is not None and cache.problem.startswith("the cache is busy")
            assert cache.warning is not None and BUSY in cache.warning
            assert not cache.put_record("3", b"<c/>")
            assert cache.unkept == {"v1:record:2", "v1:record:3"}
            got = cache.get_record("1")
            assert got is not None and got.xml == b"<a/>"
        assert cache.put_record("2", b"<b/>")
        assert cache.unkept == {"v1:record:3"}
        got = cache.get_record("2")
        assert got is not None and got.xml == b"<b/>"


async def test_the_reader_says_it_when_the_first_record_came_from_the_early_fetch(
    settings: Settings, fixture_server: FixtureServer, cache_dir: Path
) -> None:
    """As ``pubterm ID`` starts it: the first record is fetched before the reader runs,
    with a cache of its own, so the reader's cache first meets the lock in a later job."""
    from tui.data.first import start_first_fetch
    from tui.data.ids import parse_id

    cache_holding(cache_dir, STRUCTURED)
    with write_lock(cache_dir):
        aid = parse_id(REVIEW)
        app = ReaderApp(keyed(settings), aid, early=start_first_fetch(keyed(settings), aid))
        async with app.run_test(size=WIDE) as pilot:
            await loaded(pilot, REVIEW)
            await wait_for(pilot, lambda: any(BUSY.lower() in m.lower() for m in app.messages))
            assert sum(BUSY.lower() in m.lower() for m in app.messages) == 1, app.messages
            await pilot.press("q")
    assert app.return_code == 0
