"""A local stand-in for NCBI E-utilities, Europe PMC and Crossref, over real HTTP.

Tests and manual runs talk to it exactly as pubterm talks to the real services, so the
whole client (HTTP, retries, rate limiting, parsing) is exercised without the network.
It serves the recorded answers in ``tests/fixtures/``, logs every request and can be told
to misbehave (rate limits, server errors, dropped or truncated answers, stalls), or to
answer in the hostile ways of ``tests/server_hostile.py`` (redirects, bombs, dribbles).

Standalone: ``python -m tests.server --port 8765 [--latency 0.3]`` prints the ``export``
lines that point pubterm's three service URLs at it and serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from tests import server_stamps
from tests.server_fulltext import FullTextRoutes
from tests.server_hostile import HOSTILE_KINDS, HostileSettings, serve_hostile
from tests.server_search import SearchEngine, is_identifier_lookup

FIXTURES = Path(__file__).resolve().parent / "fixtures"

FAULT_KINDS = frozenset(
    {
        "429",
        "429-retry-after",
        "rate-json",
        "500",
        "502",
        "503",
        "drop",
        "stall",
        "truncate",
        "truncate-nolength",
        "html-200",
        "empty-set",
        "wrong-xml",
        "400",
    }
)

SET_HEAD = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle,'
    b' 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)
SET_TAIL = b"</PubmedArticleSet>"
EMPTY_SET = SET_HEAD + SET_TAIL
RATE_JSON = b'{"error":"API rate limit exceeded","api-key":"127.0.0.1","count":"4","limit":"3"}'
HTML_ERROR = (
    b"<!DOCTYPE html>\n<html><head><title>NCBI - WWW Error 500 Diagnostic</title></head>\n"
    b"<body><h1>Error occurred: Service unavailable</h1>\n<p>The server is temporarily unable"
    b" to service your request. Please try again later.</p></body></html>\n"
)
WRONG_XML = (FIXTURES / "eutils" / "esearch.xml").read_bytes()


def _prolog(name: str) -> str:
    """The XML declaration and DOCTYPE of a recorded answer, so built answers match it.

    (The DOCTYPE names NCBI's DTD by URL; nothing ever fetches it: pubterm's parser loads
    no DTD, which tests/test_xml_attacks.py checks against this server's request log.)
    """
    text = (FIXTURES / "eutils" / name).read_text(encoding="utf-8")
    return text[: text.index("\n", text.index("<!DOCTYPE")) + 1]


ESEARCH_HEAD = _prolog("esearch.xml")
ESUMMARY_HEAD = _prolog("esummary.xml")
STATUS_TEXT = {
    400: "Bad Request",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it; ``headers`` keys are lower-case."""

    time: float  # time.monotonic() when the request line was read (kernel_stamps: arrived)
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]

    @property
    def endpoint(self) -> str:
        return endpoint_of(self.path)


def endpoint_of(path: str) -> str:
    """Short name used for fault matching: efetch, esearch, esummary, elink, europepmc,
    crossref, or the last path segment."""
    if path.startswith("/europepmc/"):
        return "europepmc"
    if path.startswith("/crossref/"):
        return "crossref"
    return path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".fcgi")


@dataclass
class _Fault:
    kind: str
    endpoint: str | None
    times: int


@dataclass
class Summary:
    """What esummary tells about one PMID."""

    pmid: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    source: str = ""
    pubdate: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    pubtypes: list[str] = field(default_factory=list)
    doi: str | None = None
    pmc: str | None = None
    full_journal_name: str = ""


def _text(el: Any, path: str) -> str:
    found = el.find(path)
    return "" if found is None else "".join(found.itertext()).strip()


def _article_ids(article: Any) -> dict[str, str]:
    ids: dict[str, str] = {}
    for aid in article.iterfind("./PubmedData/ArticleIdList/ArticleId"):
        ids.setdefault(aid.get("IdType", ""), (aid.text or "").strip())
    for aid in article.iterfind("./PubmedBookData/ArticleIdList/ArticleId"):
        ids.setdefault(aid.get("IdType", ""), (aid.text or "").strip())
    return ids


def _pmid_of(article: Any) -> str:
    return _text(article, "./MedlineCitation/PMID") or _text(article, "./BookDocument/PMID")


def summary_from_article(article: Any) -> Summary:
    """An esummary DocSum's worth of facts, read from a PubmedArticle the way NCBI does."""
    ids = _article_ids(article)
    art = article.find("./MedlineCitation/Article")
    doc = art if art is not None else article.find("./BookDocument")
    authors = []
    for au in doc.iterfind("./AuthorList/Author") if doc is not None else []:
        name = _text(au, "CollectiveName") or f"{_text(au, 'LastName')} {_text(au, 'Initials')}"
        authors.append(name.strip())
    if art is not None:
        date = art.find("./Journal/JournalIssue/PubDate")
        pubdate = (
            _text(date, "MedlineDate")
            or " ".join(
                t for t in (_text(date, "Year"), _text(date, "Month"), _text(date, "Day")) if t
            )
            if date is not None
            else ""
        )
        source = _text(article, "./MedlineCitation/MedlineJournalInfo/MedlineTA") or _text(
            art, "./Journal/ISOAbbreviation"
        )
        return Summary(
            pmid=_pmid_of(article),
            title=_text(art, "ArticleTitle"),
            authors=authors,
            source=source,
            pubdate=pubdate,
            volume=_text(art, "./Journal/JournalIssue/Volume"),
            issue=_text(art, "./Journal/JournalIssue/Issue"),
            pages=_text(art, "./Pagination/MedlinePgn"),
            pubtypes=[t.text or "" for t in art.iterfind("./PublicationTypeList/PublicationType")],
            doi=ids.get("doi"),
            pmc=ids.get("pmc"),
            full_journal_name=_text(art, "./Journal/Title"),
        )
    book_title = _text(doc, "./Book/BookTitle") if doc is not None else ""
    return Summary(
        pmid=_pmid_of(article),
        title=_text(doc, "ArticleTitle") if doc is not None else "",
        authors=authors,
        source=book_title,
        full_journal_name=book_title,
        pubdate=_text(doc, "./Book/PubDate/Year") if doc is not None else "",
        pubtypes=[t.text or "" for t in doc.iterfind("./PublicationType")]
        if doc is not None
        else [],
        doi=ids.get("doi"),
        pmc=ids.get("pmc"),
    )


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docsum_xml(s: Summary) -> str:
    def item(name: str, value: str, typ: str = "String") -> str:
        return f'\t<Item Name="{name}" Type="{typ}">{_esc(value)}</Item>\n'

    def items(name: str, inner: str, values: Iterable[tuple[str, str]]) -> str:
        body = "".join("\t" + item(n, v) for n, v in values)
        return (
            f'\t<Item Name="{name}" Type="List">\n{body}\t</Item>\n'
            if body
            else (f'\t<Item Name="{name}" Type="List"></Item>\n')
        )

    ids = (
        [("pubmed", s.pmid)]
        + ([("doi", s.doi)] if s.doi else [])
        + ([("pmc", s.pmc)] if s.pmc else [])
    )
    return (
        f"<DocSum>\n\t<Id>{s.pmid}</Id>\n"
        + item("PubDate", s.pubdate, "Date")
        + item("Source", s.source)
        + items("AuthorList", "Author", (("Author", a) for a in s.authors))
        + item("LastAuthor", s.authors[-1] if s.authors else "")
        + item("Title", s.title)
        + item("Volume", s.volume)
        + item("Issue", s.issue)
        + item("Pages", s.pages)
        + items("PubTypeList", "PubType", (("PubType", t) for t in s.pubtypes))
        + items("ArticleIds", "", ids)
        + item("DOI", s.doi or "")
        + item("FullJournalName", s.full_journal_name)
        + "</DocSum>\n"
    )


class FixtureServer:
    """The fixture server; use as a context manager or call start()/stop()."""

    def __init__(
        self,
        *,
        port: int = 0,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        kernel_stamps: bool = False,
    ) -> None:
        self.host = host
        # Log each request's arrival as the kernel stamped it (tests/server_stamps.py),
        # for clients that send one request at a time per connection.
        self.kernel_stamps = kernel_stamps
        self.port = port
        self.latency = latency
        self.stall_seconds = 30.0
        self._stalls_released = threading.Event()
        self.requests: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._faults: list[_Fault] = []
        self._records: dict[str, bytes] = {}
        self._summaries: dict[str, Summary] = {}
        self._dois: dict[str, list[str]] = {}
        self._pmcs: dict[str, list[str]] = {}
        self._links: dict[tuple[str, str], list[str]] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self.search = SearchEngine()  # esearch over the records (tests/server_search.py)
        self._thread: threading.Thread | None = None
        for path in sorted((FIXTURES / "pubmed").glob("*.xml")):
            self._index(path.read_bytes())
        citedin = json.loads((FIXTURES / "eutils" / "elink_citedin_28495875.json").read_bytes())
        links = citedin["linksets"][0]["linksetdbs"][0]["links"]
        self._links[("28495875", "pubmed_pubmed_citedin")] = [str(x) for x in links]
        self.fulltext = FullTextRoutes(self)  # JATS full texts, served once enabled
        self.hostile = HostileSettings()  # sizes and pace of tests/server_hostile.py

    # -- configuration -------------------------------------------------------------------
    def _index(self, xml: bytes) -> list[str]:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
        found = []
        for article in root:
            if article.tag not in ("PubmedArticle", "PubmedBookArticle"):
                continue
            pmid = _pmid_of(article)
            self._records[pmid] = etree.tostring(article, encoding="utf-8", with_tail=False)
            self._summaries[pmid] = summary_from_article(article)
            ids = _article_ids(article)
            if "doi" in ids:
                self._dois.setdefault(ids["doi"].lower(), []).append(pmid)
            if "pmc" in ids:
                self._pmcs.setdefault(ids["pmc"].upper(), []).append(pmid)
            found.append(pmid)
        return found

    def add_record(self, pmid: str, xml_bytes: bytes) -> None:
        """Serve an extra article (``xml_bytes`` is a PubmedArticleSet holding it)."""
        with self._lock:
            if pmid not in self._index(xml_bytes):
                raise ValueError(f"no article with PMID {pmid} in the given XML")

    def retype_corrections(self, pmid: str, ref_type: str) -> None:
        """Serve ``pmid`` with its recorded comment/correction links retyped as ``ref_type``.

        No recorded record carries a retraction or erratum notice; this builds one from a
        real link (38833988's ErratumFor, say, becomes a RetractionIn) so the reader's
        banner can be tried by hand and in tests.
        """
        with self._lock:
            article = etree.fromstring(self._records[pmid])
            for link in article.iter("CommentsCorrections"):
                link.set("RefType", ref_type)
            self._records[pmid] = etree.tostring(article, encoding="utf-8")

    def add_summary(self, pmid: str, **fields: Any) -> None:
        """Answer esummary for ``pmid`` with these Summary fields (title, pubtypes, doi...)."""
        with self._lock:
            self._summaries[pmid] = Summary(pmid=pmid, **fields)

    def add_links(self, pmid: str, linkname: str, pmids: Iterable[str]) -> None:
        with self._lock:
            self._links[(pmid, linkname)] = [str(p) for p in pmids]

    def add_fault(self, kind: str, *, times: int = 1, endpoint: str | None = None) -> None:
        """Misbehave on the next ``times`` requests to ``endpoint`` (any when None)."""
        if kind not in FAULT_KINDS and kind not in HOSTILE_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self._faults.append(_Fault(kind, endpoint, times))

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def logged(self, endpoint: str | None = None) -> list[LoggedRequest]:
        """A snapshot of the log, optionally only one endpoint's requests."""
        with self._lock:
            return [r for r in self.requests if endpoint is None or r.endpoint == endpoint]

    def _take_fault(self, endpoint: str) -> str | None:
        with self._lock:
            for fault in self._faults:
                if fault.endpoint in (None, endpoint):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault.kind
        return None

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def eutils_url(self) -> str:
        return self.url + "entrez/eutils/"

    @property
    def europepmc_url(self) -> str:
        return self.url + "europepmc/webservices/rest/"

    @property
    def crossref_url(self) -> str:
        return self.url + "crossref/"

    def start(self) -> FixtureServer:
        server = self

        class Handler(_Handler):
            fixture = server

        self._stopping.clear()
        self._httpd = _QuietServer((self.host, self.port), Handler)
        self.port = self._httpd.server_address[1]
        if self.kernel_stamps:
            self.kernel_stamps = server_stamps.enable(self._httpd.socket)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            daemon=True,
            kwargs={"poll_interval": 0.05},
            name="fixture-server",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stall(self) -> None:
        """Hold an answer ``stall_seconds``, or until :meth:`release_stalls` (or stop)."""
        deadline = time.monotonic() + self.stall_seconds
        while not (self._stalls_released.is_set() or self._stopping.is_set()):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._stalls_released.wait(min(left, 0.05))

    def release_stalls(self) -> None:
        """Let every held answer go now: a test that needs "not back yet" holds the
        answer as long as it looks, instead of racing a clock."""
        self._stalls_released.set()

    def sleep(self, seconds: float) -> None:
        """Sleep, but wake up when the server stops."""
        if seconds > 0:
            self._stopping.wait(seconds)

    # -- answers -------------------------------------------------------------------------
    def answer(self, method: str, path: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request without faults."""
        xml, js = "text/xml; charset=UTF-8", "application/json; charset=UTF-8"
        ep = endpoint_of(path)
        routed = self.fulltext.answer(path, params)
        if routed is not None:
            return routed
        if path.startswith("/entrez/eutils/"):
            ids = [i.strip() for i in params.get("id", "").split(",") if i.strip()]
            with self._lock:
                if ep == "efetch":
                    found = [self._records[i] for i in ids if i in self._records]
                    return 200, xml, SET_HEAD + b"\n".join(found) + b"\n" + SET_TAIL
                if ep == "esearch" and not is_identifier_lookup(params.get("term", "")):
                    body = self.search.answer(params, self._records, self._summaries)
                    return 200, xml, body.encode()
                if ep == "esearch":
                    return 200, xml, self._esearch(params.get("term", "")).encode()
                if ep == "esummary":
                    return 200, xml, self._esummary(ids).encode()
                if ep == "elink":
                    pmid = ids[0] if ids else ""
                    return 200, js, self._elink(pmid, params.get("linkname", "")).encode()
        if ep == "europepmc":
            m = re.fullmatch(r"/europepmc/webservices/rest/MED/(\d+)/references", path)
            if m:
                if m.group(1) == "28815688":
                    name = FIXTURES / "europepmc" / "references_MED_28815688.json"
                    return 200, js, name.read_bytes()
                empty = {
                    "version": "6.9",
                    "hitCount": 0,
                    "request": {
                        "id": m.group(1),
                        "source": "MED",
                        "offSet": 0,
                        "pageSize": int(params.get("pageSize", "25") or 25),
                    },
                }
                return 200, js, json.dumps(empty).encode()
        if ep == "crossref" and path.startswith("/crossref/works/"):
            doi = unquote(path.removeprefix("/crossref/works/"))
            if doi.lower() == "10.1093/gji/ggz376":
                return (
                    200,
                    js,
                    (FIXTURES / "crossref" / "work_10.1093-gji-ggz376.json").read_bytes(),
                )
            return 404, "text/plain", b"Resource not found."
        return 404, "text/plain", b"Not found"

    def _esearch(self, term: str) -> str:
        term = term.strip()
        m = re.fullmatch(r'"?(.+?)"?\s*\[(\w+)\]', term)
        value, field_ = (m.group(1).strip(), m.group(2).lower()) if m else (term, "")
        ids: list[str] = []
        if field_ == "doi":
            ids = self._dois.get(value.lower(), [])
        elif field_ in ("pmc", "pmcid"):
            ids = self._pmcs.get(value.upper(), [])
        elif field_ in ("", "uid", "pmid") and value.isdigit() and value in self._records:
            ids = [value]
        idlist = "".join(f"<Id>{i}</Id>\n" for i in ids)
        body = (
            f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(ids)}</RetMax>"
            f"<RetStart>0</RetStart><IdList>\n{idlist}</IdList><TranslationSet/>"
            f"<QueryTranslation>{_esc(term)}</QueryTranslation>"
        )
        if not ids:
            body += f"<ErrorList><PhraseNotFound>{_esc(term)}</PhraseNotFound></ErrorList>"
        return ESEARCH_HEAD + body + "</eSearchResult>\n"

    def _esummary(self, ids: list[str]) -> str:
        parts = []
        for pmid in ids:
            s = self._summaries.get(pmid)
            parts.append(
                docsum_xml(s)
                if s
                else f"<ERROR>UID={_esc(pmid)}: cannot get document summary</ERROR>\n"
            )
        return ESUMMARY_HEAD + "<eSummaryResult>\n" + "".join(parts) + "</eSummaryResult>\n"

    def _elink(self, pmid: str, linkname: str) -> str:
        linkset: dict[str, Any] = {"dbfrom": "pubmed", "ids": [pmid]}
        links = self._links.get((pmid, linkname))
        if links:
            linkset["linksetdbs"] = [{"dbto": "pubmed", "linkname": linkname, "links": links}]
        return json.dumps(
            {"header": {"type": "elink", "version": "0.3"}, "linksets": [linkset]}, indent=2
        )


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops the SYNs of a burst of new connections,
    # which the kernel retries a second later: that would bunch requests up in the log.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (after a stall, say) is expected, not worth a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    fixture: FixtureServer
    protocol_version = "HTTP/1.1"
    server_version = "fixture-eutils/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    arrived: float | None = None

    def handle_one_request(self) -> None:
        if self.fixture.kernel_stamps:
            self.arrived = server_stamps.next_arrival(self.connection)
        super().handle_one_request()

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        started = self.arrived if self.arrived is not None else time.monotonic()
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            params.update(parse_qsl(body, keep_blank_values=True))
        fx = self.fixture
        headers = {k.lower(): v for k, v in self.headers.items()}
        with fx._lock:
            fx.requests.append(LoggedRequest(started, self.command, parts.path, params, headers))
        fx.sleep(fx.latency)
        fault = fx._take_fault(endpoint_of(parts.path))
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "stall":
            fx.stall()
            fault = None
        status, ctype, body = fx.answer(self.command, parts.path, params)
        if fault in HOSTILE_KINDS:
            serve_hostile(self, fx, fault, ctype, body)
            return
        extra: dict[str, str] = {}
        js, html = "application/json", "text/html; charset=UTF-8"
        if fault in ("429", "429-retry-after"):
            status, ctype, body = 429, js, RATE_JSON
            if fault == "429-retry-after":
                extra["Retry-After"] = "1"
        elif fault == "rate-json":
            status, ctype, body = 200, js, RATE_JSON
        elif fault in ("500", "502", "503"):
            status, ctype, body = int(fault), html, HTML_ERROR
        elif fault == "400":
            echo = "&".join(f"{k}={v}" for k, v in params.items())  # as NCBI echoes input
            status, ctype, body = (
                400,
                js,
                json.dumps({"error": f"Invalid query: unsupported parameter in {echo}"}).encode(),
            )
        elif fault == "html-200":
            status, ctype, body = 200, html, HTML_ERROR
        elif fault == "empty-set":
            status, ctype, body = 200, "text/xml; charset=UTF-8", EMPTY_SET
        elif fault == "wrong-xml":
            status, ctype, body = 200, "text/xml; charset=UTF-8", WRONG_XML
        self.send_response(status, STATUS_TEXT.get(status))
        self.send_header("Content-Type", ctype)
        for k, v in extra.items():
            self.send_header(k, v)
        if fault == "truncate-nolength":
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if fault == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Serve pubterm's recorded fixtures over HTTP.")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--latency", type=float, default=0.0, help="delay per request, seconds")
    ap.add_argument(
        "--retype-corrections",
        metavar="PMID:REFTYPE",
        action="append",
        default=[],
        help="serve PMID with its comment/correction links retyped, e.g. 38833988:RetractionIn",
    )
    args = ap.parse_args(argv)
    server = FixtureServer(port=args.port, latency=args.latency).start()
    for item in args.retype_corrections:
        pmid, _, ref_type = item.partition(":")
        server.retype_corrections(pmid, ref_type)
    server.fulltext.enable()
    # Lines to paste into a shell, so every service pubterm calls is this server.
    print(f"export PUBTERM_EUTILS_URL={server.eutils_url}")
    print(f"export PUBTERM_EUROPEPMC_URL={server.europepmc_url}")
    print(f"export PUBTERM_CROSSREF_URL={server.crossref_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
