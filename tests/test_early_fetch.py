"""The reader's first record is fetched on a thread while the reader starts; the reader's
service adopts that fetch instead of asking NCBI again."""

from __future__ import annotations

import asyncio

import pytest

from tests.server import FixtureServer
from tui.data.errors import NotFoundError
from tui.data.eutils import RetryNotice
from tui.data.first import start_first_fetch
from tui.data.ids import parse_id
from tui.data.service import PubMed
from tui.data.settings import Settings


async def test_the_first_fetch_is_adopted_not_repeated(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    aid = parse_id("35856662")
    early = start_first_fetch(settings, aid)
    async with PubMed(settings, early=early) as service:
        record = await service.fetch(aid)
        assert record.pmid == "35856662" and len(record.references) == 258
        assert len(fixture_server.logged("efetch")) == 1
        # Only the first fetch is adopted: a later one reads the cache the thread filled.
        again = await service.fetch(aid)
    assert again.cached and len(fixture_server.logged("efetch")) == 1


async def test_start_returns_once_the_request_is_underway(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.latency = 0.5
    aid = parse_id("10.1128/aac.00216-22")
    loop = asyncio.get_running_loop()
    started = loop.time()
    early = start_first_fetch(settings, aid)
    assert loop.time() - started < 0.5  # it did not wait for the answer
    await asyncio.sleep(0.2)
    assert [r.endpoint for r in fixture_server.logged()] == ["esearch"]
    async with PubMed(settings, early=early) as service:
        record = await service.fetch(aid)
    assert record.pmid == "35856662"
    assert [r.endpoint for r in fixture_server.logged()] == ["esearch", "efetch"]


async def test_errors_and_retry_notices_reach_the_adopter(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("429-retry-after", times=1, endpoint="efetch")
    notices: list[RetryNotice] = []
    first = start_first_fetch(settings, parse_id("38534005"))
    missing = start_first_fetch(settings, parse_id("37909814"))  # efetch's empty answer
    async with PubMed(settings, on_retry=notices.append, early=first) as service:
        record = await service.fetch(parse_id("38534005"))
    async with PubMed(settings, on_retry=notices.append, early=missing) as service:
        with pytest.raises(NotFoundError):
            await service.fetch(parse_id("37909814"))
    assert record.pmid == "38534005"
    assert len(notices) == 1 and "Rate limited" in notices[0].reason


async def test_a_refresh_or_another_id_fetches_afresh(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    aid = parse_id("38534005")
    early = start_first_fetch(settings, aid)
    await asyncio.wrap_future(early._future)
    async with PubMed(settings, early=early) as service:
        await service.fetch(aid, refresh=True)  # a refresh never adopts
        await service.fetch(aid, refresh=True)  # and the chance is used up
    assert len(fixture_server.logged("efetch")) == 3
    other = start_first_fetch(settings, parse_id("35856662"))
    await asyncio.wrap_future(other._future)
    async with PubMed(settings, early=other) as service:
        await service.fetch(aid)  # another ID: read from the cache as usual
    assert len(fixture_server.logged("efetch")) == 4


async def test_a_record_read_again_in_a_session_is_not_parsed_again(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.data.records as service_module

    calls: list[int] = []
    real = service_module.parse_pubmed

    def counting(xml: bytes) -> list[object]:
        calls.append(len(xml))
        return real(xml)  # type: ignore[return-value]

    monkeypatch.setattr(service_module, "parse_pubmed", counting)
    aid = parse_id("32051057")
    async with PubMed(settings) as service:
        first = await service.fetch(aid)
        again = await service.fetch(aid)
    assert len(calls) == 1
    assert again.cached and not first.cached
    assert again.references == first.references
    async with PubMed(settings) as other:  # a new session parses its own copy
        await other.fetch(aid)
    assert len(calls) == 2


async def test_a_cached_doi_is_read_without_the_network(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    doi = parse_id("10.1128/aac.00216-22")
    async with PubMed(settings) as service:
        await service.fetch(doi)  # caches the DOI's PMID and the record
    fixture_server.clear_log()
    early = start_first_fetch(settings, doi)
    async with PubMed(settings, early=early) as service:
        record = await service.fetch(doi)
    assert record.pmid == "35856662" and record.cached
    assert fixture_server.logged() == []
