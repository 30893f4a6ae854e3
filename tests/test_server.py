"""The fixture server answers like the real services, and misbehaves on request."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from lxml import etree

from tests.server import FIXTURES, FixtureServer
from tui.data.settings import ENVIRONMENT

PUBMED = FIXTURES / "pubmed"


def pmids_in(xml: bytes) -> list[str]:
    return [
        a.findtext("./MedlineCitation/PMID") or a.findtext("./BookDocument/PMID") or ""
        for a in etree.fromstring(xml)
    ]


def fixture_article(pmid: str) -> etree._Element:
    (article,) = etree.parse(str(PUBMED / f"{pmid}.xml")).getroot()
    return article


def efetch(server: FixtureServer, ids: str, **kw: str) -> httpx.Response:
    return httpx.get(
        server.eutils_url + "efetch.fcgi",
        params={"db": "pubmed", "id": ids, "retmode": "xml", **kw},
    )


def test_efetch_answers_in_requested_order(fixture_server: FixtureServer) -> None:
    answer = efetch(fixture_server, "38909159,99999999,20301577,32051057")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/xml")
    assert pmids_in(answer.content) == ["38909159", "20301577", "32051057"]
    single = etree.fromstring(efetch(fixture_server, "38909159").content)[0]
    expected = etree.tostring(fixture_article("38909159"), with_tail=False)
    assert etree.tostring(single, with_tail=False) == expected


def test_efetch_unknown_ids_give_an_empty_set(fixture_server: FixtureServer) -> None:
    root = etree.fromstring(efetch(fixture_server, "99999999,37909814").content)
    assert root.tag == "PubmedArticleSet" and len(root) == 0


def test_efetch_by_post_and_the_two_article_set(fixture_server: FixtureServer) -> None:
    both = pmids_in((PUBMED / "set-two-articles.xml").read_bytes())
    assert len(both) == 2
    answer = httpx.post(
        fixture_server.eutils_url + "efetch.fcgi",
        data={"db": "pubmed", "id": ",".join(reversed(both))},
    )
    assert pmids_in(answer.content) == list(reversed(both))
    (logged,) = fixture_server.logged("efetch")
    assert logged.method == "POST" and logged.params["id"] == ",".join(reversed(both))


def test_add_record(fixture_server: FixtureServer) -> None:
    xml = (PUBMED / "38909159.xml").read_bytes().replace(b">38909159<", b">11111111<")
    fixture_server.add_record("11111111", xml)
    assert pmids_in(efetch(fixture_server, "11111111").content) == ["11111111"]
    with pytest.raises(ValueError):
        fixture_server.add_record("22222222", xml)


def esearch_ids(server: FixtureServer, term: str) -> tuple[str, list[str]]:
    root = etree.fromstring(
        httpx.get(server.eutils_url + "esearch.fcgi", params={"db": "pubmed", "term": term}).content
    )
    assert root.tag == "eSearchResult"
    return root.findtext("Count") or "", root.xpath("IdList/Id/text()")


def test_esearch_by_doi_pmcid_and_pmid(fixture_server: FixtureServer) -> None:
    article = fixture_article("38909159")
    doi = article.findtext("./PubmedData/ArticleIdList/ArticleId[@IdType='doi']")
    pmc = article.findtext("./PubmedData/ArticleIdList/ArticleId[@IdType='pmc']")
    assert doi and pmc
    assert esearch_ids(fixture_server, f"{doi.upper()}[doi]") == ("1", ["38909159"])
    assert esearch_ids(fixture_server, f'"{doi}"[doi]') == ("1", ["38909159"])
    assert esearch_ids(fixture_server, f"{pmc}[pmc]") == ("1", ["38909159"])
    assert esearch_ids(fixture_server, f"{pmc}[pmcid]") == ("1", ["38909159"])
    assert esearch_ids(fixture_server, "38909159") == ("1", ["38909159"])
    assert esearch_ids(fixture_server, "10.9999/nothing[doi]") == ("0", [])
    assert esearch_ids(fixture_server, "99999999") == ("0", [])
    # a DOI found only among the references is no match
    ref_doi = article.findtext(".//ReferenceList//ArticleId[@IdType='doi']")
    if ref_doi:
        assert esearch_ids(fixture_server, f"{ref_doi}[doi]") == ("0", [])


def items(docsum: etree._Element, name: str) -> list[str]:
    return [i.text or "" for i in docsum.iterfind(f".//Item[@Name='{name}']")]


def test_esummary_follows_the_records(fixture_server: FixtureServer) -> None:
    answer = httpx.get(
        fixture_server.eutils_url + "esummary.fcgi",
        params={"db": "pubmed", "id": "36598232,99999999"},
    )
    root = etree.fromstring(answer.content)
    assert root.tag == "eSummaryResult"
    (docsum,) = root.findall("DocSum")
    art = fixture_article("36598232").find("./MedlineCitation/Article")
    assert docsum.findtext("Id") == "36598232"
    assert items(docsum, "Title") == ["".join(art.find("ArticleTitle").itertext()).strip()]
    assert items(docsum, "FullJournalName") == [art.findtext("./Journal/Title")]
    assert items(docsum, "PubType") == art.xpath("./PublicationTypeList/PublicationType/text()")
    first = art.find("./AuthorList/Author")
    assert (
        items(docsum, "Author")[0] == f"{first.findtext('LastName')} {first.findtext('Initials')}"
    )
    assert items(docsum, "Volume") == [art.findtext("./Journal/JournalIssue/Volume")]
    doi = fixture_article("36598232").findtext(".//PubmedData//ArticleId[@IdType='doi']")
    assert items(docsum, "doi") == [doi]
    assert "99999999" in (root.findtext("ERROR") or "")


def test_esummary_extra_summaries_by_post(fixture_server: FixtureServer) -> None:
    fixture_server.add_summary(
        "123", title="A made-up review", pubtypes=["Review"], doi="10.1/made-up"
    )
    answer = httpx.post(
        fixture_server.eutils_url + "esummary.fcgi", data={"db": "pubmed", "id": "123"}
    )
    (docsum,) = etree.fromstring(answer.content).findall("DocSum")
    assert items(docsum, "Title") == ["A made-up review"]
    assert items(docsum, "PubType") == ["Review"]
    assert items(docsum, "doi") == ["10.1/made-up"]


def test_elink(fixture_server: FixtureServer) -> None:
    def elink(pmid: str) -> dict[str, object]:
        answer = httpx.get(
            fixture_server.eutils_url + "elink.fcgi",
            params={
                "dbfrom": "pubmed",
                "id": pmid,
                "linkname": "pubmed_pubmed_citedin",
                "retmode": "json",
            },
        )
        result: dict[str, object] = answer.json()
        return result

    recorded = json.loads((FIXTURES / "eutils" / "elink_citedin_28495875.json").read_bytes())
    cited = elink("28495875")
    assert cited["linksets"][0]["linksetdbs"] == recorded["linksets"][0]["linksetdbs"]  # type: ignore[index]
    assert elink("38909159")["linksets"] == [{"dbfrom": "pubmed", "ids": ["38909159"]}]
    fixture_server.add_links("38909159", "pubmed_pubmed_citedin", ["1", "2"])
    (linkset,) = elink("38909159")["linksets"]  # type: ignore[misc]
    assert linkset["linksetdbs"][0]["links"] == ["1", "2"]


def test_europepmc_and_crossref(fixture_server: FixtureServer) -> None:
    refs = httpx.get(
        fixture_server.europepmc_url + "MED/28815688/references",
        params={"page": "1", "pageSize": "25", "format": "json"},
    )
    recorded = (FIXTURES / "europepmc" / "references_MED_28815688.json").read_bytes()
    assert refs.json() == json.loads(recorded)
    none = httpx.get(fixture_server.europepmc_url + "MED/1/references").json()
    assert none["hitCount"] == 0
    work = httpx.get(fixture_server.crossref_url + "works/10.1093/GJI/ggz376")
    assert work.status_code == 200 and work.json()["message-type"] == "work"
    missing = httpx.get(fixture_server.crossref_url + "works/10.1/none")
    assert (missing.status_code, missing.text) == (404, "Resource not found.")
    assert httpx.get(fixture_server.url + "elsewhere").status_code == 404


def test_request_log(fixture_server: FixtureServer) -> None:
    fixture_server.add_fault("503")
    efetch(fixture_server, "1", tool="pubterm")
    httpx.post(
        fixture_server.eutils_url + "esummary.fcgi",
        data={"id": "2"},
        headers={"User-Agent": "probe/1"},
    )
    first, second = fixture_server.requests
    assert (first.method, first.path, first.endpoint) == (
        "GET",
        "/entrez/eutils/efetch.fcgi",
        "efetch",
    )
    assert first.params["tool"] == "pubterm"
    assert second.params == {"id": "2"} and second.headers["user-agent"] == "probe/1"
    assert first.time <= second.time
    fixture_server.clear_log()
    assert fixture_server.requests == []


def test_faults_follow_endpoint_and_count(fixture_server: FixtureServer) -> None:
    fixture_server.add_fault("503", times=2, endpoint="esummary")
    assert efetch(fixture_server, "38909159").status_code == 200
    statuses = [
        httpx.get(
            fixture_server.eutils_url + "esummary.fcgi", params={"id": "38909159"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [503, 503, 200]
    with pytest.raises(ValueError):
        fixture_server.add_fault("teapot")


@pytest.mark.parametrize(
    ("kind", "status", "ctype"),
    [
        ("429", 429, "application/json"),
        ("429-retry-after", 429, "application/json"),
        ("rate-json", 200, "application/json"),
        ("500", 500, "text/html"),
        ("502", 502, "text/html"),
        ("503", 503, "text/html"),
        ("html-200", 200, "text/html"),
        ("empty-set", 200, "text/xml"),
        ("wrong-xml", 200, "text/xml"),
    ],
)
def test_answering_faults(
    fixture_server: FixtureServer, kind: str, status: int, ctype: str
) -> None:
    fixture_server.add_fault(kind)
    answer = efetch(fixture_server, "38909159")
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith(ctype)
    assert answer.headers.get("retry-after") == ("1" if kind == "429-retry-after" else None)
    if ctype == "application/json":
        assert answer.json()["error"] == "API rate limit exceeded"
    if ctype == "text/html":
        assert answer.text.lstrip().lower().startswith("<!doctype html")
    if kind == "empty-set":
        assert etree.fromstring(answer.content).tag == "PubmedArticleSet"
        assert pmids_in(answer.content) == []
    if kind == "wrong-xml":
        assert etree.fromstring(answer.content).tag == "eSearchResult"
    assert efetch(fixture_server, "38909159").status_code == 200  # consumed


@pytest.mark.parametrize("kind", ["drop", "truncate"])
def test_broken_connections(fixture_server: FixtureServer, kind: str) -> None:
    fixture_server.add_fault(kind)
    with pytest.raises(httpx.RemoteProtocolError):
        efetch(fixture_server, "38909159")
    assert len(fixture_server.requests) == 1


def test_truncated_without_length(fixture_server: FixtureServer) -> None:
    whole = efetch(fixture_server, "38909159").content
    fixture_server.add_fault("truncate-nolength")
    half = efetch(fixture_server, "38909159")
    assert half.status_code == 200 and "content-length" not in half.headers
    assert half.content == whole[: len(whole) // 2]


def test_stall_and_latency(fixture_server: FixtureServer) -> None:
    fixture_server.stall_seconds = 0.6
    fixture_server.add_fault("stall")
    started = time.monotonic()
    assert efetch(fixture_server, "38909159").status_code == 200
    assert time.monotonic() - started >= 0.6
    with pytest.raises(httpx.ReadTimeout):  # a short client timeout gives up first
        fixture_server.add_fault("stall")
        httpx.get(fixture_server.eutils_url + "efetch.fcgi", params={"id": "1"}, timeout=0.2)
    fixture_server.latency = 0.3
    started = time.monotonic()
    efetch(fixture_server, "38909159")
    assert time.monotonic() - started >= 0.3


def test_standalone_mode_prints_urls_and_serves() -> None:
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.server", "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip() for _ in range(3)]
        assert all(line.startswith("export ") for line in lines)
        urls = dict(line.removeprefix("export ").split("=", 1) for line in lines)
        assert set(urls) == {"PUBTERM_EUTILS_URL", "PUBTERM_EUROPEPMC_URL", "PUBTERM_CROSSREF_URL"}
        # the names pubterm reads (tui/data/settings.py), so pasting the lines works
        assert set(urls) == {
            ENVIRONMENT[k] for k in ("eutils_url", "europepmc_url", "crossref_url")
        }
        answer = httpx.get(urls["PUBTERM_EUTILS_URL"] + "efetch.fcgi", params={"id": "38909159"})
        assert pmids_in(answer.content) == ["38909159"]
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
