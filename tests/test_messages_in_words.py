"""Every message a person reads says what happened in words, never an internal name.

Offline, each kind of cached answer says what is missing and for which paper ("Cited by
isn't available offline for 35856662"), and a prefetch says why its failures failed
("243 not cached while offline"), all through the real client and the local server.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.server import FixtureServer
from tui.data.bibliography import Bibliography
from tui.data.errors import BadResponseError, OfflineError
from tui.data.eutils import EutilsClient
from tui.data.fallback import crossref_references, europepmc_references
from tui.data.ids import parse_id
from tui.data.links import cited_by, similar
from tui.data.prefetch import prefetch
from tui.data.service import PubMed
from tui.data.settings import Settings

REVIEW = "35856662"
# What an internal name looks like: cache namespaces, link names, XML element names.
INTERNAL = re.compile(r"[_:]|\brefs-|\blinks-|\bsummary\b|Result\b|ArticleSet")


def offline(settings: Settings) -> Settings:
    return replace(settings, offline=True)


def in_words(message: str) -> str:
    assert not INTERNAL.search(message), message
    return message


async def test_offline_cited_by_and_similar_say_what_is_missing(settings: Settings) -> None:
    async with PubMed(offline(settings)) as service:
        with pytest.raises(OfflineError) as cited:
            await cited_by(service, REVIEW)
        with pytest.raises(OfflineError) as alike:
            await similar(service, REVIEW)
    assert in_words(str(cited.value)) == f"Cited by isn't available offline for {REVIEW}"
    assert in_words(str(alike.value)) == f"Similar articles isn't available offline for {REVIEW}"


async def test_offline_fallback_lists_say_whose_list_is_missing(settings: Settings) -> None:
    async with PubMed(offline(settings)) as service:
        with pytest.raises(OfflineError) as epmc:
            await europepmc_references(service, "28815688")
        with pytest.raises(OfflineError) as crossref:
            await crossref_references(service, "10.1093/GJI/ggz376")
    assert in_words(str(epmc.value)) == (
        "Europe PMC's reference list isn't available offline for 28815688"
    )
    assert in_words(str(crossref.value)) == (
        "Crossref's reference list isn't available offline for 10.1093/GJI/ggz376"
    )


async def test_offline_titles_and_records_say_what_is_missing(settings: Settings) -> None:
    async with PubMed(offline(settings)) as service:
        found = await Bibliography(service).summaries(["38534005", "35856662"])
        (record,) = await service.fetch_many([parse_id("38534005")])
        (doi,) = await service.fetch_many([parse_id("10.1128/aac.00216-22")])
    assert [in_words(str(p)) for p in found.problems] == [
        "Titles aren't available offline for 2 references"
    ]
    assert in_words(str(record)) == "PMID 38534005 isn't available offline"
    assert str(doi) == "DOI 10.1128/aac.00216-22 isn't available offline"


async def test_offline_prefetch_says_why_in_one_sentence(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        await service.fetch(parse_id("38534005"))
    async with PubMed(offline(settings)) as service:
        result = await prefetch(service, ["38534005", "35856662", "38833988"])
    assert in_words(str(result)) == "0 fetched, 1 already cached, 2 not cached while offline"
    assert result.reasons == ((2, "not cached while offline"),)


async def test_prefetch_failures_are_counted_by_reason(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        result = await prefetch(service, ["38534005", "99999999", "99999998"])
    assert str(result) == "1 fetched, 0 already cached, 2 not in PubMed"


async def test_a_document_of_the_wrong_kind_is_named_in_words(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("wrong-xml", endpoint="efetch")
    async with EutilsClient(settings) as client:
        with pytest.raises(BadResponseError) as info:
            await client.efetch(["38909159"])
    assert in_words(str(info.value)) == "NCBI answered with a search result instead of records"
