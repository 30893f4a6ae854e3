"""Prefetch through the real client and the local server: batches, rate, offline, cancel."""

from __future__ import annotations

import asyncio
import math
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from tests.server import FixtureServer, LoggedRequest
from tui.data.bibliography import Bibliography
from tui.data.errors import NotFoundError, OfflineError, UnreachableError
from tui.data.ids import parse_id
from tui.data.model import Record
from tui.data.prefetch import prefetch
from tui.data.service import PubMed
from tui.data.settings import Settings

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"
REVIEW = "32051057"  # 597 references, 509 with a PMID (508 distinct)
TEMPLATE = "38833988"  # a short record without references


def article_set(
    pmids: list[str],
    *,
    template: str = TEMPLATE,
    doi: str | None = None,
    title: str | None = None,
) -> bytes:
    """A PubmedArticleSet of copies of a fixture record under other PMIDs.

    The copies lose the template's DOI (or get ``doi``) and its reference list, so they
    stand for records the fixtures do not hold: a review's references, a record without
    a ReferenceList.
    """
    source = etree.fromstring((PUBMED / f"{template}.xml").read_bytes())
    out = etree.Element("PubmedArticleSet")
    for pmid in pmids:
        art = etree.fromstring(etree.tostring(source.find("PubmedArticle")))  # type: ignore[arg-type]
        art.find("MedlineCitation/PMID").text = pmid  # type: ignore[union-attr]
        for el in art.iter("ArticleId", "ELocationID"):
            kind = el.get("IdType") or el.get("EIdType")
            if kind == "pubmed" and el.getparent().getparent().tag == "PubmedData":  # type: ignore[union-attr]
                el.text = pmid
            elif kind == "doi":
                if doi is None:
                    el.getparent().remove(el)  # type: ignore[union-attr]
                else:
                    el.text = doi
        for refs in art.findall("PubmedData/ReferenceList"):
            refs.getparent().remove(refs)  # type: ignore[union-attr]
        art.find("MedlineCitation/Article/ArticleTitle").text = (  # type: ignore[union-attr]
            title or f"Synthetic record {pmid}"
        )
        out.append(art)
    return etree.tostring(out, xml_declaration=True, encoding="utf-8")


def review_reference_pmids() -> list[str]:
    from tui.data.parse import parse_pubmed

    (record,) = parse_pubmed((PUBMED / f"{REVIEW}.xml").read_bytes())
    return list(dict.fromkeys(r.pmid for r in record.references if r.pmid))


def serve_references(server: FixtureServer) -> list[str]:
    """Make the server know a record for every PMID the review cites; returns them."""
    pmids = review_reference_pmids()
    server.add_record(pmids[0], article_set(pmids))
    return pmids


def max_in_any_second(requests: list[LoggedRequest]) -> int:
    times = sorted(r.time for r in requests)
    return max(
        (sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times)), default=0
    )


async def requests_logged(server: FixtureServer, endpoint: str, count: int) -> None:
    while len(server.logged(endpoint)) < count:
        await asyncio.sleep(0.01)


def offline(settings: Settings) -> Settings:
    return replace(settings, offline=True)


async def test_review_references_prefetch_in_batches_then_read_offline(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmids = serve_references(fixture_server)
    assert len(pmids) == 508
    progress: list[tuple[int, int]] = []
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id(REVIEW))
        refs = [r.pmid for r in record.references if r.pmid]
        fixture_server.clear_log()
        result = await prefetch(service, refs, on_progress=lambda d, t: progress.append((d, t)))
    assert sorted(result.fetched) == sorted(pmids)
    assert result.already_cached == () and dict(result.failed) == {}
    efetches = fixture_server.logged("efetch")
    assert len(efetches) == math.ceil(508 / 200)
    assert [len(r.params["id"].split(",")) for r in efetches] == [200, 200, 108]
    assert progress == [(200, 508), (400, 508), (508, 508)]
    fixture_server.clear_log()
    async with PubMed(offline(settings)) as service:
        outcomes = await service.fetch_many([parse_id(p) for p in (pmids[0], pmids[-1])])
        again = await prefetch(service, pmids)
    assert [o.pmid for o in outcomes if isinstance(o, Record)] == [pmids[0], pmids[-1]]
    assert all(isinstance(o, Record) and o.cached for o in outcomes)
    assert len(again.already_cached) == 508 and again.fetched == ()
    assert fixture_server.requests == []


async def test_resolution_and_prefetch_stay_under_three_requests_a_second(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmids = serve_references(fixture_server)
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id(REVIEW))
        refs = [r.pmid for r in record.references if r.pmid]
        summaries = (await Bibliography(service).summaries(refs)).value
        result = await prefetch(service, refs)
    assert len(summaries) == 508 and len(result.fetched) == 508
    assert sorted(summaries) == sorted(pmids)
    ncbi = [r for r in fixture_server.requests if r.path.startswith("/entrez/")]
    assert len(ncbi) == 1 + 3 + 3  # the record, 3 esummary, 3 efetch batches
    assert max_in_any_second(ncbi) <= 3


def test_max_in_any_second_counts_a_sliding_window() -> None:
    def at(*times: float) -> list[LoggedRequest]:
        return [LoggedRequest(t, "GET", "/x", {}, {}) for t in times]

    assert max_in_any_second(at(0.0, 0.5, 0.9, 1.2, 1.3)) == 4
    assert max_in_any_second(at(0.0, 0.5, 0.9, 1.5, 1.6)) == 3
    assert max_in_any_second([]) == 0


async def test_cancelling_keeps_exactly_the_completed_batches(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmids = serve_references(fixture_server)
    fixture_server.latency = 0.6
    first_batch = asyncio.Event()

    def progress(done: int, total: int) -> None:
        first_batch.set()

    async with PubMed(settings) as service:
        task = asyncio.create_task(prefetch(service, pmids, on_progress=progress))
        await asyncio.wait_for(first_batch.wait(), 10)
        await asyncio.wait_for(requests_logged(fixture_server, "efetch", 2), 10)
        task.cancel()  # the second batch is in flight now
        with pytest.raises(asyncio.CancelledError):
            await task
        stored = [p for p in pmids if service.cache.get_record(p) is not None]
    assert stored == pmids[:200]
    assert len(fixture_server.logged("efetch")) == 2  # the second one was started
    fixture_server.latency = 0.0
    async with PubMed(settings) as service:
        rest = await prefetch(service, pmids)
    assert sorted(rest.already_cached) == sorted(pmids[:200])
    assert sorted(rest.fetched) == sorted(pmids[200:])


async def test_unknown_pmids_fail_as_not_found(settings: Settings) -> None:
    async with PubMed(settings) as service:
        result = await prefetch(service, ["38534005", "99999999", "38534005", "not-a-pmid"])
    assert result.fetched == ("38534005",)
    assert list(result.failed) == ["99999999"]
    assert isinstance(result.failed["99999999"], NotFoundError)
    assert result.exit_code == 3 and result.total == 2


async def test_offline_prefetch_touches_no_network(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    progress: list[tuple[int, int]] = []
    async with PubMed(offline(settings)) as service:
        result = await prefetch(
            service, ["38534005"], on_progress=lambda d, t: progress.append((d, t))
        )
    assert isinstance(result.failed["38534005"], OfflineError)
    assert progress == [(1, 1)] and fixture_server.requests == []


async def test_unreachable_service_ends_the_run_after_one_batch(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmids = serve_references(fixture_server)
    fixture_server.add_fault("drop", times=1000, endpoint="efetch")
    async with PubMed(settings) as service:
        result = await prefetch(service, pmids)
    assert len(result.failed) == 508 and result.fetched == ()
    assert all(isinstance(e, UnreachableError) for e in result.failed.values())
    assert len(fixture_server.logged("efetch")) == settings.max_attempts
    assert result.exit_code == 4


async def test_batch_size_must_be_positive(settings: Settings) -> None:
    async with PubMed(settings) as service:
        with pytest.raises(ValueError):
            await prefetch(service, ["1"], batch=0)
