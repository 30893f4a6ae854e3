"""Every fault the fixture server can stage, against the reader.

The reader's side of the fault matrix (``test_faults_matrix.py`` is the command line's):
a transient fault ends with the record on screen; a persistent one with an error in the
status banner that offers ``r``, and ``r`` after the fault clears shows the record; a
stale cached copy is shown with a notice instead of an error.  The cache afterwards holds
nothing from a failed answer, and neither the banner nor the screen ever shows the API
key or the e-mail.  Each case is recorded through ``tests.reliability``.

One reader session runs the four cases of a fault one after another, each on its own
record, as a user opening several records in a row would.
"""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests import reliability
from tests.server import FixtureServer
from tests.test_app_support import WIDE, ReaderApp, banner, make_app, settle, wait_for
from tests.test_faults_matrix import (
    API_KEY,
    EMAIL,
    MAX_ATTEMPTS,
    NOT_RETRIED,
    SERVER_FAULTS,
    STALE_DAYS,
    STALL_SECONDS,
    STALL_TIMEOUT,
    check_cache_clean,
    check_secrets,
    fixture_xml,
    seed_stale,
)
from tui.data.cache import RecordCache
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record
from tui.data.parse import parse_pubmed
from tui.data.settings import Settings
from tui.screens.reader_moves import failure_hint

RETRY_HINT = " — press r to retry"
# Small recorded records, one per case of a session: (mode, stale copy?) -> PMID.
CASES = {
    ("transient", False): "38048813",
    ("transient", True): "38833988",
    ("persistent", False): "24084238",
    ("persistent", True): "37167981",
}
FIRST = "34529508"  # opened without faults, so each session starts as a user's would


def free_port() -> int:
    """A port nothing listens on (yet): connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def shown(pilot: Pilot[Any], app: ReaderApp, pmid: str) -> Record:
    await wait_for(
        pilot, lambda: app.reader.record is not None and app.reader.record.pmid == pmid, timeout=10
    )
    await settle(pilot)
    record = app.reader.record
    assert record is not None
    return record


async def run_case(
    pilot: Pilot[Any],
    app: ReaderApp,
    server: FixtureServer | None,
    cache_dir: Path,
    fault: str,
    mode: str,
    stale: bool,
    clear_fault: Any = None,
) -> None:
    """One case in a running reader: stage the fault, open the record, check the outcome."""
    pmid = CASES[(mode, stale)]
    with reliability.case("reader", fault, mode, stale) as rec:
        attempts = 1 if fault in NOT_RETRIED else MAX_ATTEMPTS
        before = len(server.logged("efetch")) if server is not None else 0
        if server is not None:
            # A persistent fault lasts exactly as long as the retries, so it has cleared
            # when the user presses r.
            server.add_fault(fault, times=1 if mode == "transient" else attempts, endpoint="efetch")
        seeded = seed_stale(cache_dir, pmid) if stale else None
        recovers = mode == "transient" and fault not in NOT_RETRIED
        # Over a record already on screen a failure is a failed walk: its hint says how
        # to try again or go back, and r stays the key for the record on screen.
        walk = app.reader.record is not None
        hint = f" — {failure_hint(None, walk=True)}" if walk else RETRY_HINT
        app.reader.load(ArticleId(IdKind.PMID, pmid))
        if recovers:
            record = await shown(pilot, app, pmid)
            assert not record.cached and record.stale is None
            assert banner(app).kind == "clear"
            rec.outcome, rec.cache = "record after retry", "fresh copy"
        elif seeded is not None:
            record = await shown(pilot, app, pmid)
            assert record.cached and record.fetched == seeded
            status = banner(app)
            assert status.kind == "notice", status.message
            assert status.message.endswith(f"showing the copy cached {STALE_DAYS} days ago")
            rec.outcome, rec.cache = "stale copy + notice", "stale copy kept"
            rec.detail = status.message
        else:
            await wait_for(pilot, lambda: banner(app).kind == "error", timeout=10)
            await settle(pilot)
            status = banner(app)
            assert status.message.endswith(hint), status.message
            assert "Traceback" not in status.message
            if fault == "empty-set":
                assert status.message == f"No PubMed record {pmid}{hint}"
            shown_now = app.reader.record
            assert shown_now is None or shown_now.pmid != pmid
            assert app.is_running and app.screen is app.reader
            check_secrets(status.message + app.export_screenshot())
            with RecordCache(cache_dir) as cache:
                assert cache.get_record(pmid) is None
            if server is not None:
                assert len(server.logged("efetch")) - before == attempts
            if clear_fault is not None:
                clear_fault()
            # A failed walk is tried again as it was made (enter on its reference); r
            # would refetch the record still on screen.
            if walk:
                app.reader.load(ArticleId(IdKind.PMID, pmid))
            else:
                await pilot.press("r")
            record = await shown(pilot, app, pmid)
            assert banner(app).kind == "clear"
            rec.outcome = (
                "error banner; again shows record" if walk else "error banner; r shows record"
            )
            rec.cache = "nothing, then fresh"
            rec.detail = status.message
        check_secrets(banner(app).message)
        check_cache_clean(cache_dir)
        with RecordCache(cache_dir) as cache:
            after = cache.get_record(pmid)
        assert after is not None
        if seeded is not None and not recovers:
            assert after.fetched == seeded and after.xml == fixture_xml(pmid)
        else:
            assert datetime.now(UTC) - after.fetched < timedelta(minutes=5)
            assert parse_pubmed(after.xml) == parse_pubmed(fixture_xml(pmid))


def _config(settings: Settings) -> Settings:
    return replace(settings, api_key=API_KEY, email=EMAIL, max_attempts=MAX_ATTEMPTS)


@pytest.mark.parametrize("fault", SERVER_FAULTS)
async def test_reader_fault(
    fault: str, fixture_server: FixtureServer, settings: Settings, cache_dir: Path
) -> None:
    config = _config(settings)
    if fault == "stall":
        fixture_server.stall_seconds = STALL_SECONDS
        config = replace(config, timeout=STALL_TIMEOUT)
    app = make_app(config, FIRST)
    async with app.run_test(size=WIDE) as pilot:
        await shown(pilot, app, FIRST)
        for mode, stale in CASES:
            await run_case(pilot, app, fixture_server, cache_dir, fault, mode, stale)
        check_secrets(app.export_screenshot())


async def test_reader_unreachable(
    fixture_server: FixtureServer, settings: Settings, cache_dir: Path
) -> None:
    """Nothing listens at the E-utilities address; r works once something does."""
    port = free_port()
    config = replace(_config(settings), eutils_url=f"http://127.0.0.1:{port}/entrez/eutils/")
    later = FixtureServer(port=port)
    seed_stale(cache_dir, FIRST)
    app = make_app(config, FIRST)
    try:
        async with app.run_test(size=WIDE) as pilot:
            await shown(pilot, app, FIRST)
            await run_case(pilot, app, None, cache_dir, "unreachable", "persistent", True)
            await run_case(
                pilot,
                app,
                None,
                cache_dir,
                "unreachable",
                "persistent",
                False,
                clear_fault=later.start,
            )
    finally:
        later.stop()
