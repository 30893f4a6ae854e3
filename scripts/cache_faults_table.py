"""Run the cache fault tests and write what they observed into the README.

    python scripts/cache_faults_table.py            # run the tests, then update README.md
    python scripts/cache_faults_table.py --check    # fail if README.md is out of date
    python scripts/cache_faults_table.py --from rows.jsonl   # render recorded rows

The tests append one JSON line each to the file named by PUBTERM_CACHE_FAULTS_OUT (see
tests/cache_faults_record.py); this script renders them between the
``<!-- cache-faults:start -->`` and ``<!-- cache-faults:end -->`` markers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.readme_table import Block, table_main  # noqa: E402
from tests.cache_faults_record import ENV, Observed, read  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- cache-faults:start -->", "<!-- cache-faults:end -->"
TESTS = ["tests/test_cache_faults.py", "tests/test_cache_lock.py", "tests/test_cache_recovery.py"]


def run_tests(out: Path) -> int:
    env = {**os.environ, ENV: str(out)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-n0", "-p", "no:randomly", *TESTS]
    return subprocess.call(cmd, cwd=ROOT, env=env)


def render(rows: list[Observed]) -> str:
    """The Markdown table, in the order the tests ran, and a count of what passed."""
    lines = ["| fault | tried with | what pubterm did | afterwards |", "|---|---|---|---|"]
    for row in rows:
        mark = "" if row.passed else "✗ "
        lines.append(f"| {row.fault} | {row.front} | {mark}{row.outcome} | {row.after} |")
    passed = sum(r.passed for r in rows)
    return "\n".join([*lines, "", f"Cache faults tried: {len(rows)}; passed: {passed}."]) + "\n"


BLOCK = Block("cache-faults", START, END, README)


def main(argv: list[str] | None = None) -> int:
    return table_main(BLOCK, __doc__.splitlines()[0], run_tests, read, render, argv)


if __name__ == "__main__":
    raise SystemExit(main())
