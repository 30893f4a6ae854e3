"""The E-utilities client against the local fixture server, over real HTTP."""

from __future__ import annotations

import json
import socket
import ssl
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from lxml import etree

from tests.server import FIXTURES, FixtureServer
from tui.data.errors import (
    BadResponseError,
    HttpStatusError,
    RateLimitedError,
    ServiceError,
    UnreachableError,
)
from tui.data.eutils import EutilsClient, RetryNotice, _retry_after, _transport_reason
from tui.data.settings import Settings

KEY = "sEcReT-kEy-0123456789"


def pmids_in(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    return [
        a.findtext("./MedlineCitation/PMID") or a.findtext("./BookDocument/PMID") or ""
        for a in root
    ]


def fixture_pmids() -> list[str]:
    return sorted(
        p.stem for p in (FIXTURES / "pubmed").glob("[0-9]*.xml") if pmids_in(p.read_bytes())
    )


@pytest.fixture
def keyed(settings: Settings) -> Settings:
    """With an API key: 10 requests a second, so retry tests do not wait on the limiter."""
    return replace(settings, api_key=KEY)


async def test_efetch_returns_the_requested_articles_in_order(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    wanted = fixture_pmids()[:3][::-1]
    async with EutilsClient(settings) as client:
        xml = await client.efetch([*wanted, "1"])
    assert pmids_in(xml) == wanted
    (req,) = fixture_server.logged("efetch")
    assert req.method == "GET"
    assert req.params["db"] == "pubmed" and req.params["retmode"] == "xml"
    assert req.params["id"] == ",".join([*wanted, "1"])
    assert req.params["tool"] == "pubterm"
    assert req.params["email"] == "test@example.org"
    assert "api_key" not in req.params
    assert req.headers["user-agent"].startswith("pubterm/")
    assert "mailto:test@example.org" in req.headers["user-agent"]


async def test_api_key_goes_to_ncbi_only(keyed: Settings, fixture_server: FixtureServer) -> None:
    async with EutilsClient(keyed) as client:
        await client.esearch("38909159")
        await client.get_json(
            keyed.europepmc_url + "MED/28815688/references",
            {"page": "1", "pageSize": "25", "format": "json"},
        )
        await client.get_json(keyed.crossref_url + "works/10.1093/gji/ggz376")
    by_endpoint = {r.endpoint: r for r in fixture_server.logged()}
    assert by_endpoint["esearch"].params["api_key"] == KEY
    for other in ("europepmc", "crossref"):
        assert "api_key" not in by_endpoint[other].params
        assert "email" not in by_endpoint[other].params


async def test_more_than_200_ids_are_posted(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    known = fixture_pmids()
    many = [*known, *(str(40_000_000 + i) for i in range(201 - len(known)))]
    async with EutilsClient(settings) as client:
        xml = await client.efetch(many)
        few = await client.efetch(many[:200])
        summaries = await client.esummary(many)
    assert sorted(pmids_in(xml)) == known
    assert sorted(pmids_in(few)) == known
    fetches = fixture_server.logged("efetch")
    assert [r.method for r in fetches] == ["POST", "GET"]
    assert fetches[0].params["id"].split(",") == many
    assert fetches[0].params["tool"] == "pubterm"
    (summary_req,) = fixture_server.logged("esummary")
    assert summary_req.method == "POST"
    ids = etree.fromstring(summaries).xpath("/eSummaryResult/DocSum/Id/text()")
    assert sorted(ids) == known


async def test_esearch_and_elink(settings: Settings, fixture_server: FixtureServer) -> None:
    async with EutilsClient(settings) as client:
        found = await client.esearch("38909159", retmax=5)
        links = json.loads(await client.elink("28495875", "pubmed_pubmed_citedin"))
    assert etree.fromstring(found).xpath("/eSearchResult/IdList/Id/text()") == ["38909159"]
    expected = json.loads((FIXTURES / "eutils" / "elink_citedin_28495875.json").read_bytes())
    assert links["linksets"][0]["linksetdbs"] == expected["linksets"][0]["linksetdbs"]
    search, link = fixture_server.logged()
    assert search.params["retmax"] == "5" and search.params["term"] == "38909159"
    assert link.params["retmode"] == "json"
    assert link.params["linkname"] == "pubmed_pubmed_citedin"
    assert link.params["dbfrom"] == "pubmed" and link.params["tool"] == "pubterm"


RECOVERABLE = {
    "429": "Rate limited by NCBI",
    "rate-json": "Rate limited by NCBI",
    "500": "NCBI answered 500",
    "502": "NCBI answered 502",
    "503": "NCBI answered 503",
    "drop": "Connection dropped",
    "truncate": "Answer cut short",
    "truncate-nolength": "Answer cut short",
    "html-200": "NCBI answered with an error page",
}


@pytest.mark.parametrize("kind", sorted(RECOVERABLE))
async def test_transient_faults_are_retried_until_success(
    kind: str, keyed: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault(kind, times=keyed.max_attempts - 1, endpoint="efetch")
    notices: list[RetryNotice] = []
    async with EutilsClient(keyed, on_retry=notices.append) as client:
        xml = await client.efetch(["38909159"])
    assert pmids_in(xml) == ["38909159"]
    assert len(fixture_server.logged("efetch")) == keyed.max_attempts
    assert [n.attempt for n in notices] == list(range(1, keyed.max_attempts))
    assert {n.reason for n in notices} == {RECOVERABLE[kind]}
    assert all(n.max_attempts == keyed.max_attempts for n in notices)
    assert all(0 <= n.wait <= keyed.backoff_max for n in notices)


PERSISTENT = {
    "429": (RateLimitedError, "NCBI E-utilities kept refusing requests as too many"),
    "rate-json": (RateLimitedError, "NCBI kept refusing requests as too many"),
    "500": (HttpStatusError, "NCBI E-utilities answered 500 Internal Server Error"),
    "502": (HttpStatusError, "NCBI E-utilities answered 502 Bad Gateway"),
    "503": (HttpStatusError, "NCBI E-utilities answered 503 Service Unavailable"),
    "drop": (UnreachableError, "PubMed unreachable: the connection was dropped"),
    "truncate": (UnreachableError, "PubMed unreachable: the connection closed before"),
    "truncate-nolength": (UnreachableError, "PubMed unreachable: the connection closed before"),
    "html-200": (BadResponseError, "NCBI answered with an HTML page instead of XML"),
}


@pytest.mark.parametrize("kind", sorted(PERSISTENT))
async def test_persistent_faults_end_in_the_project_error(
    kind: str, keyed: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault(kind, times=keyed.max_attempts, endpoint="efetch")
    notices: list[RetryNotice] = []
    error, message = PERSISTENT[kind]
    async with EutilsClient(keyed, on_retry=notices.append) as client:
        with pytest.raises(error) as caught:
            await client.efetch(["38909159"])
    assert str(caught.value).startswith(message)
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert len(fixture_server.logged("efetch")) == keyed.max_attempts
    assert len(notices) == keyed.max_attempts - 1
    if error is HttpStatusError:
        assert caught.value.status == int(kind)  # type: ignore[attr-defined]


async def test_rate_limit_error_keeps_retry_after(
    keyed: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("429-retry-after", times=2, endpoint="esummary")
    async with EutilsClient(replace(keyed, max_attempts=2)) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.esummary(["38909159"])
    assert caught.value.retry_after == 1.0


async def test_service_urls_without_trailing_slash(
    keyed: Settings, fixture_server: FixtureServer
) -> None:
    bare = replace(keyed, eutils_url=keyed.eutils_url.rstrip("/"))
    async with EutilsClient(bare) as client:
        assert pmids_in(await client.efetch(["38909159"])) == ["38909159"]
    assert fixture_server.logged("efetch")[0].params["api_key"] == KEY


async def test_retry_after_is_honoured(keyed: Settings, fixture_server: FixtureServer) -> None:
    fixture_server.add_fault("429-retry-after", endpoint="esearch")
    notices: list[RetryNotice] = []
    async with EutilsClient(keyed, on_retry=notices.append) as client:
        await client.esearch("38909159")
    first, second = fixture_server.logged("esearch")
    assert [n.wait for n in notices] == [1.0]
    assert str(notices[0]) == "Rate limited by NCBI, retrying in 1 s"
    assert second.time - first.time >= 0.95


async def test_a_stall_longer_than_the_timeout_is_retried(
    keyed: Settings, fixture_server: FixtureServer
) -> None:
    # A long stall and a client timeout far below it, both well above what an answer
    # takes on a loaded machine: the client gives up on each stall and never waits it out.
    fixture_server.stall_seconds = 6.0
    fast = replace(keyed, timeout=1.0, max_attempts=2)
    fixture_server.add_fault("stall", endpoint="efetch")
    notices: list[RetryNotice] = []
    started = time.monotonic()
    async with EutilsClient(fast, on_retry=notices.append) as client:
        xml = await client.efetch(["38909159"])
        assert pmids_in(xml) == ["38909159"]
        fixture_server.add_fault("stall", times=2, endpoint="efetch")
        with pytest.raises(UnreachableError, match=r"PubMed unreachable: no answer within 1 s"):
            await client.efetch(["38909159"])
    assert time.monotonic() - started < 5.5  # three stalls given up on, none waited out
    assert [n.reason for n in notices] == ["NCBI did not answer in time"] * 2


async def test_connection_refused(settings: Settings) -> None:
    closed = replace(settings, eutils_url="http://127.0.0.1:9/", max_attempts=2)
    notices: list[RetryNotice] = []
    async with EutilsClient(closed, on_retry=notices.append) as client:
        with pytest.raises(UnreachableError, match="PubMed unreachable: connection refused"):
            await client.efetch(["38909159"])
    assert [n.reason for n in notices] == ["Connection refused"]


async def test_client_errors_are_not_retried(
    keyed: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("400", endpoint="esearch")
    notices: list[RetryNotice] = []
    async with EutilsClient(keyed, on_retry=notices.append) as client:
        with pytest.raises(BadResponseError, match="Invalid query: unsupported parameter"):
            await client.esearch("x")
        with pytest.raises(HttpStatusError, match="Crossref answered 404") as missing:
            await client.get_json(keyed.crossref_url + "works/10.1000/none")
        with pytest.raises(HttpStatusError, match="answered 404"):
            await client.get_json(fixture_server.url + "nowhere")
    assert missing.value.status == 404
    assert notices == []
    assert len(fixture_server.logged()) == 3


async def test_wrong_document_is_a_bad_response(
    keyed: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("wrong-xml", endpoint="efetch")
    fixture_server.add_fault("empty-set", endpoint="efetch")
    async with EutilsClient(keyed) as client:
        with pytest.raises(BadResponseError, match="a search result instead of records"):
            await client.efetch(["38909159"])
        assert pmids_in(await client.efetch(["38909159"])) == []


async def test_json_services(settings: Settings, fixture_server: FixtureServer) -> None:
    async with EutilsClient(settings) as client:
        refs = await client.get_json(
            settings.europepmc_url + "MED/28815688/references",
            {"page": "1", "pageSize": "25", "format": "json"},
        )
        work = await client.get_json(settings.crossref_url + "works/10.1093/gji/ggz376")
    expected = (FIXTURES / "europepmc" / "references_MED_28815688.json").read_bytes()
    assert json.loads(refs) == json.loads(expected)
    assert json.loads(work)["message"]["DOI"].lower() == "10.1093/gji/ggz376"
    epmc = fixture_server.logged("europepmc")[0]
    assert epmc.params == {"page": "1", "pageSize": "25", "format": "json"}


async def test_truncated_json_is_retried(keyed: Settings, fixture_server: FixtureServer) -> None:
    fixture_server.add_fault("truncate-nolength", endpoint="crossref")
    notices: list[RetryNotice] = []
    async with EutilsClient(keyed, on_retry=notices.append) as client:
        work = await client.get_json(keyed.crossref_url + "works/10.1093/gji/ggz376")
    assert json.loads(work)["status"] == "ok"
    assert [n.reason for n in notices] == ["Answer cut short"]


async def test_key_stays_out_of_reprs_and_messages(
    keyed: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("400", endpoint="efetch")
    async with EutilsClient(keyed) as client:
        assert KEY not in repr(client)
        with pytest.raises(ServiceError) as caught:
            await client.efetch([KEY])  # a service that echoes the request back
    assert KEY not in str(caught.value)
    assert KEY not in repr(keyed)


def test_retry_after_values() -> None:
    assert _retry_after("3") == 3.0
    assert _retry_after("1000") == 60.0
    assert _retry_after(None) is None
    assert _retry_after("soon") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (_retry_after(later) or 0) <= 30
    earlier = format_datetime(datetime.now(UTC) - timedelta(seconds=30), usegmt=True)
    assert _retry_after(earlier) == 0.0


def test_transport_reasons() -> None:
    dns = httpx.ConnectError("failed")
    dns.__cause__ = socket.gaierror(-2, "Name or service not known")
    assert _transport_reason(dns) == ("Cannot resolve the host", "host name lookup failed")
    cut = httpx.RemoteProtocolError("peer closed connection without sending complete message body")
    assert _transport_reason(cut)[0] == "Answer cut short"
    dropped = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    assert _transport_reason(dropped)[0] == "Connection dropped"


def test_data_layer_stays_free_of_textual() -> None:
    # (rich does get imported: httpx loads it for its command line when it is installed.)
    import subprocess
    import sys

    code = (
        "import sys, tui.data.eutils, tui.data.cache, tui.data.ratelimit;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert out.stdout.strip() == "[]"


async def test_tls_is_set_up_only_for_https(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    """An http:// service never loads the certificate store; an https one gets verified TLS."""
    from tui.data.transport import LazyTlsTransport

    plain = LazyTlsTransport()
    async with EutilsClient(settings, transport=plain) as client:
        await client.esearch("38909159")
    assert not plain.tls_ready
    secure = LazyTlsTransport()
    https = replace(settings, eutils_url="https://127.0.0.1:9/entrez/eutils/", max_attempts=1)
    async with EutilsClient(https, transport=secure) as client:
        with pytest.raises(UnreachableError):
            await client.esearch("38909159")
        assert secure.tls_ready
        tls = secure._tls
        assert tls is not None and tls._pool._ssl_context is not None
        assert tls._pool._ssl_context.verify_mode is ssl.CERT_REQUIRED
    assert not secure.tls_ready  # closed with the client
