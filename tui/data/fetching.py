"""One attempt at one answer: redirects followed by hand, the body read under limits.

A hostile or broken server can answer with a redirect loop, a redirect to a ``file://``
address or to another host (which must not receive the API key or the e-mail), a gzip
header that lies, a small body that unpacks to gigabytes, a body that never ends, or one
byte a second.  httpx alone would raise a handful of its own exceptions, follow any
redirect with the secrets on board, hold the whole body in memory and wait per read.
Here every attempt either gives the answer's status and body or a
:class:`~tui.data.answers.Failure` with a sentence, so the retry policy and the stale
cached copy apply to each case as they do to a 503.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

from tui.data.answers import Failure, Service, _transport_reason
from tui.data.errors import BadResponseError, UnreachableError
from tui.data.limits import SECRET_PARAMS, Limits
from tui.data.unpack import CappedBody, TooBig, UnpackError


@dataclass(frozen=True, slots=True)
class Answer:
    """A final (not redirected) answer, its body unpacked and complete."""

    status: int
    reason_phrase: str
    headers: httpx.Headers
    body: bytes


async def fetch_once(
    http: httpx.AsyncClient,
    request: httpx.Request,
    service: Service,
    limits: Limits,
    *,
    timeout: float,
    plain_agent: str,
) -> Answer | Failure:
    """Send ``request`` and follow its redirects; the final answer or why there is none.

    ``plain_agent`` is the User-Agent without the e-mail, for hosts other than the one
    asked.  ``timeout`` is the per-read timeout the client was made with (for messages).
    """
    try:
        async with asyncio.timeout(limits.deadline):
            return await _follow(http, request, service, limits, timeout, plain_agent)
    except TimeoutError:
        why = f"the answer was not complete after {limits.deadline:g} s"
        return Failure(
            f"{service.name} answered too slowly",
            UnreachableError(f"{service.label} unreachable: {why}"),
            retry=False,  # a server that slow would take as long again
        )


async def _follow(
    http: httpx.AsyncClient,
    request: httpx.Request,
    service: Service,
    limits: Limits,
    timeout: float,
    plain_agent: str,
) -> Answer | Failure:
    origin = _origin(request.url)
    for _ in range(limits.max_redirects + 1):
        try:
            response = await http.send(request, stream=True, follow_redirects=False)
            try:
                location = response.headers.get("Location")
                if response.is_redirect and location:
                    target = response.url.join(location)
                else:
                    body = await _read_capped(response, limits.max_bytes)
                    return Answer(
                        response.status_code, response.reason_phrase, response.headers, body
                    )
            finally:
                await response.aclose()
        except TooBig:
            mb = limits.max_bytes / (1024 * 1024)
            return Failure(
                f"{service.name} sent too much",
                BadResponseError(f"{service.name} sent an answer larger than {mb:g} MB unpacked"),
                retry=False,
            )
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, UnpackError) as exc:
            return http_failure(exc, service, timeout)
        except Exception as exc:  # below httpx: a port out of range, say
            # Nothing but pubterm's errors crosses the client boundary; the type names it.
            why = f"cannot connect ({_first_cause(exc)})"
            return Failure(
                "Cannot connect",
                UnreachableError(f"{service.label} unreachable: {why}"),
                retry=isinstance(exc, OSError),
            )
        if target.scheme not in ("http", "https"):
            return Failure(
                f"{service.name} redirected to a {target.scheme}:// address",
                BadResponseError(
                    f"{service.name} redirected to a {target.scheme}:// address,"
                    " which pubterm does not follow"
                ),
                retry=False,
            )
        try:
            request = _next_request(
                http, request, response.status_code, target, origin, plain_agent
            )
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return http_failure(exc, service, timeout)
    return Failure(
        f"{service.name} redirected too often",
        BadResponseError(
            f"{service.name} redirected more than {limits.max_redirects} times (a redirect loop)"
        ),
    )


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _next_request(
    http: httpx.AsyncClient,
    previous: httpx.Request,
    status: int,
    target: httpx.URL,
    origin: tuple[str, str, int | None],
    plain_agent: str,
) -> httpx.Request:
    """The request a redirect asks for, without the secrets when it leaves the origin.

    As browsers do: 307 and 308 repeat the method and body, the others become a GET.
    """
    keep_body = status in (307, 308) and previous.method == "POST"
    foreign = _origin(target) != origin
    if foreign:
        target = target.copy_with(params=_without_secrets(target.params.multi_items()))
    headers: dict[str, str] = {}
    if foreign:
        headers["User-Agent"] = plain_agent
    extensions = dict(previous.extensions)
    if keep_body:
        form = httpx.QueryParams(previous.content.decode("utf-8", "replace"))
        data: Any = _without_secrets(form.multi_items()) if foreign else form.multi_items()
        return http.build_request(
            "POST", target, data=dict(data), headers=headers, extensions=extensions
        )
    return http.build_request("GET", target, headers=headers, extensions=extensions)


def _without_secrets(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in items if k not in SECRET_PARAMS]


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The unpacked body, or :class:`TooBig` as soon as it passes ``max_bytes``.

    The raw bytes are unpacked here, step by bounded step (:mod:`tui.data.unpack`),
    not by httpx, which would unpack each network chunk whole before the count.
    """
    body = CappedBody(response.headers.get("Content-Encoding"), max_bytes)
    async for raw in response.aiter_raw():
        body.feed(raw)
    return body.finish()


def _first_cause(exc: BaseException) -> str:
    """The innermost error of an exception group (anyio's connect raises one), in words."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return str(exc).rstrip(".") or type(exc).__name__


def http_failure(exc: Exception, service: Service, timeout: float) -> Failure:
    """Any httpx error as a Failure: the notice while retrying, the error if it persists."""
    if isinstance(exc, httpx.TimeoutException):
        why = f"no answer within {timeout:g} s"
        return Failure(
            f"{service.name} did not answer in time",
            UnreachableError(f"{service.label} unreachable: {why}"),
        )
    if isinstance(exc, httpx.DecodingError | UnpackError):
        return Failure(
            f"{service.name} sent an answer that could not be unpacked",
            BadResponseError(
                f"{service.name} sent an answer that could not be unpacked"
                " (its compression is broken)"
            ),
        )
    if isinstance(exc, httpx.UnsupportedProtocol):
        return Failure(
            "Not an http or https address",
            UnreachableError(
                f"{service.label} unreachable: its address is not an http:// or https:// URL"
            ),
            retry=False,  # the same address would fail the same way
        )
    if isinstance(exc, httpx.TransportError):
        reason, why = _transport_reason(exc)
        return Failure(reason, UnreachableError(f"{service.label} unreachable: {why}"))
    if isinstance(exc, httpx.InvalidURL):
        return Failure(
            f"{service.name} redirected to an invalid address",
            BadResponseError(f"{service.name} redirected to an address that is not a URL"),
            retry=False,
        )
    return Failure(
        "Connection failed",
        UnreachableError(
            f"{service.label} unreachable: the exchange failed ({type(exc).__name__})"
        ),
    )
