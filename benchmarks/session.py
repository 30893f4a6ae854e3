"""What every measurement shares: the server, the reviews, the code trees and caches.

pubterm is measured twice over, from two copies of its package made at the start of a
run: **as installed** (bytecode compiled once, as ``pip install`` leaves it) and **from
source** (no bytecode at all and ``PYTHONDONTWRITEBYTECODE=1``, so every start compiles
the package again, as on machines that set it).  Third-party packages keep the bytecode
their install wrote in both.  The warm cache is filled once through the print path and
one reader open per review, so a warm open finds everything a second visit would.
"""

from __future__ import annotations

import compileall
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.synthetic import Review, long_review, real_review
from benchmarks.terminal import PYTHON, ROOT, Terminal, base_env, piped
from tests.server import FixtureServer

VARIANTS = ("installed", "source")
FLOOR = [PYTHON, str(ROOT / "benchmarks" / "floor_app.py")]
ENTREZ = [PYTHON, str(ROOT / "benchmarks" / "entrez_print.py")]


def pubterm_script() -> list[str]:
    """The installed ``pubterm`` script when there is one, as people start it."""
    script = Path(PYTHON).parent / "pubterm"
    return [str(script)] if script.exists() else [PYTHON, "-m", "tui"]


@dataclass
class Session:
    """The server (with the long copies added), two code trees and the warm cache."""

    server: FixtureServer
    scratch: Path
    sizes: tuple[int, ...] = (5000, 20000)
    reviews: dict[int, Review] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.warm_cache = self.scratch / "warm-cache"
        small = real_review()
        self.reviews[small.references] = small
        for size in self.sizes:
            review = long_review(size)
            self.server.add_record(review.pmid, review.xml)
            self.reviews[size] = review
        source = ROOT / "tui"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for variant in VARIANTS:
            shutil.copytree(source, self.scratch / variant / "tui", ignore=ignore)
        compileall.compile_dir(str(self.scratch / "installed" / "tui"), quiet=1)

    @property
    def small(self) -> Review:
        return self.reviews[min(self.reviews)]

    def env(self, cache: Path | None = None, variant: str = "installed") -> dict[str, str]:
        extra = {
            "PUBTERM_EUTILS_URL": self.server.eutils_url,
            "PUBTERM_EUROPEPMC_URL": self.server.europepmc_url,
            "PUBTERM_CROSSREF_URL": self.server.crossref_url,
            "PUBTERM_CACHE_DIR": str(cache or self.warm_cache),
            "PUBTERM_CONFIG": str(self.scratch / "no-config.toml"),
            "PYTHONPATH": str(self.scratch / variant),
        }
        if variant == "source":
            extra["PYTHONDONTWRITEBYTECODE"] = "1"
        return base_env(extra)

    def cold_cache(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="cold-", dir=self.scratch))

    def fill_warm_cache(self) -> None:
        """Print every review once, then open each in the reader until its background
        requests (reference summaries) are answered, as a first visit would."""
        pmids = [r.pmid for r in self.reviews.values()]
        piped([*pubterm_script(), "--format", "json", *pmids], self.env())
        for review in self.reviews.values():
            with Terminal([*pubterm_script(), review.pmid], self.env()) as term:
                term.wait_painted(review.expected)
                self.wait_server_quiet(1.5)

    def wait_server_quiet(self, seconds: float, timeout: float = 60.0) -> None:
        """Until no request has reached the server for ``seconds`` (or ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            log = self.server.logged()
            last = log[-1].time + self.server.latency if log else 0.0
            if time.monotonic() - last >= seconds:
                return
            time.sleep(0.05)

    def requests_since(self, before: int, start: float, painted: float) -> dict[str, Any]:
        """The server's log since entry ``before``, split at the paint: answered before
        it (the critical path), still in flight at it, and started after it."""
        log = self.server.logged()[before:]
        out: dict[str, Any] = {"critical": [], "in_flight": [], "after": []}
        for request in log:
            if request.time + self.server.latency <= painted:
                out["critical"].append(request.endpoint)
            elif request.time < painted:
                out["in_flight"].append(request.endpoint)
            else:
                out["after"].append(request.endpoint)
        out["sent_ms"] = [round((r.time - start) * 1000, 1) for r in log]
        return out
