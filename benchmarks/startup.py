"""Start-up: the floor, warm and cold opens of the reader, and the print path.

All process measurements are taken in rounds (floor, then every pubterm variant, then
the next round), so a burst of load from other work on the machine lands on the floor
and on pubterm alike instead of on one of them.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.procs import FLOOR, PYTHON, ROOT, Run, base_env, in_terminal, piped
from tests.server import FixtureServer

# (PMID, DOI, references): the two reviews the issue names.
REVIEWS = (
    ("35856662", "10.1128/aac.00216-22", 258),
    ("32051057", "10.1017/S0954422419000301", 597),
)


def pubterm_command() -> list[str]:
    """The installed ``pubterm`` script when there is one, as people start it."""
    script = Path(PYTHON).parent / "pubterm"
    return [str(script)] if script.exists() else [PYTHON, "-m", "tui"]


@dataclass
class Session:
    """The server, a warm cache filled once, and a scratch folder for cold caches."""

    server: FixtureServer
    scratch: Path
    warm_cache: Path = field(init=False)

    def __post_init__(self) -> None:
        self.warm_cache = self.scratch / "warm-cache"

    def env(self, cache: Path, **extra: str) -> dict[str, str]:
        return base_env(
            {
                "PUBTERM_EUTILS_URL": self.server.eutils_url,
                "PUBTERM_EUROPEPMC_URL": self.server.europepmc_url,
                "PUBTERM_CROSSREF_URL": self.server.crossref_url,
                "PUBTERM_CACHE_DIR": str(cache),
                "PUBTERM_CONFIG": str(self.scratch / "no-config.toml"),
                **extra,
            }
        )

    def fill_warm_cache(self) -> None:
        """Fetch both reviews once through the print path, as a user's first run would."""
        argv = [*pubterm_command(), "--format", "json", *(pmid for pmid, _, _ in REVIEWS)]
        run = piped(argv, self.env(self.warm_cache))
        if run.returncode != 0:
            raise RuntimeError(f"filling the warm cache failed: {run.tail()}")

    def cold_cache(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="cold-", dir=self.scratch))


@dataclass
class Samples:
    """Raw figures per measure key, plus details (request logs) per key."""

    values: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    details: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))


def _open(session: Session, ident: str, cache: Path) -> Run:
    env = session.env(cache, PUBTERM_EXIT_AFTER_PAINT="1")
    run = in_terminal([*pubterm_command(), ident], env)
    if run.painted is None:
        raise RuntimeError(f"pubterm {ident} did not paint (exit {run.returncode}): {run.tail()}")
    return run


def _requests(session: Session, before: int, run: Run) -> dict[str, list[str]]:
    """The server's log since ``before``, split at the paint: answered before it (the
    critical path), still in flight at it, and started after it."""
    painted = run.painted or run.ended
    latency = session.server.latency
    out: dict[str, list[str]] = {"critical": [], "in_flight": [], "after": []}
    for request in session.server.logged()[before:]:
        if request.time + latency <= painted:
            out["critical"].append(request.endpoint)
        elif request.time < painted:
            out["in_flight"].append(request.endpoint)
        else:
            out["after"].append(request.endpoint)
    return out


def one_round(session: Session, samples: Samples, record: bool) -> None:
    """Every process measure once; ``record`` False makes it a warm-up round."""

    def keep(key: str, value: float | None, detail: Any = None) -> None:
        if record:
            if value is not None:
                samples.values[key].append(value)
            if detail is not None:
                samples.details[key].append(detail)

    floor = in_terminal(FLOOR, session.env(session.scratch / "unused-cache"))
    keep("floor", floor.to_paint_ms)
    keep("floor_exit", floor.to_exit_ms)
    keep("python", piped([PYTHON, "-c", "pass"], base_env({})).to_exit_ms)
    for pmid, doi, _ in REVIEWS:
        before = len(session.server.logged())
        warm = _open(session, pmid, session.warm_cache)
        keep(f"warm_{pmid}", warm.to_paint_ms, _requests(session, before, warm))
        keep(f"warm_exit_{pmid}", warm.to_exit_ms)
        keep(f"rss_{pmid}", warm.max_rss_mb)
        printed = piped(
            [*pubterm_command(), "--format", "json", pmid], session.env(session.warm_cache)
        )
        if printed.returncode != 0:
            raise RuntimeError(f"print path failed: {printed.tail()}")
        keep(f"print_{pmid}", printed.to_exit_ms)
        for kind, ident in (("pmid", pmid), ("doi", doi)):
            cache = session.cold_cache()
            before = len(session.server.logged())
            cold = _open(session, ident, cache)
            seen = _requests(session, before, cold)
            keep(f"cold_{kind}_{pmid}", cold.to_paint_ms, seen)
            keep(f"cold_req_{kind}_{pmid}", float(len(seen["critical"])))
            shutil.rmtree(cache, ignore_errors=True)
    keep("phases", None, phases(session, REVIEWS[1][0]))


def phases(session: Session, pmid: str) -> dict[str, Any]:
    """One warm open under benchmarks/phases.py: milestones (ms from process start) and
    the time spent in the costly steps before the paint."""
    env = session.env(session.warm_cache, PUBTERM_EXIT_AFTER_PAINT="1")
    run = in_terminal([PYTHON, str(ROOT / "benchmarks" / "phases.py"), pmid], env)
    found = re.search(rb"pubterm-phases (\{.*\})", run.output)
    if found is None:
        raise RuntimeError(f"no phases from benchmarks/phases.py: {run.tail()}")
    data = json.loads(found.group(1))
    marks = {k: (v - run.start) * 1000 for k, v in data["marks"].items()}
    return {"marks": marks, "spans": data["spans"]}


def run_rounds(session: Session, runs: int, progress: Callable[[str], None]) -> Samples:
    """One warm-up round, then ``runs`` measured rounds."""
    samples = Samples()
    for index in range(runs + 1):
        progress("warm-up round" if index == 0 else f"round {index}/{runs}")
        one_round(session, samples, record=index > 0)
    return samples


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def import_evidence(session: Session, pmid: str) -> dict[str, Any]:
    """``python -X importtime`` of the print path: proof that Textual is never imported,
    and where the import time goes (the biggest top-level imports)."""
    argv = [PYTHON, "-X", "importtime", "-m", "tui", "--format", "json", pmid]
    run = piped(argv, session.env(session.warm_cache))
    modules: dict[str, int] = {}
    top: list[tuple[str, int]] = []
    for raw in run.output.decode("utf-8", "replace").splitlines():
        found = _IMPORT_LINE.match(raw)
        if not found:
            continue
        cumulative, indent, name = int(found.group(2)), len(found.group(3)), found.group(4)
        modules[name] = cumulative
        if indent <= 1:
            top.append((name, cumulative))
    top.sort(key=lambda item: -item[1])
    return {
        "command": "python -X importtime -m tui --format json " + pmid,
        "modules": len(modules),
        "textual_imported": any(m == "textual" or m.startswith("textual.") for m in modules),
        "rich_imported": any(m == "rich" or m.startswith("rich.") for m in modules),
        "total_ms": sum(c for _, c in top) / 1000,
        "top": [{"module": m, "cumulative_ms": c / 1000} for m, c in top[:10]],
    }
