"""What the first request imports, imported ahead of it on a thread.

The HTTP client is created on first use so that offline runs and cached opens never
import httpx; httpx in turn loads its connection pool, HTTP/1.1 parser and async backend
only when the first request goes out.  Together they take 100-300 ms, which a screen
that knows a request is coming (the search screen, while the query is typed) can pay in
the background instead of after ``enter``.  Nothing is imported here at module level.
"""

from __future__ import annotations

import contextlib
import importlib

NETWORK_MODULES = (
    "tui.data.eutils",
    "tui.data.bibliography",
    "httpcore",
    "h11",
    "anyio._backends._asyncio",
    "httpcore._backends.anyio",
    "certifi",
)
"""The client, the summaries' path, and what httpx loads on its first request."""


def import_network() -> None:
    """Import every module of NETWORK_MODULES there is (a missing one is skipped)."""
    for name in NETWORK_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
