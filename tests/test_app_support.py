"""Shared helpers for the reader's Pilot tests (this module holds no tests of its own)."""

from __future__ import annotations

import contextlib
import stat
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from tests.server import FIXTURES, FixtureServer
from tui.app import PubtermApp
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record
from tui.data.parse import parse_pubmed
from tui.data.settings import Settings
from tui.screens.reader import ReaderScreen
from tui.widgets.status import StatusBanner

REVIEW = "35856662"  # 258 references, 245 with DOIs
STRUCTURED = "38534005"  # structured abstract, 7 labels
NO_ABSTRACT = "38700094"  # editorial without an abstract
WIDE = (160, 48)
NARROW = (80, 24)


class ReaderApp(PubtermApp):
    """The real app, recording what it tells the user (conftest steadies the cursor)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.told: list[tuple[str, str]] = []

    def notify(self, message: str, *, severity: SeverityLevel = "information", **kw: Any) -> None:
        self.told.append((str(message), severity))
        super().notify(message, severity=severity, **kw)

    @property
    def messages(self) -> list[str]:
        return [message for message, _ in self.told]


def make_app(settings: Settings, pmid: str | None = REVIEW) -> ReaderApp:
    initial = ArticleId(IdKind.PMID, pmid) if pmid else None
    return ReaderApp(settings, initial)


def fixture_record(pmid: str) -> Record:
    """The record as the parser reads the recorded answer (for expected values)."""
    return parse_pubmed((FIXTURES / "pubmed" / f"{pmid}.xml").read_bytes())[0]


def reader(app: PubtermApp) -> ReaderScreen:
    return app.reader


def on_reader(app: PubtermApp) -> bool:
    """True when the reader screen is the one shown (no dialog, palette or prompt on top)."""
    return app.screen is app.reader


def banner(app: PubtermApp) -> StatusBanner:
    return app.reader.query_one("#status", StatusBanner)


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish (failed ones included) and the screen catch up."""
    with contextlib.suppress(WorkerFailed):  # the reader shows failures in its banner
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Keep the app running until ``condition`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


async def loaded(pilot: Pilot[Any], pmid: str) -> Record:
    app = pilot.app
    assert isinstance(app, PubtermApp)
    await wait_for(pilot, lambda: app.reader.record is not None and app.reader.record.pmid == pmid)
    await settle(pilot)
    record = app.reader.record
    assert record is not None
    return record


def browser_command(tmp_path: Path) -> tuple[str, Path]:
    """A BROWSER program that appends the URL it is given to a file, like a real one runs."""
    log = tmp_path / "browser.log"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), log


async def opened_urls(pilot: Pilot[Any], log: Path, count: int = 1) -> list[str]:
    await wait_for(pilot, lambda: log.exists() and len(log.read_text().splitlines()) >= count)
    await settle(pilot)
    return log.read_text().splitlines()


def seed_stale_copy(settings: Settings, pmid: str, days: int) -> None:
    """Put a real recorded answer into the cache as if fetched ``days`` ago."""
    from tui.data.cache import RecordCache

    cache = RecordCache(settings.resolved_cache_dir)
    try:
        xml = (FIXTURES / "pubmed" / f"{pmid}.xml").read_bytes()
        cache.put_record(pmid, xml, datetime.now(UTC) - timedelta(days=days))
    finally:
        cache.close()


def link_references(server: FixtureServer) -> tuple[int, int]:
    """Serve the review with two references pointing at other recorded records.

    Reference 1 gets PMID 38534005; reference 42 (which has a DOI but no PMID) gets the
    DOI of 38534005.  Returns the two 0-based indexes.  The rest of the answer is as
    recorded, so walking into a reference exercises real records over real HTTP.
    """
    xml = (FIXTURES / "pubmed" / f"{REVIEW}.xml").read_bytes()
    review = parse_pubmed(xml)[0]
    target = fixture_record(STRUCTURED)
    assert target.doi
    by_pmid = 0
    by_doi = next(i for i, r in enumerate(review.references) if r.doi and not r.pmid)
    first, doi_ref = review.references[by_pmid], review.references[by_doi]
    assert first.pmid and doi_ref.doi
    xml = xml.replace(
        f'<ArticleId IdType="pubmed">{first.pmid}</ArticleId>'.encode(),
        f'<ArticleId IdType="pubmed">{STRUCTURED}</ArticleId>'.encode(),
        1,
    )
    xml = xml.replace(
        f'<ArticleId IdType="doi">{doi_ref.doi}</ArticleId>'.encode(),
        f'<ArticleId IdType="doi">{target.doi}</ArticleId>'.encode(),
        1,
    )
    server.add_record(REVIEW, xml)
    linked = parse_pubmed(xml)[0]
    assert linked.references[by_pmid].pmid == STRUCTURED
    assert linked.references[by_doi].doi == target.doi
    return by_pmid, by_doi
