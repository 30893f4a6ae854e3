"""``python -m benchmarks.compare REV``: this tree against an earlier one, same run.

A change to the reader's core must not make it slower, and the only fair way to say so
is to time both trees on the same machine in the same minutes.  The earlier tree is
taken from git (``git archive REV tui``) into the run's scratch folder and compiled as
``pip install`` would; each tree gets its own warm cache (an older cache layout could
otherwise be rebuilt under the newer tree).  Warm opens go in shuffled paired rounds,
the ratio taken within each round; the filter and ``G`` keys are timed on the terminal
by ``benchmarks.keys``, the two trees alternating pass by pass.
"""

from __future__ import annotations

import argparse
import compileall
import io
import json
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.keys import QUERY, filter_test, move_tests, run_tests
from benchmarks.session import Session, pubterm_script
from benchmarks.synthetic import Review
from benchmarks.terminal import ROOT, Terminal, piped
from tests.server import FixtureServer

TREES = ("before", "after")


def _progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _export_tree(rev: str, into: Path) -> str:
    """``tui/`` as it was at ``rev``, compiled; the commit it resolved to."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", rev],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "tui"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    compileall.compile_dir(str(into / "tui"), quiet=1)
    return commit


@dataclass
class Tree:
    """One code tree seen the way ``benchmarks.keys`` expects a session to look."""

    session: Session
    variant: str
    cache: Path

    @property
    def reviews(self) -> dict[int, Review]:
        return self.session.reviews

    def env(self, cache: Path | None = None, variant: str | None = None) -> dict[str, str]:
        return self.session.env(cache or self.cache, variant or self.variant)

    def wait_server_quiet(self, seconds: float, timeout: float = 60.0) -> None:
        self.session.wait_server_quiet(seconds, timeout)

    def fill(self) -> None:
        """Print and open each review once, as a first visit would."""
        pmids = [review.pmid for review in self.reviews.values()]
        piped([*pubterm_script(), "--format", "json", *pmids], self.env())
        for review in self.reviews.values():
            with Terminal([*pubterm_script(), review.pmid], self.env()) as term:
                term.wait_painted(review.expected)
                self.wait_server_quiet(1.5)

    def warm_open_ms(self, size: int) -> float:
        review = self.reviews[size]
        with Terminal([*pubterm_script(), review.pmid], self.env()) as term:
            painted = term.wait_painted(review.expected)
            term.check_screen(review.expected)
        return painted * 1000


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _p95(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(
    rev: str, runs: int, passes: int, latency: float, sizes: tuple[int, ...]
) -> dict[str, Any]:
    data: dict[str, Any] = {"runs": runs, "passes": passes, "latency_s": latency}
    with (
        tempfile.TemporaryDirectory(prefix="pubterm-compare-") as tmp,
        FixtureServer(latency=latency) as server,
    ):
        scratch = Path(tmp)
        session = Session(server, scratch, sizes)
        data["before"] = _export_tree(rev, scratch / "before")
        data["after"] = "working tree"
        # "after" is the copy Session made of this checkout as installed.
        trees = {
            "before": Tree(session, "before", scratch / "cache-before"),
            "after": Tree(session, "installed", scratch / "cache-after"),
        }
        for name, tree in trees.items():
            _progress(f"filling the warm cache of {name}")
            tree.fill()
        shuffle = random.Random(29)
        opens: dict[str, dict[int, list[float]]] = {t: {} for t in TREES}
        ratios: dict[int, list[float]] = {}
        for index in range(runs + 1):
            _progress("warm-up round" if index == 0 else f"round {index}/{runs}")
            for size in session.reviews:
                order = list(TREES)
                shuffle.shuffle(order)
                got = {name: trees[name].warm_open_ms(size) for name in order}
                if index == 0:
                    continue
                for name, value in got.items():
                    opens[name].setdefault(size, []).append(value)
                ratios.setdefault(size, []).append(got["after"] / got["before"])
        data["warm_open"] = {
            t: {str(s): v for s, v in by_size.items()} for t, by_size in opens.items()
        }
        data["warm_ratio"] = {str(s): v for s, v in ratios.items()}
        keys: dict[str, dict[str, list[float]]] = {t: {} for t in TREES}
        tests = [move_tests(3)[0], filter_test(QUERY)]
        for index in range(passes):
            order = list(TREES)
            shuffle.shuffle(order)
            for name in order:
                _progress(f"keys pass {index + 1}/{passes}: {name}")
                for size in session.reviews:
                    found = run_tests(trees[name], size, tests, 1)  # type: ignore[arg-type]
                    for test, result in found.items():
                        keys[name].setdefault(f"{test}_{size}", []).extend(result["times"])
        data["keys"] = keys
    return data


def table(data: dict[str, Any]) -> str:
    rows = ["| measure | before | after | after ÷ before |", "|---|---|---|---|"]
    for size, ratio in data["warm_ratio"].items():
        before = _median(data["warm_open"]["before"][size])
        after = _median(data["warm_open"]["after"][size])
        rows.append(
            f"| warm open, {size} refs (median ms) | {before:.0f} | {after:.0f} "
            f"| {_median(ratio):.2f} (paired median) |"
        )
    for name in data["keys"]["before"]:
        before_times = data["keys"]["before"][name]
        after_times = data["keys"]["after"].get(name, [])
        rows.append(
            f"| `{name}` key → painted p50 / p95 ms | {_median(before_times):.1f} / "
            f"{_p95(before_times):.1f} | {_median(after_times):.1f} / {_p95(after_times):.1f} "
            f"| {_median(after_times) / _median(before_times):.2f} (p50) |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__)
    parser.add_argument("rev", help="the earlier tree: a git revision")
    parser.add_argument("--runs", type=int, default=5, help="paired warm-open rounds")
    parser.add_argument("--passes", type=int, default=3, help="key passes per tree")
    parser.add_argument("--latency", type=float, default=0.3, help="server delay per request")
    parser.add_argument("--size", type=int, action="append", help="add a long copy (refs)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    data = measure(args.rev, args.runs, args.passes, args.latency, tuple(args.size or ()))
    print(f"before = {data['before']}, after = the working tree")
    print(table(data))
    if args.json:
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
