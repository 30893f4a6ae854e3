"""The record service through the real client and the local server: what both front ends see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.server import FixtureServer
from tui.data.cache import RecordCache
from tui.data.errors import NotFoundError, OfflineError, RateLimitedError
from tui.data.eutils import RetryNotice
from tui.data.ids import parse_id
from tui.data.model import Record
from tui.data.service import PubMed, age_in_words
from tui.data.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "pubmed"


async def test_fetch_sets_cached_and_fetched(settings: Settings) -> None:
    async with PubMed(settings) as service:
        first = await service.fetch(parse_id("38534005"))
        second = await service.fetch(parse_id("38534005"))
    assert first.cached is False and second.cached is True
    assert first.fetched is not None and second.fetched == first.fetched
    assert first.to_dict() | {"cached": True} == second.to_dict()


async def test_retry_notices_reach_the_caller(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    notices: list[RetryNotice] = []
    fixture_server.add_fault("429-retry-after", times=1, endpoint="efetch")
    async with PubMed(settings, on_retry=notices.append) as service:
        record = await service.fetch(parse_id("38534005"))
    assert record.pmid == "38534005"
    assert len(notices) == 1 and "Rate limited" in notices[0].reason
    assert notices[0].wait == pytest.approx(1.0, abs=0.01)


async def test_rate_limit_that_persists_raises_rate_limited(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("rate-json", times=50, endpoint="efetch")
    async with PubMed(settings) as service:
        with pytest.raises(RateLimitedError):
            await service.fetch(parse_id("38534005"))


async def test_doi_resolves_and_a_mismatch_is_refused(settings: Settings) -> None:
    async with PubMed(settings) as service:
        aid = parse_id("10.1515/CCLM-2024-0070")
        assert await service.resolve(aid) == "38534005"
        outcomes = await service.fetch_many([aid, parse_id("10.5555/none")])
        assert isinstance(outcomes[0], Record) and outcomes[0].pmid == "38534005"
        assert isinstance(outcomes[1], NotFoundError)
        # esearch can answer with a record that carries another DOI: it is refused.
        other = await service.fetch(parse_id("35856662"))
        refused = service._check_alias(aid, other)
        assert isinstance(refused, NotFoundError)
        assert service.cache.get_alias("doi", aid.key) == "38534005"


async def test_fetch_many_mixes_records_and_errors_in_order(settings: Settings) -> None:
    ids = [parse_id(x) for x in ("38534005", "99999999", "35856662", "38534005")]
    async with PubMed(settings) as service:
        outcomes = await service.fetch_many(ids)
    assert isinstance(outcomes[0], Record) and outcomes[0].pmid == "38534005"
    assert isinstance(outcomes[1], NotFoundError)
    assert isinstance(outcomes[2], Record) and outcomes[2].pmid == "35856662"
    assert isinstance(outcomes[3], Record) and outcomes[3].pmid == "38534005"


async def test_offline_uses_only_the_cache(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        await service.fetch(parse_id("38534005"))
    fixture_server.clear_log()
    offline = _replace(settings, offline=True)
    async with PubMed(offline) as service:
        old = await service.fetch(parse_id("38534005"))
        with pytest.raises(OfflineError):
            await service.fetch(parse_id("35856662"))
    assert old.cached and fixture_server.requests == []


async def test_expired_copy_is_refreshed(settings: Settings, fixture_server: FixtureServer) -> None:
    cache = RecordCache(settings.resolved_cache_dir)
    cache.put_record(
        "38534005", (FIXTURES / "38534005.xml").read_bytes(), datetime.now(UTC) - timedelta(days=31)
    )
    cache.close()
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id("38534005"))
    assert record.cached is False and record.stale is None
    assert len(fixture_server.logged("efetch")) == 1


async def test_unparseable_answer_is_never_cached(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("wrong-xml", times=50, endpoint="efetch")
    async with PubMed(settings) as service:
        with pytest.raises(Exception) as info:
            await service.fetch(parse_id("38534005"))
        assert getattr(info.value, "exit_code", None) == 4
        assert service.cache.get_record("38534005") is None


def test_age_in_words() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert age_in_words(now - timedelta(days=41), now) == "41 days ago"
    assert age_in_words(now - timedelta(days=1, hours=2), now) == "yesterday"
    assert age_in_words(now - timedelta(hours=3), now) == "3 hours ago"
    assert age_in_words(now - timedelta(minutes=3), now) == "less than an hour ago"


def _replace(settings: Settings, **changes: object) -> Settings:
    from dataclasses import replace

    return replace(settings, **changes)  # type: ignore[arg-type]


def test_only_the_service_reaches_its_client_cache_and_settings() -> None:
    """Every other module asks the service (one door), so the freshness rule, the rate
    limit and the retries cannot be gone around."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "tui"
    parts = {"client", "cache", "settings", "_client", "_cache"}
    reached: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if path == root / "data" / "service.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Attribute) and node.attr in parts):
                continue
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name in ("service", "_service", "pubmed"):
                reached.append(f"{path.relative_to(root)}:{node.lineno} {name}.{node.attr}")
    assert reached == []
