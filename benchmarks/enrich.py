"""Enrichment and prefetch of a 597-reference review under NCBI's rate limit.

Resolving the references (esummary: titles, journals, retraction flags) and prefetching
them (efetch into the cache) go through the data layer the reader and ``--prefetch``
use, with an empty cache, against the fixture server's injected latency.  The ideal is
⌈N/200⌉ requests (NCBI's batch size) started at 3 a second, each taking one latency.
"""

from __future__ import annotations

import asyncio
import math
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.server import FixtureServer

BIG = "32051057"
BATCH = 200
RATE = 3.0
LIMITER_WINDOW = 1.2  # the shared limiter's window (1 s plus margin), waited out between runs


def ideal_seconds(requests: int, latency: float) -> float:
    """Requests paced at 3 a second, the last one answered one latency after it starts."""
    return (requests - 1) / RATE + latency if requests else 0.0


async def _one(server: FixtureServer, scratch: Path, environ: dict[str, str]) -> dict[str, Any]:
    from tui.data.bibliography import Bibliography
    from tui.data.cache import RecordCache
    from tui.data.parse import parse_pubmed
    from tui.data.prefetch import prefetch
    from tui.data.service import PubMed
    from tui.data.settings import load_settings

    warm = RecordCache(Path(environ["PUBTERM_CACHE_DIR"]))
    try:
        entry = warm.get_record(BIG)
    finally:
        warm.close()
    assert entry is not None
    record = parse_pubmed(entry.xml)[0]
    pmids = list(dict.fromkeys(r.pmid for r in record.references if r.pmid))
    cache_dir = Path(tempfile.mkdtemp(prefix="enrich-", dir=scratch))
    settings = load_settings({"cache_dir": str(cache_dir)}, environ=environ)
    out: dict[str, Any] = {"pmids": len(pmids)}
    try:
        async with PubMed(settings) as service:
            for name in ("resolve", "prefetch"):
                await asyncio.sleep(LIMITER_WINDOW)
                before = len(server.logged())
                started = time.monotonic()
                start = time.perf_counter()
                if name == "resolve":
                    await Bibliography(service).summaries(pmids)
                else:
                    await prefetch(service, pmids)
                out[f"{name}_s"] = time.perf_counter() - start
                log = server.logged()[before:]
                out[f"{name}_requests"] = len(log)
                out[f"{name}_endpoints"] = sorted({r.endpoint for r in log})
                out[f"{name}_starts_ms"] = [round((r.time - started) * 1000, 1) for r in log]
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    return out


def measure(
    server: FixtureServer, scratch: Path, environ: dict[str, str], runs: int
) -> list[dict[str, Any]]:
    """One warm-up, then ``runs`` runs, each with an empty cache."""
    results = [asyncio.run(_one(server, scratch, environ)) for _ in range(runs + 1)]
    return results[1:]


def ideal_requests(count: int) -> int:
    return math.ceil(count / BATCH)
