"""One process of the shared-limit test: ``python -m tests.ratelimit_burst URL N``.

It opens pubterm's E-utilities client, says "ready" and waits for a line on standard
input, so that the test can let every process go at once; then it sends N esearch calls
together (terms numbered from its process id) and exits 0 when all were answered.
"""

from __future__ import annotations

import asyncio
import os
import sys

from tui.data.eutils import EutilsClient
from tui.data.settings import Settings


async def burst(url: str, count: int) -> None:
    settings = Settings(eutils_url=url, api_key=os.environ.get("NCBI_API_KEY"), timeout=30.0)
    client = EutilsClient(settings)
    try:
        base = 40_000_000 + os.getpid() * 100
        await asyncio.gather(*(client.esearch(str(base + i)) for i in range(count)))
    finally:
        await client.aclose()


def main() -> None:
    url, count = sys.argv[1], int(sys.argv[2])
    print("ready", flush=True)
    sys.stdin.readline()
    asyncio.run(burst(url, count))


if __name__ == "__main__":
    main()
