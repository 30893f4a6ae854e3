"""One GET over the standard library's ``http.client``, with httpx's path's safety nets.

The print path's first efetch goes out before pubterm has imported anything heavy
(:mod:`tui.data.plain_efetch`): httpx, anyio and an event loop cost more than the
round trip they would carry.  This module is that request's wire: :func:`send` writes it
and returns at once, so the caller can import what it needs while the answer is away;
:meth:`Pending.finish` then reads the answer under the same nets as
:mod:`tui.data.fetching`: redirects followed by hand (at most ``max_redirects``, only to
http or https addresses, the API key and e-mail never sent to another host), the body
unpacked step by step against a size cap, and one deadline for the whole attempt.
Every way it can fail ends as a :class:`~tui.data.answers.Failure`.
"""

from __future__ import annotations

import io
import re
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit

from tui.data.answers import Failure, Service
from tui.data.errors import BadResponseError, UnreachableError
from tui.data.limits import SECRET_PARAMS, Limits
from tui.data.unpack import CappedBody, TooBig, UnpackError

if TYPE_CHECKING:
    import http.client

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
# What http.client refuses in a request target or a header value (an injected line).
_BAD_TARGET = re.compile("[\x00-\x20\x7f]")
_BAD_VALUE = re.compile("[\x00\r\n]")


@dataclass(frozen=True, slots=True)
class PlainAnswer:
    """A final (not redirected) answer, its body unpacked and complete."""

    status: int
    reason_phrase: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds a connection may take to open, and seconds each read may wait."""

    connect: float
    read: float


class _Late(Exception):
    pass


class Pending:
    """A request whose bytes are out; :meth:`finish` reads (and follows) its answer."""

    def __init__(
        self,
        sock: socket.socket,
        url: str,
        headers: dict[str, str],
        timeouts: Timeouts,
        began: float,
    ) -> None:
        self._sock = sock
        self._response: http.client.HTTPResponse | None = None
        self.url = url
        self._headers = headers
        self._timeouts = timeouts
        self._began = began

    def close(self) -> None:
        if self._response is not None:
            self._response.close()
        self._sock.close()

    def finish(self, service: Service, limits: Limits, plain_agent: str) -> PlainAnswer | Failure:
        """The final answer, or why there is none; the connection is closed after."""
        import http.client  # imported once the request is out, while it is away

        deadline = self._began + limits.deadline
        origin = _origin(self.url)
        pending: Pending | Failure = self
        try:
            for followed in range(limits.max_redirects + 1):
                if isinstance(pending, Failure):
                    return pending
                try:
                    got = pending._read(limits.max_bytes, deadline)
                finally:
                    pending.close()
                if isinstance(got, PlainAnswer | Failure):
                    return got
                target = urljoin(pending.url, got)
                scheme = urlsplit(target).scheme
                if scheme not in ("http", "https"):
                    return Failure(
                        f"{service.name} redirected to a {scheme}:// address",
                        BadResponseError(
                            f"{service.name} redirected to a {scheme}:// address,"
                            " which pubterm does not follow"
                        ),
                        retry=False,
                    )
                headers = dict(self._headers)
                if followed == limits.max_redirects:
                    break  # one more would be a redirect too many
                if _origin(target) != origin:
                    target = _without_secrets(target)
                    headers["User-Agent"] = plain_agent
                pending = send(target, headers, self._timeouts, service, began=self._began)
        except TooBig:
            mb = limits.max_bytes / (1024 * 1024)
            return Failure(
                f"{service.name} sent too much",
                BadResponseError(f"{service.name} sent an answer larger than {mb:g} MB unpacked"),
                retry=False,
            )
        except TimeoutError as exc:
            if time.monotonic() < deadline:
                return plain_failure(exc, service, self._timeouts.read)
            return self._late(service, limits)
        except _Late:
            return self._late(service, limits)
        except (OSError, http.client.HTTPException, UnpackError, ValueError) as exc:
            return plain_failure(exc, service, self._timeouts.read)
        return Failure(
            f"{service.name} redirected too often",
            BadResponseError(
                f"{service.name} redirected more than {limits.max_redirects} times"
                " (a redirect loop)"
            ),
        )

    @staticmethod
    def _late(service: Service, limits: Limits) -> Failure:
        why = f"the answer was not complete after {limits.deadline:g} s"
        return Failure(
            f"{service.name} answered too slowly",
            UnreachableError(f"{service.label} unreachable: {why}"),
            retry=False,  # a server that slow would take as long again
        )

    def _read(self, max_bytes: int, deadline: float) -> PlainAnswer | Failure | str:
        """The answer, or the Location of a redirect (raises on the nets above)."""
        import http.client

        # http.client reads the answer the plain socket's request asked for, every read
        # (the status line and headers included) under the attempt's deadline.
        timed = _DeadlineSocket(self._sock, self._timeouts.read, deadline)
        response = self._response = http.client.HTTPResponse(timed, method="GET")  # type: ignore[arg-type]
        response.begin()
        location = response.getheader("Location")
        if response.status in REDIRECTS and location:
            return location
        body = CappedBody(response.getheader("Content-Encoding"), max_bytes)
        while raw := response.read1(CHUNK):
            body.feed(raw)
        headers = {k.lower(): v for k, v in response.getheaders()}
        return PlainAnswer(response.status, response.reason, headers, body.finish())


class _DeadlineIO(io.RawIOBase):
    """The socket's bytes, each read waiting the read timeout but never past the deadline
    (a server that dribbles its headers or body a byte at a time is cut off in time)."""

    def __init__(self, sock: socket.socket, read: float, deadline: float) -> None:
        self._sock, self._read, self._deadline = sock, read, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise _Late
        self._sock.settimeout(min(self._read, left))
        return self._sock.recv_into(buffer)


class _DeadlineSocket:
    """What http.client.HTTPResponse asks of a socket: ``makefile``, timed as above."""

    def __init__(self, sock: socket.socket, read: float, deadline: float) -> None:
        self._raw = _DeadlineIO(sock, read, deadline)

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(self._raw)


def send(
    url: str,
    headers: dict[str, str],
    timeouts: Timeouts,
    service: Service,
    *,
    began: float | None = None,
) -> Pending | Failure:
    """Connect and write a GET for ``url``; return as soon as its bytes are out.

    The request is written on the socket by hand, so that nothing but ``socket`` is
    imported before it leaves; ``http.client`` reads the answer (:meth:`Pending.finish`).
    """
    parts = urlsplit(url)
    began = time.monotonic() if began is None else began
    sock: socket.socket | None = None
    try:
        request = _request(parts, headers)
        sock = socket.create_connection((parts.hostname or "", _port(parts)), timeouts.connect)
        if parts.scheme == "https":
            import ssl

            context = ssl.create_default_context()  # verified, the system's CAs
            sock = context.wrap_socket(sock, server_hostname=parts.hostname)
        sock.settimeout(timeouts.read)
        sock.sendall(request)
    except (OSError, ValueError) as exc:
        if sock is not None:
            sock.close()
        return plain_failure(exc, service, timeouts.connect)
    return Pending(sock, url, headers, timeouts, began)


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def _request(parts: SplitResult, headers: Mapping[str, str]) -> bytes:
    """The GET's bytes, as http.client would write them (ValueError for an injection)."""
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    if parts.port not in (None, 443 if parts.scheme == "https" else 80):
        host = f"{host}:{parts.port}"
    lines = [f"GET {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if _BAD_TARGET.search(target) or any(_BAD_VALUE.search(line) for line in lines):
        raise ValueError("the address or a header holds a character a request cannot")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname, port


def _without_secrets(url: str) -> str:
    parts = urlsplit(url)
    kept = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(k, v) for k, v in kept if k not in SECRET_PARAMS])
    return parts._replace(query=query).geturl()


def plain_failure(exc: BaseException, service: Service, timeout: float) -> Failure:
    """A failure below HTTP (or a broken exchange) as the notice and the error."""
    import http.client

    label = service.label
    if isinstance(exc, TimeoutError):
        return Failure(
            f"{service.name} did not answer in time",
            UnreachableError(f"{label} unreachable: no answer within {timeout:g} s"),
        )
    if isinstance(exc, UnpackError):
        return Failure(
            f"{service.name} sent an answer that could not be unpacked",
            BadResponseError(
                f"{service.name} sent an answer that could not be unpacked"
                " (its compression is broken)"
            ),
        )
    if isinstance(exc, socket.gaierror):
        reason, why = "Cannot resolve the host", "host name lookup failed"
    elif isinstance(exc, ConnectionRefusedError):
        reason, why = "Connection refused", "connection refused"
    elif isinstance(exc, http.client.IncompleteRead):
        reason, why = "Answer cut short", "the connection closed before the answer was complete"
    elif isinstance(exc, ConnectionError | http.client.RemoteDisconnected):
        reason, why = "Connection dropped", "the connection was dropped"
    elif isinstance(exc, http.client.HTTPException):
        reason = "Connection failed"
        why = f"the exchange failed ({type(exc).__name__})"
    else:  # a port out of range, an address that is not one
        cause = str(exc).rstrip(".") or type(exc).__name__
        return Failure(
            "Cannot connect",
            UnreachableError(f"{label} unreachable: cannot connect ({cause})"),
            retry=isinstance(exc, OSError),
        )
    return Failure(reason, UnreachableError(f"{label} unreachable: {why}"))
