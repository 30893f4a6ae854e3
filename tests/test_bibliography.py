"""Bibliography through the real client and the local server: summaries, fallbacks, opening."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.server import FixtureServer
from tests.test_prefetch import REVIEW, article_set, review_reference_pmids
from tui.data.bibliography import SUMMARY_NAMESPACE, Bibliography
from tui.data.errors import HttpStatusError, NotFoundError, OfflineError
from tui.data.ids import parse_id
from tui.data.model import Reference
from tui.data.service import PubMed
from tui.data.settings import Settings
from tui.data.summaries import Summary, summary_to_bytes

FIXTURES = Path(__file__).parent / "fixtures"
EPMC_PMID = "28815688"  # Europe PMC's recorded reference list
CROSSREF_DOI = "10.1093/gji/ggz376"  # Crossref's recorded work


def register_summaries(server: FixtureServer, pmids: list[str]) -> None:
    for pmid in pmids:
        server.add_summary(
            pmid,
            title=f"Paper {pmid}",
            authors=[f"Author{pmid} A", "Other B"],
            source="J Test",
            pubdate="2019 Mar",
            pubtypes=["Journal Article"],
        )


# -- summaries -----------------------------------------------------------------------------


async def test_review_references_resolve_in_ceil_n_over_200_requests(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmids = review_reference_pmids()
    register_summaries(fixture_server, pmids)
    batches: list[dict[str, Summary]] = []
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id(REVIEW))
        refs = [r.pmid for r in record.references if r.pmid]
        assert len(refs) == 509 and len(set(refs)) == len(pmids) == 508
        result = await Bibliography(service).summaries(refs, on_batch=batches.append)
        found = result.value
    asked = fixture_server.logged("esummary")
    assert len(asked) == math.ceil(508 / 200)
    assert [len(r.params["id"].split(",")) for r in asked] == [200, 200, 108]
    assert [len(b) for b in batches] == [200, 200, 108]
    assert sorted(found) == sorted(pmids)
    some = pmids[123]
    assert found[some].title == f"Paper {some}" and found[some].first_author == f"Author{some} A"
    assert found[some].year == "2019" and found[some].journal == "J Test"


async def test_cached_summaries_come_first_in_one_batch_then_only_the_rest(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmids = review_reference_pmids()
    register_summaries(fixture_server, pmids)
    async with PubMed(settings) as service:
        bib = Bibliography(service)
        await bib.summaries(pmids[:250])
        fixture_server.clear_log()
        batches: list[dict[str, Summary]] = []
        result = await bib.summaries(pmids, on_batch=batches.append)
        found = result.value
    assert [len(b) for b in batches] == [250, 200, 58]
    assert set(batches[0]) == set(pmids[:250])
    assert len(fixture_server.logged("esummary")) == math.ceil((508 - 250) / 200)
    assert len(found) == 508 and result.problems == ()


async def test_old_summaries_are_refreshed(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_summary("111", title="New title")
    async with PubMed(settings) as service:
        old = Summary("111", "Old title")
        service.cache.put_blob(
            SUMMARY_NAMESPACE, "111", summary_to_bytes(old), datetime.now(UTC) - timedelta(days=31)
        )
        result = await Bibliography(service).summaries(["111"])
        found = result.value
    assert found["111"].title == "New title"
    assert len(fixture_server.logged("esummary")) == 1


async def test_retracted_reference_is_flagged(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_summary(
        "424242",
        title="Withdrawn results",
        authors=["Fake F"],
        pubtypes=["Journal Article", "Retracted Publication"],
    )
    async with PubMed(settings) as service:
        result = await Bibliography(service).summaries(["424242", "38534005"])
        found = result.value
    assert found["424242"].retracted and found["424242"].flags == ("Retracted Publication",)
    assert not found["38534005"].retracted  # a fixture record the server summarises


async def test_unknown_pmids_are_absent_not_errors(settings: Settings) -> None:
    async with PubMed(settings) as service:
        bib = Bibliography(service)
        result = await bib.summaries(["38534005", "99999999", "junk", ""])
        found = result.value
    assert list(found) == ["38534005"] and result.problems == ()


async def test_a_failed_batch_is_reported_and_the_others_still_resolve(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmids = review_reference_pmids()
    register_summaries(fixture_server, pmids)
    fixture_server.add_fault("500", times=settings.max_attempts, endpoint="esummary")
    batches: list[dict[str, Summary]] = []
    async with PubMed(settings) as service:
        bib = Bibliography(service)
        result = await bib.summaries(pmids, on_batch=batches.append)
        found = result.value
    assert [len(b) for b in batches] == [0, 200, 108]
    assert sorted(found) == sorted(pmids[200:])
    assert len(result.problems) == 1 and isinstance(result.problems[0], HttpStatusError)


async def test_offline_summaries_come_from_the_cache_only(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        await Bibliography(service).summaries(["38534005"])
    fixture_server.clear_log()
    async with PubMed(replace(settings, offline=True)) as service:
        bib = Bibliography(service)
        result = await bib.summaries(["38534005", "35856662"])
        found = result.value
    assert list(found) == ["38534005"] and fixture_server.requests == []
    assert len(result.problems) == 1 and isinstance(result.problems[0], OfflineError)


# -- reference lists -----------------------------------------------------------------------


async def test_pubmed_list_needs_no_fallback(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id("35856662"))
        result = await Bibliography(service).references_for(record)
        filled = result.value
    assert filled.references_source == "pubmed" and filled.references == record.references
    assert fixture_server.logged("europepmc") == [] and fixture_server.logged("crossref") == []


async def test_europe_pmc_fills_a_record_without_references(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_record(EPMC_PMID, article_set([EPMC_PMID]))
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id(EPMC_PMID))
        assert record.references == ()
        bib = Bibliography(service)
        result = await bib.references_for(record)
        filled = result.value
        result = await bib.references_for(record)
        again = result.value
    assert filled.references_source == "europepmc" and result.problems == ()
    recorded = json.loads(
        (FIXTURES / "europepmc" / f"references_MED_{EPMC_PMID}.json").read_bytes()
    )["referenceList"]["reference"]
    assert [r.pmid for r in filled.references] == [e["id"] for e in recorded]
    first = filled.references[0]
    assert first.pmid == "21480335"
    assert first.citation.startswith("Ramos E, Kautz L")
    assert "Hepatology. 2011;53(4):1333-1341." in first.citation
    assert again.references == filled.references  # the second time from the cache
    (asked,) = fixture_server.logged("europepmc")
    assert asked.path.endswith(f"/MED/{EPMC_PMID}/references")
    assert asked.params == {"page": "1", "pageSize": "1000", "format": "json"}
    assert fixture_server.logged("crossref") == []
    assert "references_source" not in filled.to_dict()


async def test_crossref_fills_when_europe_pmc_has_nothing(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_record("31000001", article_set(["31000001"], doi=CROSSREF_DOI))
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id("31000001"))
        assert record.doi == CROSSREF_DOI and record.references == ()
        result = await Bibliography(service).references_for(record)
        filled = result.value
    assert filled.references_source == "crossref"
    assert len(filled.references) == 72
    assert sum(1 for r in filled.references if r.doi) == 45
    assert filled.references[0].doi == "10.1093/bioinformatics/btx180"
    assert filled.references[0].citation.startswith("Arganda-Carreras (2017). Trainable weka")
    assert len(fixture_server.logged("europepmc")) == 1
    (asked,) = fixture_server.logged("crossref")
    assert asked.path == "/crossref/works/10.1093/gji/ggz376"
    assert "mailto:test@example.org" in asked.headers["user-agent"]
    assert asked.params.get("mailto") == "test@example.org"


async def test_no_list_anywhere_says_none(settings: Settings) -> None:
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id("38534005"))
        assert record.references == ()
        bib = Bibliography(service)
        result = await bib.references_for(record)
        filled = result.value
    assert filled.references_source == "none" and filled.references == ()
    assert result.problems == ()  # Crossref's 404 only means it has no deposit


async def test_failing_services_do_not_raise(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_record("31000001", article_set(["31000001"], doi=CROSSREF_DOI))
    fixture_server.add_fault("503", times=100, endpoint="europepmc")
    fixture_server.add_fault("drop", times=100, endpoint="crossref")
    async with PubMed(settings) as service:
        record = await service.fetch(parse_id("31000001"))
        bib = Bibliography(service)
        result = await bib.references_for(record)
        filled = result.value
    assert filled.references_source == "none"
    assert [type(e).__name__ for e in result.problems] == ["HttpStatusError", "UnreachableError"]
    assert "Europe PMC" in str(result.problems[0]) and "Crossref" in str(result.problems[1])


# -- opening a reference -------------------------------------------------------------------


async def test_doi_only_reference_opens(settings: Settings, fixture_server: FixtureServer) -> None:
    ref = Reference(citation="Some lab paper.", doi="10.1515/CCLM-2024-0070")
    async with PubMed(settings) as service:
        record = await Bibliography(service).record_for_reference(ref)
    assert record.pmid == "38534005"
    (search,) = fixture_server.logged("esearch")
    assert "10.1515/CCLM-2024-0070" in search.params["term"]


async def test_reference_opens_by_pmid_first(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    ref = Reference(citation="x", pmid="35856662", doi="10.1515/CCLM-2024-0070")
    async with PubMed(settings) as service:
        record = await Bibliography(service).record_for_reference(ref)
    assert record.pmid == "35856662" and fixture_server.logged("esearch") == []


async def test_reference_without_a_pubmed_record_is_not_found(settings: Settings) -> None:
    async with PubMed(settings) as service:
        bib = Bibliography(service)
        with pytest.raises(NotFoundError):
            await bib.record_for_reference(Reference(citation="Only text, no ids."))
        with pytest.raises(NotFoundError):
            await bib.record_for_reference(Reference(citation="x", doi="10.5555/nowhere"))
        opened = await bib.record_for_reference(
            Reference(citation="x", pmid="99999999", doi="10.1515/cclm-2024-0070")
        )
    assert opened.pmid == "38534005"  # the PMID led nowhere, the DOI did
