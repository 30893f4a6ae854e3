"""``python -m benchmarks``: measure, print the table and write it into the README.

Starts the fixture server (300 ms a request), adds the 5,000- and 20,000-reference
copies, fills a warm cache, then runs the start-up rounds (a warm-up, then ``--runs``),
the key timings, the search rounds and the Full text pane's (its own server: the text
is read from the cache).  ``--quick`` is a check that the harness works, not a
measurement: one round without a warm-up, a 1,000-reference copy as the long review,
short key sequences, one search, one full-text round, and the README left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.fulltext import run_fulltext
from benchmarks.imports import import_evidence
from benchmarks.keys import QUERY, filter_test, move_tests, run_tests
from benchmarks.readme import write_readme
from benchmarks.report import build_rows
from benchmarks.search import run_search
from benchmarks.session import Session
from benchmarks.startup import run_rounds
from benchmarks.stats import render_table
from benchmarks.terminal import ROOT
from tests.server import FixtureServer


def _progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def measure(runs: int, latency: float, quick: bool) -> dict[str, Any]:
    """One whole run: every figure the table needs, with its raw samples."""
    started = time.monotonic()
    sizes = (1000,) if quick else (5000, 20000)
    data: dict[str, Any] = {"runs": runs, "latency_s": latency, "quick": quick}
    load = [os.getloadavg()[0]]
    with (
        tempfile.TemporaryDirectory(prefix="pubterm-bench-") as tmp,
        FixtureServer(latency=latency) as server,
    ):
        session = Session(server, Path(tmp), sizes)
        data["sizes"] = sorted(session.reviews)
        _progress("filling the warm cache (print path, then one reader open per review)")
        session.fill_warm_cache()
        data["rounds"] = run_rounds(session, runs, _progress, warmup=not quick)
        data["importtime"] = import_evidence(session)
        passes = 1 if quick else runs
        held = 3 if quick else 10
        query = QUERY[:2] if quick else QUERY
        keys: dict[str, Any] = {}
        small, big = data["sizes"][0], data["sizes"][-1]
        _progress(f"keys at {small} references")
        keys.update(_named(run_tests(session, small, [filter_test(query)], passes), small))
        _progress(f"keys at {big:,} references")
        moves = [t for t in move_tests(held) if not (quick and t.name == "pgdn")]
        tests = [*moves, filter_test(query)]
        keys.update(_named(run_tests(session, big, tests, passes), big))
        data["keys"] = keys
        _progress("a fresh search, then j held into its second page")
        data["search"] = run_search(session, passes, _progress)
    _progress("the full text pane: painted after its key, then j and pgdn")
    scroll = {"j": 5, "pagedown": 3} if quick else None
    data["fulltext"] = run_fulltext(1 if quick else min(runs, 5), scroll)
    load.append(os.getloadavg()[0])
    data["seconds"] = round(time.monotonic() - started, 1)
    data["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": len(os.sched_getaffinity(0)),
        "load": load,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return data


def _named(results: dict[str, Any], size: int) -> dict[str, Any]:
    return {f"{name}_{size}": result for name, result in results.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="measured rounds (default 7)")
    parser.add_argument("--latency", type=float, default=0.3, help="server delay per request")
    parser.add_argument("--quick", action="store_true", help="check the harness, fast")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
    parser.add_argument("--from-json", type=Path, metavar="FILE", help="report a saved run")
    args = parser.parse_args(argv)
    if args.from_json:
        data = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        data = measure(1 if args.quick else max(1, args.runs), args.latency, args.quick)
    rows = build_rows(data)
    data["rows"] = [row.__dict__ for row in rows]
    print(render_table(rows))
    if args.json:
        args.json.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        _progress(f"wrote {args.json}")
    if not (args.quick or args.no_readme):
        write_readme(ROOT / "README.md", rows, data)
        _progress("wrote the table into README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
