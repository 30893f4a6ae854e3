"""The HTTP client for NCBI E-utilities (and the JSON services next to it).

NCBI is often slow, rate limits hard and, now and then, answers with an HTML page, a
JSON error under status 200, or a body cut short.  This module absorbs all of that:
every request waits for the shared rate limiter (which counts it from the moment its
bytes go out), transient failures are retried by stamina after a full-jitter exponential
backoff of our choosing (``Retry-After`` honoured, a rate limit resting at least a
window), callers hear about each wait through ``on_retry``, and whatever persists ends
as one of pubterm's own errors.  The API
key is a secret: it is sent to NCBI and appears in no message, notice or repr.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Literal
from urllib.parse import quote, quote_plus, urlsplit

import httpx
import stamina
import stamina.instrumentation

from tui import __version__
from tui.data import urls
from tui.data.errors import (
    BadResponseError,
    HttpStatusError,
    PubtermError,
    RateLimitedError,
    UnreachableError,
)
from tui.data.ratelimit import RateLimiter, Slot, limiter_for
from tui.data.settings import Settings
from tui.data.transport import LazyTlsTransport

POST_ABOVE = 200  # NCBI asks for POST when a request carries more than 200 ids
RETRY_AFTER_CAP = 60.0
CONNECT_TIMEOUT = 10.0
PROJECT_URL = "https://github.com/pubterm/pubterm"

# stamina logs each retry as a warning by default, which would reach the terminal through
# logging's last-resort handler; pubterm tells people itself, through ``on_retry``.
stamina.instrumentation.set_on_retry_hooks([])


@dataclass(frozen=True, slots=True)
class RetryNotice:
    """Told to ``on_retry`` before each wait, so the reader can say what is going on."""

    reason: str  # "Rate limited by NCBI", "NCBI answered 503", "Connection dropped"...
    wait: float  # seconds until the next attempt
    attempt: int  # the attempt that just failed, from 1
    max_attempts: int = 0

    def __str__(self) -> str:
        # Sub-second waits keep a decimal: "retrying in 0 s" reads as "not waiting".
        shown = f"{self.wait:.1f}" if self.wait < 0.95 else f"{self.wait:.0f}"
        return f"{self.reason}, retrying in {shown} s"


@dataclass(frozen=True, slots=True)
class _Service:
    name: str  # "NCBI", "Europe PMC", "Crossref"
    label: str  # how error messages name it: "PubMed", "NCBI E-utilities"...
    limiter: RateLimiter
    ncbi: bool


class EutilsClient:
    """One pooled HTTP client for a session; use ``async with`` or call ``aclose()``."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_retry: Callable[[RetryNotice], None] | None = None,
    ) -> None:
        self._settings = settings
        self.on_retry = on_retry
        self._secrets = _secret_forms(settings.api_key, settings.email)
        self._log_filter = _RedactingFilter(self._secrets)
        logging.getLogger("httpx").addFilter(self._log_filter)
        agent = f"pubterm/{__version__} (+{PROJECT_URL}"
        agent += f"; mailto:{settings.email})" if settings.email else ")"
        self._http = httpx.AsyncClient(
            transport=transport or LazyTlsTransport(),
            timeout=httpx.Timeout(settings.timeout, connect=min(CONNECT_TIMEOUT, settings.timeout)),
            headers={"User-Agent": agent},
            follow_redirects=True,
        )

    def __repr__(self) -> str:
        return f"EutilsClient(eutils_url={self._settings.eutils_url!r})"

    async def __aenter__(self) -> EutilsClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()
        logging.getLogger("httpx").removeFilter(self._log_filter)

    # -- E-utilities -----------------------------------------------------------------------
    async def efetch(self, pmids: Sequence[str]) -> bytes:
        """The PubmedArticleSet XML for ``pmids`` (unknown ones are simply missing)."""
        ids = _id_list(pmids)
        params = {"db": "pubmed", "id": ids, "retmode": "xml"}
        return await self._eutil("efetch.fcgi", params, "PubmedArticleSet", len(pmids))

    async def esearch(self, term: str, *, retmax: int = 20) -> bytes:
        params = {"db": "pubmed", "term": term, "retmax": str(retmax), "retmode": "xml"}
        return await self._eutil("esearch.fcgi", params, "eSearchResult", 1)

    async def esummary(self, pmids: Sequence[str]) -> bytes:
        """Version 1 XML document summaries: cheap facts (title, types) for many PMIDs."""
        params = {"db": "pubmed", "id": _id_list(pmids), "retmode": "xml"}
        return await self._eutil("esummary.fcgi", params, "eSummaryResult", len(pmids))

    async def elink(self, pmid: str, linkname: str) -> bytes:
        """The elink JSON for one PMID and link name (e.g. ``pubmed_pubmed_citedin``)."""
        params = {
            "dbfrom": "pubmed",
            "db": "pubmed",
            "id": pmid,
            "linkname": linkname,
            "retmode": "json",
        }
        url = urls.endpoint(self._settings.eutils_url, "elink.fcgi")
        return await self._request(url, params, kind="json")

    async def get_json(self, url: str, params: Mapping[str, str] | None = None) -> bytes:
        """A JSON document from Europe PMC, Crossref or NCBI, with the same retry rules."""
        return await self._request(url, dict(params or {}), kind="json")

    async def _eutil(self, name: str, params: dict[str, str], root: str, count: int) -> bytes:
        url = urls.endpoint(self._settings.eutils_url, name)
        return await self._request(url, params, kind="xml", root=root, post=count > POST_ABOVE)

    # -- the retry loop --------------------------------------------------------------------
    def _service(self, url: str) -> _Service:
        s = self._settings
        host = urlsplit(url).netloc
        if url.startswith(urls.base(s.eutils_url)):
            rate = int(s.requests_per_second)
            return _Service("NCBI", "PubMed", limiter_for(f"ncbi:{host}", rate), True)
        if url.startswith(urls.base(s.europepmc_url)):
            return _Service("Europe PMC", "Europe PMC", limiter_for(f"epmc:{host}", 10), False)
        if url.startswith(urls.base(s.crossref_url)):
            return _Service("Crossref", "Crossref", limiter_for(f"crossref:{host}", 5), False)
        return _Service(host, host, limiter_for(f"other:{host}", 5), False)

    async def _request(
        self,
        url: str,
        params: dict[str, str],
        *,
        kind: Literal["xml", "json"],
        root: str | None = None,
        post: bool = False,
    ) -> bytes:
        service = self._service(url)
        if service.ncbi:
            params = {**params, "tool": "pubterm"}
            if self._settings.email:
                params["email"] = self._settings.email
            if self._settings.api_key:
                params["api_key"] = self._settings.api_key
        elif service.name == "Crossref" and self._settings.email:
            params = {"mailto": self._settings.email, **params}  # Crossref's "polite pool"
        attempts = max(1, self._settings.max_attempts)

        def again(exc: Exception) -> bool | float:
            """stamina's question after a failed attempt: retry, and after how long?"""
            if not isinstance(exc, _Failed) or not exc.failure.retry or exc.attempt >= attempts:
                return False
            wait = self._backoff(exc.attempt, exc.failure)
            if self.on_retry is not None:
                self.on_retry(RetryNotice(exc.failure.reason, wait, exc.attempt, attempts))
            return wait

        try:
            async for attempt in stamina.retry_context(on=again, attempts=attempts, timeout=None):
                with attempt:
                    slot = await service.limiter.slot()
                    with slot:
                        result = await self._attempt(service, url, params, kind, root, post, slot)
                    if isinstance(result, Failure):
                        raise _Failed(result, attempt.num)
                    return result
        except _Failed as failed:
            failure = failed.failure
            if isinstance(failure.error, RateLimitedError):
                failure.error.retry_after = failure.retry_after
            raise self._redacted(failure.error) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self,
        service: _Service,
        url: str,
        params: dict[str, str],
        kind: Literal["xml", "json"],
        root: str | None,
        post: bool,
        slot: Slot,
    ) -> bytes | Failure:
        async def trace(event: str, info: object) -> None:
            # The moment the request's first bytes are written is when NCBI's count starts.
            if event.endswith("send_request_headers.started"):
                slot.sent()

        extensions = {"trace": trace}
        try:
            if post:
                response = await self._http.post(url, data=params, extensions=extensions)
            else:
                response = await self._http.get(url, params=params, extensions=extensions)
        except httpx.TimeoutException:
            why = f"no answer within {self._settings.timeout:g} s"
            return Failure(
                f"{service.name} did not answer in time",
                UnreachableError(f"{service.label} unreachable: {why}"),
            )
        except httpx.TransportError as exc:
            reason, why = _transport_reason(exc)
            return Failure(reason, UnreachableError(f"{service.label} unreachable: {why}"))
        if response.status_code != 200:
            failure = _status_failure(
                service, response.status_code, response.content, response.reason_phrase
            )
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if failure.retry and retry_after is not None:
                failure = replace(failure, retry_after=retry_after)
            return failure
        return _check_body(service, response.content, kind, root)

    def _backoff(self, attempt: int, failure: Failure) -> float:
        if failure.retry_after is not None:
            return failure.retry_after
        cap = max(self._settings.backoff_max, 0.0)
        ceiling = min(cap, self._settings.backoff_initial * 2 ** (attempt - 1))
        wait = random.uniform(0, ceiling)
        if isinstance(failure.error, RateLimitedError):
            wait = max(wait, min(1.0, cap))  # a rate limit needs at least a window's rest
        return wait

    def _redacted(self, error: PubtermError) -> PubtermError:
        text = str(error)
        if redact(text, self._secrets) != text:
            error.args = tuple(redact(str(a), self._secrets) for a in error.args)
        return error


def _secret_forms(*values: str | None) -> tuple[str, ...]:
    """Each secret as typed and as it appears percent-encoded in a URL."""
    forms: set[str] = set()
    for value in values:
        if value:
            forms.update({value, quote(value, safe=""), quote_plus(value, safe="")})
    return tuple(sorted(forms, key=len, reverse=True))


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every form of the API key and e-mail replaced by ``***``."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


class _RedactingFilter(logging.Filter):
    """httpx logs each request URL at INFO; the key and e-mail must not reach any log."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class _Failed(Exception):
    """A failed attempt, raised inside stamina's retry loop so that it can decide."""

    def __init__(self, failure: Failure, attempt: int) -> None:
        super().__init__(failure.reason)
        self.failure = failure
        self.attempt = attempt


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed attempt: what to tell the user now, and what to raise if it persists."""

    reason: str
    error: PubtermError
    retry: bool = True
    retry_after: float | None = None


_HTML = re.compile(rb"^(<!doctype\s+html|<html[\s>])", re.IGNORECASE)
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def _service_message(body: bytes) -> str:
    """The error text a service put in its body (JSON ``error``, XML ``ERROR``, or text)."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "message", "errmsg"):
            if isinstance(data.get(key), str):
                return str(data[key])
    m = re.search(r"<ERROR>(.*?)</ERROR>", text, re.DOTALL)
    if m:
        return m.group(1).strip()
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split())[:200] or "no explanation given"


def _status_failure(service: _Service, status: int, body: bytes, phrase: str) -> Failure:
    label = "NCBI E-utilities" if service.ncbi else service.name
    phrase = phrase or httpx.codes.get_reason_phrase(status)
    if status == 429:
        return Failure(
            f"Rate limited by {service.name}",
            RateLimitedError(f"{label} kept refusing requests as too many (429 {phrase})"),
        )
    if status >= 500:
        return Failure(
            f"{service.name} answered {status}",
            HttpStatusError(status, f"{label} answered {status} {phrase}"),
        )
    if status == 400:
        return Failure(
            f"{service.name} answered 400",
            BadResponseError(f"{label} rejected the request: {_service_message(body)}"),
            retry=False,
        )
    return Failure(
        f"{service.name} answered {status}",
        HttpStatusError(status, f"{label} answered {status} {phrase}"),
        retry=False,
    )


def _check_body(service: _Service, body: bytes, kind: str, root: str | None) -> bytes | Failure:
    """The body if it is what was asked for; a Failure for answers that are not."""
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if service.ncbi and head.startswith(b"{") and b"rate limit" in head[:300].lower():
        return Failure(
            f"Rate limited by {service.name}",
            RateLimitedError(
                f"{service.name} kept refusing requests as too many (API rate limit exceeded)"
            ),
        )
    if _HTML.match(head[:100]):
        return Failure(
            f"{service.name} answered with an error page",
            BadResponseError(
                f"{service.name} answered with an HTML page instead of "
                f"{'XML' if kind == 'xml' else 'JSON'}"
            ),
        )
    cut = Failure(
        "Answer cut short",
        UnreachableError(
            f"{service.label} unreachable: the connection closed before the answer was complete"
        ),
    )
    if kind == "json":
        try:
            json.loads(head)
        except ValueError:
            bad = BadResponseError(f"{service.name} answered with something that is not JSON")
            return cut if head[:1] in (b"{", b"[") else Failure("Unreadable answer", bad)
        return body
    if not head.startswith(b"<"):
        return Failure(
            "Unreadable answer",
            BadResponseError(f"{service.name} answered with something that is not XML"),
        )
    name = _root_name(head)
    if root is not None and name is not None and name.decode() != root:
        got, wanted = _document_words(name.decode()), _document_words(root)
        return Failure(
            "Unexpected answer",
            BadResponseError(f"{service.name} answered with {got} instead of {wanted}"),
            retry=False,
        )
    tail = head.rstrip()
    if name is None or not (tail.endswith(b"</" + name + b">") or tail.endswith(b"/>")):
        return cut
    return body


# E-utilities documents by their root element, as people would call them.
_DOCUMENTS = {
    "PubmedArticleSet": "records",
    "eSearchResult": "a search result",
    "eSummaryResult": "document summaries",
    "eLinkResult": "a list of linked papers",
    "eInfoResult": "a database description",
    "ERROR": "an error",
}


def _document_words(root: str) -> str:
    return _DOCUMENTS.get(root, "another kind of XML document")


def _root_name(head: bytes) -> bytes | None:
    """The document element's name (the declaration and doctype do not match the pattern)."""
    m = _ROOT.search(head)
    return m.group(1) if m else None


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date), capped."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _id_list(pmids: Sequence[str]) -> str:
    if isinstance(pmids, str):
        raise TypeError("pass a sequence of PMIDs, not one string")
    if not pmids:
        raise ValueError("no PMIDs given")
    return ",".join(str(p).strip() for p in pmids)


def _transport_reason(exc: httpx.TransportError) -> tuple[str, str]:
    """(notice reason, message detail) for a failure below HTTP."""
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and len(chain) < 10:
        chain.append(link)
        link = link.__cause__ or link.__context__
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, httpx.ConnectError):
        dns = any(isinstance(e, socket.gaierror) for e in chain)
        if dns or "name or service" in text or "nodename" in text or "getaddrinfo" in text:
            return "Cannot resolve the host", "host name lookup failed"
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
            return "Connection refused", "connection refused"
        return "Cannot connect", "cannot connect"
    if isinstance(exc, httpx.RemoteProtocolError) and "body" in text:
        return "Answer cut short", "the connection closed before the answer was complete"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.ProxyError):
        return "Cannot connect", type(exc).__name__
    return "Connection dropped", "the connection was dropped"


__all__ = [
    "BadResponseError",
    "EutilsClient",
    "HttpStatusError",
    "RateLimitedError",
    "RetryNotice",
    "UnreachableError",
]
