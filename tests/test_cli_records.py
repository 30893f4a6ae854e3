"""The print path reads fresh cached records itself, and leaves everything else to the service."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.server import FixtureServer
from tui.cli_records import from_cache, records_to_print
from tui.data.cache import RecordCache
from tui.data.ids import parse_id
from tui.data.model import Record
from tui.data.settings import Settings

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"
ROOT = Path(__file__).resolve().parent.parent


def _plant(cache_dir: Path, pmid: str, fetched: datetime) -> None:
    cache = RecordCache(cache_dir)
    try:
        cache.put_record(pmid, (PUBMED / f"{pmid}.xml").read_bytes(), fetched)
    finally:
        cache.close()


def test_fresh_copies_are_read_without_the_service(settings: Settings, cache_dir: Path) -> None:
    now = datetime.now(UTC)
    _plant(cache_dir, "35856662", now)
    _plant(cache_dir, "32051057", now)
    found = from_cache(settings, [parse_id("35856662"), parse_id("32051057")])
    assert found is not None
    (first, second), warning = found
    assert warning is None
    assert isinstance(first, Record) and first.pmid == "35856662" and first.cached
    assert isinstance(second, Record) and second.pmid == "32051057"


def test_anything_else_goes_to_the_service(settings: Settings, cache_dir: Path) -> None:
    pmid = [parse_id("35856662")]
    assert from_cache(settings, pmid) is None  # no cache yet
    _plant(cache_dir, "35856662", datetime.now(UTC) - timedelta(days=settings.fresh_days + 1))
    assert from_cache(settings, pmid) is None  # stale: the service refreshes it
    assert from_cache(replace(settings, offline=True), pmid) is not None  # offline: as it is
    _plant(cache_dir, "35856662", datetime.now(UTC))
    assert from_cache(settings, pmid) is not None
    assert from_cache(replace(settings, refresh=True), pmid) is None
    assert from_cache(settings, [*pmid, parse_id("32051057")]) is None  # one missing
    assert from_cache(settings, [parse_id("10.1128/aac.00216-22")]) is None  # a DOI


def test_a_cold_print_fetches_and_a_warm_one_asks_nothing(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    ids = [parse_id("35856662")]
    ((cold,), _), render = records_to_print(settings, ids, "json", print)
    assert isinstance(cold, Record) and not cold.cached
    ((warm,), _), _ = records_to_print(settings, ids, "json", print)
    assert isinstance(warm, Record) and warm.cached
    assert len(fixture_server.logged()) == 1
    assert render([warm]) == render([replace(cold, cached=True, fetched=warm.fetched)])


def test_a_warm_print_imports_no_event_loop(cache_dir: Path, fixture_server: FixtureServer) -> None:
    _plant(cache_dir, "35856662", datetime.now(UTC))
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"argv = ['--eutils-url', {fixture_server.eutils_url!r}, '--cache-dir', {str(cache_dir)!r},"
        " '--format', 'json', '35856662']\n"
        "assert main(argv) == 0\n"
        "loaded = sorted(m for m, module in sys.modules.items()"
        " if module is not None and m.split('.')[0] in {'asyncio', 'httpx'})\n"
        "assert not loaded, loaded\n"
    )
    env = {"PUBTERM_CONFIG": "/nonexistent", "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert '"pmid": "35856662"' in run.stdout
    assert fixture_server.logged() == []
