"""``python -m benchmarks [--runs 5] [--json FILE]``: run the suite, print the table.

Starts the fixture server (300 ms per request by default), fills a warm cache once
through the print path, then measures in rounds: one warm-up, ``--runs`` counted.  The
table is Markdown, ready for the README; the JSON (all samples, request logs, the
importtime evidence) goes to benchmarks/results/ and to ``--json`` if given.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import biglists, enrich
from benchmarks.procs import ROOT
from benchmarks.report import build_lines, evidence_text
from benchmarks.startup import REVIEWS, Session, import_evidence, run_rounds
from benchmarks.stats import render_table
from tests.server import FixtureServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="measured runs (at least 5)")
    parser.add_argument("--latency", type=float, default=0.3, help="server delay per request")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--readme",
        action="store_true",
        help="write the table into README.md between the performance markers",
    )
    parser.add_argument(
        "--from-json",
        type=Path,
        metavar="FILE",
        help="measure nothing: print (and with --readme write) a saved run",
    )
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["start", "lists", "enrich"],
        help="leave out parts of the suite (for quick checks)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    def progress(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        table = render_table(build_lines(saved))
        print(table)
        print(evidence_text(saved))
        if args.readme:
            write_readme(ROOT / "README.md", table + "\n" + evidence_text(saved), saved)
        return 0
    started = time.monotonic()
    data: dict[str, Any] = {"runs": args.runs, "latency_s": args.latency}
    with (
        tempfile.TemporaryDirectory(prefix="pubterm-bench-") as tmp,
        FixtureServer(latency=args.latency) as server,
    ):
        session = Session(server, Path(tmp))
        progress("filling the warm cache through the print path")
        session.fill_warm_cache()
        if "start" not in args.skip:
            samples = run_rounds(session, args.runs, progress)
            data["values"] = dict(samples.values)
            data["details"] = dict(samples.details)
            progress("python -X importtime of the print path")
            data["importtime"] = import_evidence(session, REVIEWS[1][0])
        if "lists" not in args.skip:
            progress("parsing the 597-reference record")
            data["parse"] = biglists.parse_times(session.warm_cache, max(20, 4 * args.runs))
            progress("keys in the references pane (Pilot)")
            data["keys"] = biglists.in_app(session.env(session.warm_cache), args.runs)
        if "enrich" not in args.skip:
            progress("resolving and prefetching 597 references")
            data["enrich"] = enrich.measure(
                server, Path(tmp), session.env(session.warm_cache), args.runs
            )
    data["seconds"] = round(time.monotonic() - started, 1)
    data["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": _cpus(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    lines = build_lines(data)
    data["lines"] = [line.to_json() for line in lines]
    table = render_table(lines)
    print(table)
    print(evidence_text(data))
    if args.readme:
        write_readme(ROOT / "README.md", table + "\n" + evidence_text(data), data)
        progress("wrote the table into README.md")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for path in [results / f"{stamp}.json", *([args.json] if args.json else [])]:
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        progress(f"wrote {path}")
    return 0 if all(line.met is not False for line in lines) else 1


def write_readme(readme: Path, block: str, data: dict[str, Any]) -> None:
    """Replace what stands between the performance markers with this run's table."""
    start, end = "<!-- performance:start -->\n", "<!-- performance:end -->"
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(start)
    _, found, tail = rest.partition(end)
    if not found:
        raise SystemExit("README.md has no performance markers")
    machine = data["machine"]
    when = (
        f"Run of {machine['when'][:10]}: {data['runs']} measured runs after a warm-up,"
        f" {machine['cpus']} CPUs, Python {machine['python']}, server latency"
        f" {data['latency_s'] * 1000:.0f} ms per request.\n\n"
    )
    readme.write_text(head + start + when + block + end + tail, encoding="utf-8")


def _cpus() -> int:
    import os

    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 0)
    )


if __name__ == "__main__":
    sys.exit(main())
