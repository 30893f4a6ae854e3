"""Europe PMC and Crossref reference lists: mapping the recorded answers, paging, caching."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.server import FixtureServer
from tui.data.errors import OfflineError, ParseError
from tui.data.fallback import (
    CROSSREF_NAMESPACE,
    EUROPEPMC_NAMESPACE,
    crossref_entries,
    crossref_reference,
    crossref_references,
    europepmc_page,
    europepmc_reference,
    europepmc_references,
)
from tui.data.service import PubMed
from tui.data.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
EPMC = FIXTURES / "europepmc" / "references_MED_28815688.json"
CROSSREF = FIXTURES / "crossref" / "work_10.1093-gji-ggz376.json"


def epmc_entries() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(EPMC.read_bytes())["referenceList"]["reference"]
    return data


def crossref_raw() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(CROSSREF.read_bytes())["message"]["reference"]
    return data


# -- mapping -------------------------------------------------------------------------------


def test_europe_pmc_page_and_entries() -> None:
    hits, entries = europepmc_page(EPMC.read_bytes())
    assert hits == 40 and len(entries) == 5
    refs = [europepmc_reference(e) for e in entries]
    for ref, raw in zip(refs, entries, strict=True):
        assert ref is not None
        assert ref.pmid == raw["id"]  # source MED: the id is a PMID
        assert ref.citation.startswith(raw["authorString"])
        assert raw["title"] in ref.citation and raw["journalAbbreviation"] in ref.citation
        assert f"{raw['pubYear']};{raw['volume']}" in ref.citation
        assert ref.citation.endswith(f":{raw['pageInfo']}.")


def test_europe_pmc_other_sources_and_dois() -> None:
    ref = europepmc_reference(
        {
            "source": "AGR",
            "id": "AGR123",
            "title": "Soil",
            "doi": "https://doi.org/10.1/soil",
            "pubYear": 2001,
        }
    )
    assert ref is not None and ref.pmid is None and ref.doi == "10.1/soil"
    assert ref.citation == "Soil. 2001."
    pmc = europepmc_reference({"source": "PMC", "id": "pmc777", "title": "T"})
    assert pmc is not None and pmc.pmcid == "PMC777" and pmc.pmid is None
    assert europepmc_reference({"source": "MED", "citedOrder": 3}) is None
    assert europepmc_reference({"title": 12.5, "authorString": ["x"]}) is None


def test_crossref_entries_map_to_references() -> None:
    raw = crossref_raw()
    refs = [crossref_reference(e) for e in crossref_entries(CROSSREF.read_bytes())]
    assert len(refs) == len(raw) == 72
    for ref, entry in zip(refs, raw, strict=True):
        assert ref is not None and ref.pmid is None
        assert ref.doi == entry.get("DOI")
        head = f"{entry['author']} ({entry['year']})." if entry["author"] else f"({entry['year']})."
        assert ref.citation.startswith(head)
        title = entry.get("article-title") or entry.get("volume-title")
        assert title in ref.citation
    article = next(
        r
        for r, e in zip(refs, raw, strict=True)
        if "journal-title" in e and "first-page" in e and "issue" in e
    )
    assert article is not None and article.citation.endswith(", 2424.")


def test_crossref_prefers_the_deposited_text() -> None:
    ref = crossref_reference({"unstructured": "Smith J. A paper. J X 2001;1:2.", "author": "Z"})
    assert ref is not None and ref.citation == "Smith J. A paper. J X 2001;1:2."


def test_hostile_text_is_cleaned() -> None:
    ref = crossref_reference({"unstructured": "Nice\x1b[2J title\u202e here", "DOI": "10.1/x"})
    assert ref is not None and ref.citation == "Nice title here"
    epmc = europepmc_reference({"title": "A\u200b\x07 title", "source": "MED", "id": "12"})
    assert epmc is not None and epmc.citation == "A title."


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b"not json",
        b'{"hitCount": "x"}',
        b'{"hitCount": 1, "referenceList": {"reference": 5}}',
    ],
)
def test_bad_europe_pmc_answers(body: bytes) -> None:
    with pytest.raises(ParseError):
        europepmc_page(body)


@pytest.mark.parametrize("body", [b"[]", b'{"status": "ok"}', b'{"message": {"reference": "x"}}'])
def test_bad_crossref_answers(body: bytes) -> None:
    with pytest.raises(ParseError):
        crossref_entries(body)


def test_empty_europe_pmc_answer_has_no_entries() -> None:
    assert europepmc_page(b'{"version": "6.9", "hitCount": 0}') == (0, [])


# -- through the server --------------------------------------------------------------------


async def test_europe_pmc_is_paged_until_the_hit_count(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        refs = await europepmc_references(service, "28815688", page_size=5)
    pages = fixture_server.logged("europepmc")
    assert [r.params["page"] for r in pages] == [str(n) for n in range(1, 9)]  # 40 hits / 5
    assert all(r.params["pageSize"] == "5" for r in pages)
    assert len(refs) == 40


async def test_a_short_page_ends_the_paging(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        refs = await europepmc_references(service, "28815688", page_size=10)
    assert len(fixture_server.logged("europepmc")) == 1 and len(refs) == 5


async def test_lists_are_cached_and_read_offline(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        first = await europepmc_references(service, "28815688")
        works = await crossref_references(service, "10.1093/GJI/ggz376")
        assert service.cache.get_blob(EUROPEPMC_NAMESPACE, "28815688") is not None
        assert service.cache.get_blob(CROSSREF_NAMESPACE, "10.1093/gji/ggz376") is not None
    fixture_server.clear_log()
    async with PubMed(replace(settings, offline=True)) as service:
        assert await europepmc_references(service, "28815688") == first
        assert await crossref_references(service, "10.1093/gji/ggz376") == works
        with pytest.raises(OfflineError):
            await europepmc_references(service, "12345")
    assert fixture_server.requests == []


async def test_an_old_list_stands_in_when_the_refresh_fails(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        first = await europepmc_references(service, "28815688")
        blob = service.cache.get_blob(EUROPEPMC_NAMESPACE, "28815688")
        assert blob is not None
        service.cache.put_blob(
            EUROPEPMC_NAMESPACE, "28815688", blob.data, datetime.now(UTC) - timedelta(days=40)
        )
        fixture_server.add_fault("503", times=100, endpoint="europepmc")
        again = await europepmc_references(service, "28815688")
    assert again == first
    assert len(fixture_server.logged("europepmc")) == 1 + settings.max_attempts


async def test_unknown_doi_is_an_empty_list(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        assert await crossref_references(service, "10.5555/Unknown<>#") == ()
    (asked,) = fixture_server.logged("crossref")
    assert asked.path == "/crossref/works/10.5555/Unknown%3C%3E%23"


async def test_an_unreadable_cached_list_is_fetched_again(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        service.cache.put_blob(EUROPEPMC_NAMESPACE, "28815688", b'{"v": 0, "refs": []}')
        refs = await europepmc_references(service, "28815688")
        assert len(refs) == 5 and len(fixture_server.logged("europepmc")) == 1
        assert await europepmc_references(service, "28815688") == refs
    assert len(fixture_server.logged("europepmc")) == 1
