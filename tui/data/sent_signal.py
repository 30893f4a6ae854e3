"""A transport that says when a request's bytes have been written.

The print path (:mod:`tui.data.ahead`) lets its caller start importing the parser and
the format only once the request is out: the connection's own set-up (httpcore, anyio,
the socket) would otherwise compete with those imports for the interpreter and hold the
request back.  httpcore reports each step of a request to the ``trace`` extension; this
wrapper listens to it and passes every event on to the trace already there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

Trace = Callable[[str, object], Awaitable[None]]


class SentSignal(httpx.AsyncBaseTransport):
    """``inner`` with ``sent()`` called once a request's body has been written."""

    def __init__(self, inner: httpx.AsyncBaseTransport, sent: Callable[[], None]) -> None:
        self._inner = inner
        self._sent = sent

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        before: Trace | None = request.extensions.get("trace")

        async def trace(event: str, info: object) -> None:
            if before is not None:
                await before(event, info)
            if event.endswith("send_request_body.complete"):
                self._sent()

        request.extensions["trace"] = trace
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
