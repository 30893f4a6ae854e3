"""Run the cache fault tests and write what they observed into the README.

    python scripts/cache_faults_table.py            # run the tests, then update README.md
    python scripts/cache_faults_table.py --check    # fail if README.md is out of date
    python scripts/cache_faults_table.py --from rows.jsonl   # render recorded rows

The tests append one JSON line each to the file named by PUBTERM_CACHE_FAULTS_OUT (see
tests/cache_faults_record.py); this script renders them between the
``<!-- cache-faults:start -->`` and ``<!-- cache-faults:end -->`` markers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def update_readme(table: str, readme: Path = README) -> bool:
    """Write the table between the markers; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme} has no {START} … {END} section")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{table}{END}{tail}"
    if new == text:
        return False
    readme.write_text(new, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="render recorded rows only")
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md would change")
    args = parser.parse_args(argv)
    if args.source is not None:
        rows, code = read(args.source), 0
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "rows.jsonl"
            code = run_tests(out)
            rows = read(out)
    table = render(rows)
    if args.check:
        current = README.read_text(encoding="utf-8")
        return 0 if f"{START}\n{table}{END}" in current else 1
    update_readme(table)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
