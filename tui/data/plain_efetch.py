"""The print path's efetch without httpx or an event loop: sent first, read when needed.

``pubterm --format json PMID`` on a cold cache spends most of its time waiting for one
answer.  httpx, anyio, asyncio and an SSL context cost ~150 ms of imports and set-up
before that request could leave, while Biopython's ``Entrez.efetch`` sends it after
``urllib``'s import.  For an ``http://`` E-utilities address (a mirror, the local test
server) this request is written with ``http.client`` (:mod:`tui.data.plain_http`) as
soon as the arguments are known; :meth:`PlainEfetch.result` reads it once the caller
has imported the parser and the format.  It keeps every rule of the httpx client: the
shared rate limit counts it from the moment its bytes are written, failures are retried
by the same backoff (:mod:`tui.data.retry_policy`) with a notice before each wait,
answers are judged by :mod:`tui.data.answers`, and what persists is one of pubterm's own
errors, with no secret in its words.  ``https://`` addresses keep the httpx client.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from urllib.parse import urlencode, urlsplit

from tui import __version__
from tui.data import urls
from tui.data.answers import Failure, Service, _check_body, _retry_after, _status_failure
from tui.data.errors import PubtermError, RateLimitedError
from tui.data.limits import Limits
from tui.data.plain_http import Pending, PlainAnswer, Timeouts, send
from tui.data.ratelimit import RateLimiter, limiter_for
from tui.data.retry_policy import RetryNotice, redact, retry_wait, secret_forms
from tui.data.settings import Settings
from tui.data.unpack import ACCEPT_ENCODING

POST_ABOVE = 200  # NCBI asks for POST above this many ids: the httpx client does those
CONNECT_TIMEOUT = 10.0
PROJECT_URL = "https://github.com/pubterm/pubterm"
ROOT = "PubmedArticleSet"


PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")


def plain_applies(settings: Settings, pmids: Sequence[str]) -> bool:
    """True for a GET efetch to a well-formed ``http://`` address, online, not through a
    proxy (httpx honours the environment's proxies; this plain request would not)."""
    if any(os.environ.get(name) for name in PROXY_VARIABLES):
        return False
    parts = urlsplit(settings.eutils_url)
    try:
        parts.port  # noqa: B018  (a port out of range: the httpx client says so)
    except ValueError:
        return False
    plain = parts.scheme == "http" and bool(parts.hostname)
    return plain and not settings.offline and 0 < len(pmids) <= POST_ABOVE


class PlainEfetch:
    """One efetch of ``pmids``: its first attempt written at :meth:`start`."""

    def __init__(self, settings: Settings, pmids: Sequence[str], limiter: RateLimiter) -> None:
        self.settings = settings
        self.pmids = tuple(pmids)
        s = settings
        self._service = Service("NCBI", "PubMed", limiter, True)
        params = {"db": "pubmed", "id": ",".join(self.pmids), "retmode": "xml"}
        params["tool"] = "pubterm"
        if s.email:
            params["email"] = s.email
        if s.api_key:
            params["api_key"] = s.api_key
        self._url = f"{urls.endpoint(s.eutils_url, 'efetch.fcgi')}?{urlencode(params)}"
        agent = f"pubterm/{__version__} (+{PROJECT_URL}"
        self._plain_agent = agent + ")"  # for hosts other than the one asked
        agent += f"; mailto:{s.email})" if s.email else ")"
        self._headers = {"User-Agent": agent, "Accept-Encoding": ACCEPT_ENCODING}
        self._timeouts = Timeouts(min(CONNECT_TIMEOUT, s.timeout), s.timeout)
        self._limits = Limits.from_environ()
        self._secrets = secret_forms(s.api_key, s.email)
        self._first: Pending | Failure | None = None

    @classmethod
    def start(
        cls, settings: Settings, pmids: Sequence[str], *, wait: bool = True
    ) -> PlainEfetch | None:
        """The efetch with its first attempt sent, or None where this path does not apply.

        With ``wait`` false it is also None when the rate limit would make the request
        wait: the caller then goes on with its imports and asks the usual way later.
        """
        if not plain_applies(settings, pmids):
            return None
        host = urlsplit(settings.eutils_url).netloc
        limiter = limiter_for(f"ncbi:{host}", int(settings.requests_per_second))
        efetch = cls(settings, pmids, limiter)
        first = efetch._send(block=wait)
        if first is None:
            return None
        efetch._first = first
        return efetch

    def serves(self, settings: Settings, pmids: Sequence[str]) -> bool:
        """True when this request is the one ``settings`` would make for ``pmids``."""
        return settings == self.settings and tuple(pmids) == self.pmids

    def close(self) -> None:
        """Drop the request unread (the caller asks another way)."""
        if isinstance(self._first, Pending):
            self._first.close()
        self._first = None

    def _send(self, *, block: bool) -> Pending | Failure | None:
        """One attempt written under the rate limit (None: it would wait, and not ``block``)."""
        limiter = self._service.limiter
        while True:
            slot = limiter.try_slot()
            if not isinstance(slot, float):
                break
            if not block:
                return None
            time.sleep(slot)
        with slot:
            pending = send(self._url, self._headers, self._timeouts, self._service)
            slot.sent()  # the bytes are written (or the attempt failed): counted from now
        return pending

    def result(self, on_retry: Callable[[RetryNotice], None] | None = None) -> bytes:
        """The PubmedArticleSet, after any retries; raises pubterm's own errors."""
        attempts = max(1, self.settings.max_attempts)
        attempt, pending = 1, self._first or self._send(block=True)
        self._first = None
        while True:
            judged = self._judge(pending)
            if not isinstance(judged, Failure):
                return judged
            if not judged.retry or attempt >= attempts:
                raise self._error(judged)
            wait = retry_wait(self.settings, attempt, judged)
            if on_retry is not None:
                on_retry(RetryNotice(judged.reason, wait, attempt, attempts))
            time.sleep(wait)
            attempt, pending = attempt + 1, self._send(block=True)

    def _judge(self, pending: Pending | Failure | None) -> bytes | Failure:
        if pending is None:  # pragma: no cover - _send(block=True) always sends
            raise AssertionError("no request was sent")
        if isinstance(pending, Failure):
            return pending
        answer = pending.finish(self._service, self._limits, self._plain_agent)
        if isinstance(answer, Failure):
            return answer
        return self._body(answer)

    def _body(self, answer: PlainAnswer) -> bytes | Failure:
        service = self._service
        if answer.status != 200:
            failure = _status_failure(service, answer.status, answer.body, answer.reason_phrase)
            retry_after = _retry_after(answer.headers.get("retry-after"))
            if failure.retry and retry_after is not None:
                failure = replace(failure, retry_after=retry_after)
            return failure
        return _check_body(service, answer.body, "xml", ROOT)

    def _error(self, failure: Failure) -> PubtermError:
        error = failure.error
        if isinstance(error, RateLimitedError):
            error.retry_after = failure.retry_after
        text = str(error)
        if redact(text, self._secrets) != text:
            error.args = tuple(redact(str(a), self._secrets) for a in error.args)
        return error
