"""Cited-by and similar articles through the real client and the local server."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.server import FixtureServer
from tui.data.bibliography import Bibliography
from tui.data.errors import OfflineError, ParseError
from tui.data.links import CITED_BY, SIMILAR, cited_by, parse_elink, similar
from tui.data.service import PubMed
from tui.data.settings import Settings

CITEDIN = Path(__file__).parent / "fixtures" / "eutils" / "elink_citedin_28495875.json"


def recorded_citers() -> list[str]:
    data = json.loads(CITEDIN.read_bytes())
    return [str(p) for p in data["linksets"][0]["linksetdbs"][0]["links"]]


async def test_cited_by_then_resolved_in_batches(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    known = recorded_citers()[::100]
    for pmid in known:
        fixture_server.add_summary(pmid, title=f"Citing paper {pmid}")
    async with PubMed(settings) as service:
        citers = await cited_by(service, "28495875")
        again = await cited_by(service, "28495875")
        summaries = (await Bibliography(service).summaries(citers)).value
    assert citers == recorded_citers() and len(citers) == 305
    assert again == citers
    (asked,) = fixture_server.logged("elink")  # the second list came from the cache
    assert asked.params["linkname"] == CITED_BY and asked.params["retmode"] == "json"
    assert asked.params["id"] == "28495875" and asked.params["dbfrom"] == "pubmed"
    assert len(fixture_server.logged("esummary")) == math.ceil(305 / 200)
    # The server has summaries only for these; the other PMIDs are simply absent.
    assert sorted(summaries) == sorted(known) and len(known) == 4
    assert summaries[known[0]].title == f"Citing paper {known[0]}"


async def test_similar_drops_the_article_itself(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_links("35856662", SIMILAR, ["35856662", "38534005", "36598232", "38534005"])
    async with PubMed(settings) as service:
        found = await similar(service, "35856662")
        titles = (await Bibliography(service).summaries(found)).value
    assert found == ["38534005", "36598232"]
    assert set(titles) == {"38534005", "36598232"} and all(s.title for s in titles.values())
    assert fixture_server.logged("elink")[0].params["linkname"] == SIMILAR


async def test_no_links_is_an_empty_list(settings: Settings) -> None:
    async with PubMed(settings) as service:
        assert await cited_by(service, "38534005") == []


async def test_offline_links_come_from_the_cache(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        citers = await cited_by(service, "28495875")
    fixture_server.clear_log()
    async with PubMed(replace(settings, offline=True)) as service:
        assert await cited_by(service, "28495875") == citers
        with pytest.raises(OfflineError):
            await similar(service, "28495875")
    assert fixture_server.requests == []


async def test_old_list_is_refreshed_and_kept_when_the_refresh_fails(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        stored = json.dumps({"v": 1, "links": ["1", "2"]}).encode()
        old = datetime.now(UTC) - timedelta(days=8)
        service.cache.put_blob(f"links-{CITED_BY}", "28495875", stored, old)
        fixture_server.add_fault("503", times=settings.max_attempts, endpoint="elink")
        assert await cited_by(service, "28495875") == ["1", "2"]
        assert len(await cited_by(service, "28495875")) == 305


async def test_not_a_pmid_is_refused(settings: Settings) -> None:
    async with PubMed(settings) as service:
        with pytest.raises(ValueError):
            await cited_by(service, "10.1/x")


def test_parse_elink_shapes() -> None:
    def body(linksets: object) -> bytes:
        return json.dumps({"header": {"type": "elink"}, "linksets": linksets}).encode()

    assert parse_elink(body([{"dbfrom": "pubmed", "ids": ["1"]}]), "1", CITED_BY) == []
    mixed = [
        {
            "linksetdbs": [
                {"linkname": SIMILAR, "links": ["9"]},
                {"linkname": CITED_BY, "links": [5, "6", {"id": "7"}, "x", None, "5", "1"]},
            ]
        }
    ]
    assert parse_elink(body(mixed), "1", CITED_BY) == ["5", "6", "7"]
    assert parse_elink(body([]), "1", CITED_BY) == []
    with pytest.raises(ParseError):
        parse_elink(b"<html>", "1", CITED_BY)
    with pytest.raises(ParseError):
        parse_elink(b'{"ERROR": "Invalid id"}', "1", CITED_BY)
    with pytest.raises(ParseError):
        parse_elink(b'{"linksets": 3}', "1", CITED_BY)
    with pytest.raises(ParseError):
        parse_elink(b"[1, 2]", "1", CITED_BY)


async def test_damaged_cached_list_is_fetched_again(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    async with PubMed(settings) as service:
        service.cache.put_blob(f"links-{CITED_BY}", "28495875", b"\x00 not json")
        assert len(await cited_by(service, "28495875")) == 305
    assert len(fixture_server.logged("elink")) == 1
