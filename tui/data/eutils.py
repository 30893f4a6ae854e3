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

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

import httpx
import stamina
import stamina.instrumentation

from tui import __version__
from tui.data import urls
from tui.data.answers import (
    Failure,
    Service,
    _check_body,
    _retry_after,
    _status_failure,
    _transport_reason,  # noqa: F401  (tests reach it here)
)
from tui.data.errors import (
    BadResponseError,
    HttpStatusError,
    PubtermError,
    RateLimitedError,
    UnreachableError,
)
from tui.data.fetching import fetch_once
from tui.data.limits import Limits
from tui.data.ratelimit import Slot, limiter_for
from tui.data.retry_policy import RetryNotice, redact, retry_wait
from tui.data.retry_policy import secret_forms as _secret_forms
from tui.data.settings import Settings
from tui.data.transport import LazyTlsTransport
from tui.data.unpack import ACCEPT_ENCODING

POST_ABOVE = 200  # NCBI asks for POST when a request carries more than 200 ids
CONNECT_TIMEOUT = 10.0
PROJECT_URL = "https://github.com/pubterm/pubterm"

# stamina logs each retry as a warning by default, which would reach the terminal through
# logging's last-resort handler; pubterm tells people itself, through ``on_retry``.
stamina.instrumentation.set_on_retry_hooks([])


class EutilsClient:
    """One pooled HTTP client for a session; use ``async with`` or call ``aclose()``."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_retry: Callable[[RetryNotice], None] | None = None,
        limits: Limits | None = None,
    ) -> None:
        self._settings = settings
        self.on_retry = on_retry
        self._secrets = _secret_forms(settings.api_key, settings.email)
        self._log_filter = _RedactingFilter(self._secrets)
        logging.getLogger("httpx").addFilter(self._log_filter)
        agent = f"pubterm/{__version__} (+{PROJECT_URL}"
        self._plain_agent = agent + ")"  # for hosts other than the one asked
        agent += f"; mailto:{settings.email})" if settings.email else ")"
        self._limits = limits or Limits.from_environ()
        self._http = httpx.AsyncClient(
            transport=transport or LazyTlsTransport(),
            timeout=httpx.Timeout(settings.timeout, connect=min(CONNECT_TIMEOUT, settings.timeout)),
            headers={"User-Agent": agent, "Accept-Encoding": ACCEPT_ENCODING},
            follow_redirects=False,  # followed by hand: tui/data/fetching.py
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

    async def get_xml(self, url: str, params: Mapping[str, str], root: str) -> bytes:
        """An XML document whose root is ``root`` (Europe PMC, PMC), with the same retry rules."""
        return await self._request(url, dict(params), kind="xml", root=root)

    async def eutil(self, name: str, params: Mapping[str, str], root: str, *, post: bool) -> bytes:
        """Any E-utility (``esearch.fcgi`` with sort and WebEnv, say) under NCBI's rules."""
        url = urls.endpoint(self._settings.eutils_url, name)
        return await self._request(url, dict(params), kind="xml", root=root, post=post)

    async def _eutil(self, name: str, params: dict[str, str], root: str, count: int) -> bytes:
        url = urls.endpoint(self._settings.eutils_url, name)
        return await self._request(url, params, kind="xml", root=root, post=count > POST_ABOVE)

    # -- the retry loop --------------------------------------------------------------------
    def _service(self, url: str) -> Service:
        s = self._settings
        host = urlsplit(url).netloc
        if url.startswith(urls.base(s.eutils_url)):
            rate = int(s.requests_per_second)
            return Service("NCBI", "PubMed", limiter_for(f"ncbi:{host}", rate), True)
        if url.startswith(urls.base(s.europepmc_url)):
            return Service("Europe PMC", "Europe PMC", limiter_for(f"epmc:{host}", 10), False)
        if url.startswith(urls.base(s.crossref_url)):
            return Service("Crossref", "Crossref", limiter_for(f"crossref:{host}", 5), False)
        return Service(host, host, limiter_for(f"other:{host}", 5), False)

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
        service: Service,
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
        method = "POST" if post else "GET"
        request = (
            self._http.build_request(method, url, data=params, extensions=extensions)
            if post
            else self._http.build_request(method, url, params=params, extensions=extensions)
        )
        response = await fetch_once(
            self._http,
            request,
            service,
            self._limits,
            timeout=self._settings.timeout,
            plain_agent=self._plain_agent,
        )
        if isinstance(response, Failure):
            return response
        if response.status != 200:
            failure = _status_failure(
                service, response.status, response.body, response.reason_phrase
            )
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if failure.retry and retry_after is not None:
                failure = replace(failure, retry_after=retry_after)
            return failure
        return _check_body(service, response.body, kind, root)

    def _backoff(self, attempt: int, failure: Failure) -> float:
        return retry_wait(self._settings, attempt, failure)

    def _redacted(self, error: PubtermError) -> PubtermError:
        text = str(error)
        if redact(text, self._secrets) != text:
            error.args = tuple(redact(str(a), self._secrets) for a in error.args)
        return error


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


def _id_list(pmids: Sequence[str]) -> str:
    if isinstance(pmids, str):
        raise TypeError("pass a sequence of PMIDs, not one string")
    if not pmids:
        raise ValueError("no PMIDs given")
    return ",".join(str(p).strip() for p in pmids)


__all__ = [
    "BadResponseError",
    "EutilsClient",
    "HttpStatusError",
    "RateLimitedError",
    "RetryNotice",
    "UnreachableError",
    "redact",
]
