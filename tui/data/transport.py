"""The HTTP transport: TLS set up on the first https request, not when the client is made.

Building httpx's default transport loads the system's certificate store into an SSL
context, 20-40 ms that a ``pubterm --format json ID`` against an ``http://`` mirror (or
the local test server) pays for nothing.  This transport keeps one pool per scheme and
builds each on first use: https requests get httpx's usual verified TLS; plain http
requests never open a TLS connection, so their pool's context is never loaded.  Proxies
from the environment are httpx's own mounts and are not affected.
"""

from __future__ import annotations

import httpx


class LazyTlsTransport(httpx.AsyncBaseTransport):
    """httpx's ``AsyncHTTPTransport``, one per scheme, each built on first use."""

    def __init__(self) -> None:
        self._tls: httpx.AsyncHTTPTransport | None = None
        self._plain: httpx.AsyncHTTPTransport | None = None

    @property
    def tls_ready(self) -> bool:
        """True once an https request has made the verified TLS pool."""
        return self._tls is not None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme == "https":
            if self._tls is None:
                self._tls = httpx.AsyncHTTPTransport()  # verified, the system's CAs
            return await self._tls.handle_async_request(request)
        if request.url.scheme != "http":
            raise httpx.UnsupportedProtocol(f"no transport for {request.url.scheme!r} URLs")
        if self._plain is None:
            # Never used for TLS: an https URL, a redirect to one included, goes above.
            self._plain = httpx.AsyncHTTPTransport(verify=False)
        return await self._plain.handle_async_request(request)

    async def aclose(self) -> None:
        for transport in (self._tls, self._plain):
            if transport is not None:
                await transport.aclose()
        self._tls = self._plain = None
