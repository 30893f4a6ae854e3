"""Run the fault tests and write what they observed into the README's reliability table.

    python scripts/reliability_table.py            # run the tests, then update README.md
    python scripts/reliability_table.py --check    # fail if README.md is out of date
    python scripts/reliability_table.py --from cases.jsonl   # render recorded results

The fault tests (tests/test_faults_matrix.py, tests/test_reader_faults.py) append one JSON
line per case to the file named by PUBTERM_RELIABILITY_OUT; this script renders those
lines between the ``<!-- reliability:start -->`` and ``<!-- reliability:end -->`` markers,
so the table always shows what the suite saw, failures included.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.readme_table import Block, table_main  # noqa: E402
from tests.reliability import ENV, Case, read  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- reliability:start -->", "<!-- reliability:end -->"
TESTS = ["tests/test_faults_matrix.py", "tests/test_reader_faults.py"]
FAULTS = {
    "429": "429 Too Many Requests, no Retry-After",
    "429-retry-after": "429 with `Retry-After: 1`",
    "rate-json": "rate-limit JSON with status 200",
    "500": "500",
    "502": "502",
    "503": "503",
    "drop": "connection dropped, no answer",
    "stall": "stall (3 s against a 0.5 s timeout, for the 30-s stall)",
    "truncate": "body cut in half (Content-Length kept)",
    "truncate-nolength": "body cut in half (no Content-Length)",
    "html-200": "HTML error page with status 200",
    "empty-set": "empty PubmedArticleSet (PubMed's “no such PMID”)",
    "wrong-xml": "valid XML of the wrong kind (eSearchResult)",
    "unreachable": "nothing listening (`--eutils-url http://127.0.0.1:9/`)",
}
COLUMNS = [
    ("transient", False, "once"),
    ("transient", True, "once, stale copy cached"),
    ("persistent", False, "every attempt"),
    ("persistent", True, "every attempt, stale copy cached"),
]
SHORT = {
    "record after retry": "record",
    "stale copy + warning": "stale copy, warned",
    "stale copy + notice": "stale copy, warned",
    "error banner; r shows record": "error, `r` recovers",
    "error banner; again shows record": "error over the record; opening it again recovers",
}


def run_tests(out: Path) -> int:
    env = {**os.environ, ENV: str(out)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *TESTS]
    return subprocess.call(cmd, cwd=ROOT, env=env)


def _label(case: Case) -> str:
    text = SHORT.get(case.outcome, case.outcome.replace(", one line", ""))
    return text if case.passed else f"✗ {text or 'failed'}"


def _cell(cases: list[Case]) -> str:
    if not cases:
        return "—"
    cli = [c for c in cases if c.front == "cli"]
    reader = [c for c in cases if c.front == "reader"]
    a = _label(cli[0]) if cli else "not run"
    b = _label(reader[0]) if reader else "not run"
    return a if a == b else f"{a}; reader: {b}"


def render(cases: list[Case]) -> str:
    """The Markdown table and its summary line."""
    by_key: dict[tuple[str, str, bool], list[Case]] = {}
    for c in cases:
        by_key.setdefault((c.fault, c.mode, c.stale), []).append(c)
    lines = [
        "| fault | " + " | ".join(title for _, _, title in COLUMNS) + " | cases passed |",
        "|---" * (len(COLUMNS) + 2) + "|",
    ]
    for fault, name in FAULTS.items():
        mine = [c for c in cases if c.fault == fault]
        if not mine:
            continue
        cells = [_cell(by_key.get((fault, mode, stale), [])) for mode, stale, _ in COLUMNS]
        passed = sum(c.passed for c in mine)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {passed}/{len(mine)} |")
    passed = [c for c in cases if c.passed]
    outcomes = Counter(SHORT.get(c.outcome, "clear error") for c in passed)
    # A case passes only if its cache checks pass, so passed cases lost nothing.
    kept = len(passed)
    fronts = Counter(c.front for c in cases)
    summary = (
        f"Faults tried: {len({c.fault for c in cases})} kinds, {len(cases)} cases "
        f"({fronts['cli']} on the command line, {fronts['reader']} in the reader). "
        f"Outcomes: {outcomes['record']} record after retry, "
        f"{outcomes['stale copy, warned']} stale copy with a warning, "
        f"{outcomes['clear error'] + outcomes['error, `r` recovers']} one clear error. "
        f"Nothing lost: {kept}/{len(cases)} cases left the cache holding no part of the "
        f"failed answer and every stale copy as it was."
    )
    return "\n".join([*lines, "", summary]) + "\n"


BLOCK = Block("reliability", START, END, README)


def main(argv: list[str] | None = None) -> int:
    return table_main(BLOCK, __doc__.splitlines()[0], run_tests, read, render, argv)


if __name__ == "__main__":
    sys.exit(main())
