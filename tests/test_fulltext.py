"""Fetching full text through the real client and the local server: routes, cache, faults."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.server import FixtureServer
from tui.data.errors import ServiceError
from tui.data.fulltext import (
    METADATA_ONLY,
    NAMESPACE,
    NO_PMCID,
    NOT_IN_PMC,
    NoFullText,
    fetch_full_text,
)
from tui.data.fulltext_model import FullText
from tui.data.ids import parse_id
from tui.data.model import Record
from tui.data.service import PubMed
from tui.data.settings import Settings

REVIEW = "PMC12599256-portland-bst-review.xml"  # PMID 41032705, 60 references


@pytest.fixture
def served(fixture_server: FixtureServer) -> dict[str, str]:
    """File name -> PMID of every served JATS article."""
    return {name: a.pmid for name, a in fixture_server.fulltext.enable().items()}


async def full_text_of(settings: Settings, pmid: str) -> tuple[Record, FullText | NoFullText]:
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id(pmid))
        return record, await fetch_full_text(service, record)


async def test_europepmc_answers_first(
    settings: Settings, fixture_server: FixtureServer, served: dict[str, str]
) -> None:
    record, full = await full_text_of(settings, served[REVIEW])
    assert isinstance(full, FullText) and full.source == "europepmc"
    assert full.pmcid == record.pmcid == "PMC12599256"
    assert full.references_source == "pubmed" and len(full.references) == 60
    assert [r.endpoint for r in fixture_server.logged()] == ["efetch", "europepmc"]
    assert fixture_server.logged("europepmc")[0].path.endswith("/PMC12599256/fullTextXML")


async def test_ncbi_efetch_db_pmc_when_europepmc_has_none(
    settings: Settings, fixture_server: FixtureServer, served: dict[str, str]
) -> None:
    fixture_server.fulltext.not_at_europepmc.add("PMC12599256")
    _, full = await full_text_of(settings, served[REVIEW])
    assert isinstance(full, FullText) and full.source == "pmc"
    (pmc,) = [r for r in fixture_server.logged("efetch") if r.params.get("db") == "pmc"]
    assert pmc.params["id"] == "12599256" and pmc.params["tool"] == "pubterm"
    assert pmc.params["email"] == "test@example.org"


async def test_the_recorded_efetch_pmc_answer_is_read(
    settings: Settings, fixture_server: FixtureServer, served: dict[str, str]
) -> None:
    fixture_server.fulltext.not_at_europepmc.add("PMC8435807")
    _, full = await full_text_of(settings, served["efetch-pmc-PMC8435807-correction.xml"])
    assert isinstance(full, FullText) and full.source == "pmc"
    assert full.blocks[0].text.startswith("This article was originally published with an error")
    assert full.license == "CC BY-NC 4.0"


async def test_metadata_only_says_so(
    settings: Settings, fixture_server: FixtureServer, served: dict[str, str]
) -> None:
    fixture_server.fulltext.metadata_only.add("PMC12599256")
    _, full = await full_text_of(settings, served[REVIEW])
    assert isinstance(full, NoFullText) and full.reason == METADATA_ONLY
    assert str(full) == (
        "No open-access full text: PMC has this article's metadata only — o opens the publisher"
    )


async def test_a_record_without_pmcid_has_none(settings: Settings) -> None:
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id("38048813"))
        assert record.pmcid is None
        full = await fetch_full_text(service, record)
    assert isinstance(full, NoFullText) and full.reason == NO_PMCID
    assert "no PMC ID" in full.sentence


async def test_a_pmcid_pmc_does_not_know(
    settings: Settings, fixture_server: FixtureServer, served: dict[str, str]
) -> None:
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id(served[REVIEW]))
        full = await fetch_full_text(service, replace(record, pmcid="PMC1"))
        assert isinstance(full, NoFullText) and full.reason == NOT_IN_PMC
        fixture_server.clear_log()
        assert await fetch_full_text(service, replace(record, pmcid="PMC1")) == full
    assert fixture_server.logged() == []  # the answer was cached


async def test_cached_then_offline_then_stale_if_error(
    settings: Settings, fixture_server: FixtureServer, served: dict[str, str]
) -> None:
    pmid = served[REVIEW]
    _, first = await full_text_of(settings, pmid)
    fixture_server.clear_log()
    _, again = await full_text_of(settings, pmid)
    assert again == first and fixture_server.logged() == []
    _, offline = await full_text_of(replace(settings, offline=True), pmid)
    assert offline == first
    # 31 days later: refetched; when both services fail, the old copy stands in.
    async with PubMed(settings) as service:
        blob = service.cache.get_blob(NAMESPACE, "PMC12599256")
        assert blob is not None and blob.data.startswith(b"europepmc\n")
        old = datetime.now(UTC) - timedelta(days=31)
        service.cache.put_blob(NAMESPACE, "PMC12599256", blob.data, old)
    fixture_server.add_fault("503", times=99, endpoint="europepmc")
    fixture_server.add_fault("503", times=99, endpoint="efetch")
    record = (await full_text_of(replace(settings, offline=True), pmid))[0]
    async with PubMed(settings) as service:
        stale = await fetch_full_text(service, record)
    assert stale == first
    assert len(fixture_server.logged("europepmc")) == settings.max_attempts


async def test_failure_without_a_cached_copy_is_a_service_error(
    settings: Settings, fixture_server: FixtureServer, served: dict[str, str]
) -> None:
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id(served[REVIEW]))
        fixture_server.add_fault("500", times=99, endpoint="europepmc")
        fixture_server.add_fault("500", times=99, endpoint="efetch")
        with pytest.raises(ServiceError):
            await fetch_full_text(service, record)
        assert service.cache.get_blob(NAMESPACE, "PMC12599256") is None


async def test_a_garbled_answer_is_never_cached(
    settings: Settings, fixture_server: FixtureServer, served: dict[str, str]
) -> None:
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id(served[REVIEW]))
        fixture_server.add_fault("truncate", times=99, endpoint="europepmc")
        fixture_server.add_fault("html-200", times=99, endpoint="efetch")
        with pytest.raises(ServiceError):
            await fetch_full_text(service, record)
        assert service.cache.get_blob(NAMESPACE, "PMC12599256") is None


async def test_a_transient_fault_is_retried(
    settings: Settings, fixture_server: FixtureServer, served: dict[str, str]
) -> None:
    fixture_server.add_fault("429", times=1, endpoint="europepmc")
    _, full = await full_text_of(settings, served[REVIEW])
    assert isinstance(full, FullText) and full.source == "europepmc"
    assert len(fixture_server.logged("europepmc")) == 2


async def test_pubmed_without_a_reference_list_uses_the_articles(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    served = fixture_server.fulltext.enable(references=None)
    record, full = await full_text_of(settings, served[REVIEW].pmid)
    assert record.references == ()
    assert isinstance(full, FullText) and full.references_source == "jats"
    assert len(full.references) == 60 and full.unmatched == ()


async def test_the_server_builds_pubmed_records_from_the_front_matter(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    served = fixture_server.fulltext.enable()
    assert len(served) == 27  # every fixture but the publisher's own JATS (no PMC ID)
    stand_ins = [a for a in served.values() if a.stand_in_pmid]
    assert stand_ins and all(len(a.pmid) == 9 and a.pmid.startswith("9") for a in stand_ins)
    async with PubMed(settings) as service:
        for name in (REVIEW, "PMC12389689-mdpi-pharmaceuticals-review.xml"):
            article = served[name]
            record = await service.fetch(parse_id(article.pmid))
            full = await fetch_full_text(service, record)
            assert isinstance(full, FullText)
            assert record.pmcid == article.pmcid and record.title == full.title
            assert len(record.references) == len(full.jats_references)
            assert record.abstract and record.authors
