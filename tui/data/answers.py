"""Judging one answer: what went wrong, what to tell the user, whether to retry.

NCBI, Europe PMC and Crossref fail in more ways than their status codes say: an HTML
error page under status 200, a JSON rate-limit notice, a document of the wrong kind, a
body cut short.  Each answer (or failure below HTTP) is turned here into either its body
or a :class:`Failure`: the notice to show while retrying, the error to raise if it
persists, and whether another attempt could help.  Messages name things in words.
"""

from __future__ import annotations

import json
import re
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.data.errors import (
    BadResponseError,
    HttpStatusError,
    PubtermError,
    RateLimitedError,
    UnreachableError,
)

if TYPE_CHECKING:  # httpx is imported where it is used: the plain print path has none
    import httpx

    from tui.data.ratelimit import RateLimiter

RETRY_AFTER_CAP = 60.0


@dataclass(frozen=True, slots=True)
class Service:
    name: str  # "NCBI", "Europe PMC", "Crossref"
    label: str  # how error messages name it: "PubMed", "NCBI E-utilities"...
    limiter: RateLimiter
    ncbi: bool


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


def _status_failure(service: Service, status: int, body: bytes, phrase: str) -> Failure:
    label = "NCBI E-utilities" if service.ncbi else service.name
    if not phrase:
        from http import HTTPStatus

        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:  # a status HTTP does not name
            phrase = ""
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


def _check_body(service: Service, body: bytes, kind: str, root: str | None) -> bytes | Failure:
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
            import email.utils  # only for a date; its import costs what a start cannot spare

            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _transport_reason(exc: httpx.TransportError) -> tuple[str, str]:
    """(notice reason, message detail) for a failure below HTTP."""
    import httpx

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
