"""The print path's fetch on a thread: the same outcomes, the parser kept off its way."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tests.server import FixtureServer
from tui.data.ahead import Ahead
from tui.data.cache import DB_FILES, RecordCache
from tui.data.errors import NotFoundError
from tui.data.eutils import RetryNotice
from tui.data.ids import parse_id
from tui.data.model import Record
from tui.data.sent_signal import SentSignal
from tui.data.settings import Settings


def test_service_import_leaves_lxml_and_the_readers_for_later() -> None:
    code = (
        "import sys, tui.data.service, tui.data.ahead\n"
        "early = sorted(m for m in sys.modules if m.split('.')[0] == 'lxml'"
        " or m == 'tui.data.parse_articles')\n"
        "assert not early, early\n"
        "from tui.data.parse import preload\n"
        "preload()\n"
        "assert 'lxml.etree' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_new_cache_folder_is_created_and_filled(
    settings: Settings, fixture_server: FixtureServer, cache_dir: Path
) -> None:
    assert not cache_dir.exists()
    ids = [parse_id("35856662"), parse_id("99999999")]
    outcomes, warning = Ahead.start(settings, ids, print).result()
    assert warning is None
    record, missing = outcomes
    assert isinstance(record, Record) and record.pmid == "35856662" and not record.cached
    assert isinstance(missing, NotFoundError)
    assert len(fixture_server.logged("efetch")) == 1
    assert (cache_dir / DB_FILES[0]).exists()
    cache = RecordCache(cache_dir)
    try:
        assert cache.get_record("35856662") is not None
    finally:
        cache.close()


def test_a_warm_cache_answers_without_a_request(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    ids = [parse_id("35856662")]
    Ahead.start(settings, ids, print).result()
    (again,), _ = Ahead.start(settings, ids, print).result()
    assert isinstance(again, Record) and again.cached
    assert len(fixture_server.logged("efetch")) == 1


def test_retry_notices_reach_the_caller(settings: Settings, fixture_server: FixtureServer) -> None:
    fixture_server.add_fault("500", endpoint="efetch")
    notices: list[RetryNotice] = []
    (record,), _ = Ahead.start(settings, [parse_id("35856662")], notices.append).result()
    assert isinstance(record, Record)
    assert len(notices) == 1 and len(fixture_server.logged("efetch")) == 2


def test_offline_with_no_cache_reads_only(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    offline = replace(settings, offline=True)
    (outcome,), _ = Ahead.start(offline, [parse_id("35856662")], print).result()
    assert not isinstance(outcome, Record)
    assert fixture_server.logged() == []


async def test_sent_signal_fires_once_the_request_is_written(
    fixture_server: FixtureServer,
) -> None:
    events: list[str] = []

    async def trace(event: str, info: object) -> None:
        events.append(event)

    transport = SentSignal(httpx.AsyncHTTPTransport(), lambda: events.append("SENT"))
    async with httpx.AsyncClient(transport=transport) as client:
        url = f"{fixture_server.eutils_url}efetch.fcgi"
        params = {"db": "pubmed", "id": "35856662", "retmode": "xml"}
        response = await client.get(url, params=params, extensions={"trace": trace})
        events.append("ANSWERED")
    assert response.status_code == 200
    assert events.count("SENT") == 1
    sent = events.index("SENT")
    assert events[sent - 1].endswith("send_request_body.complete")
    assert any(e.endswith("receive_response_headers.started") for e in events[sent:])
    assert events[-1] == "ANSWERED"


def test_the_fetch_thread_never_keeps_the_process_alive(
    settings: Settings, fixture_server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[threading.Thread] = []

    class Recorded(threading.Thread):
        def start(self) -> None:
            started.append(self)
            super().start()

    monkeypatch.setattr(threading, "Thread", Recorded)
    Ahead.start(settings, [parse_id("35856662")], print).result()
    (fetch,) = [t for t in started if t.name == "pubterm-print-fetch"]
    assert fetch.daemon  # Ctrl-C is not held up by a fetch still retrying
