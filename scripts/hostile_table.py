"""Run the hostile-server tests and write what they observed into the README.

    python scripts/hostile_table.py            # run the tests, then update README.md
    python scripts/hostile_table.py --check    # fail if README.md is out of date
    python scripts/hostile_table.py --from cases.jsonl   # render recorded results

tests/test_hostile_network.py appends one JSON line per case to the file named by
PUBTERM_RELIABILITY_OUT (as the fault tests do for scripts/reliability_table.py); this
script renders them between ``<!-- hostile:start -->`` and ``<!-- hostile:end -->``, so
the table shows what the suite saw, failures included.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.readme_table import Block, table_main  # noqa: E402
from tests.reliability import ENV, Case, read  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- hostile:start -->", "<!-- hostile:end -->"
TESTS = ["tests/test_hostile_network.py"]
# (fault kind, mode) -> how the row names it.
ROWS = {
    ("redirect-loop", "persistent"): "redirect loop (302 to itself)",
    ("redirect-other-host", "persistent"): "307 to another host (`localhost` for `127.0.0.1`)",
    ("redirect-file", "persistent"): "redirect to `file:///etc/passwd`",
    ("bad-gzip", "persistent"): "`Content-Encoding: gzip` on a body that is not gzip",
    ("bad-gzip", "transient"): "the same, once",
    ("gzip-bomb", "persistent"): "gzip bomb: 8 MB unpacked against a 1 MB cap (for 64 MB)",
    ("endless", "persistent"): "endless body, against a 1 MB cap",
    ("dribble", "persistent"): "a byte every 0.05 s, against a 3 s deadline (for 60 s)",
    ("bad-utf8-article", "persistent"): "one byte not UTF-8 in one article of a batch",
    ("esearch-extra-hit", "persistent"): "esearch ranks another paper first for a DOI",
}
COLUMNS = [
    ("cli", False, "command line"),
    ("cli", True, "command line, stale copy cached"),
    ("service", False, "service API"),
    ("service", True, "service API, stale copy cached"),
]
SHORT = {
    "stale copy + warning": "stale copy, warned",
    "exit 4, one line": "exit 4, one sentence",
}


def run_tests(out: Path) -> int:
    env = {**os.environ, ENV: str(out)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-n0", "-p", "no:randomly", *TESTS]
    return subprocess.call(cmd, cwd=ROOT, env=env)


def _label(case: Case) -> str:
    text = case.outcome
    for long, short in SHORT.items():
        text = text.replace(long, short)
    return text if case.passed else f"✗ {text or 'failed'}"


def render(cases: list[Case]) -> str:
    """The Markdown table and its summary line."""
    by_key = {(c.fault, c.mode, c.front, c.stale): c for c in cases}
    lines = [
        "| hostile answer | " + " | ".join(t for _, _, t in COLUMNS) + " | cases passed |",
        "|---" * (len(COLUMNS) + 2) + "|",
    ]
    for (fault, mode), name in ROWS.items():
        mine = [c for c in cases if (c.fault, c.mode) == (fault, mode)]
        if not mine:
            continue
        cells = []
        for front, stale, _ in COLUMNS:
            found = by_key.get((fault, mode, front, stale))
            cells.append(_label(found) if found is not None else "—")
        passed = sum(c.passed for c in mine)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {passed}/{len(mine)} |")
    passed = sum(c.passed for c in cases)
    summary = (
        f"Hostile answers tried: {len(ROWS)} rows, {len(cases)} cases. "
        f"Nothing lost: {passed}/{len(cases)} cases kept no part of the hostile answer in "
        "the cache, every stale copy as it was, and no traceback; the API key and e-mail "
        "reached no other host."
    )
    return "\n".join([*lines, "", summary]) + "\n"


BLOCK = Block("hostile-server", START, END, README)


def main(argv: list[str] | None = None) -> int:
    return table_main(BLOCK, __doc__.splitlines()[0], run_tests, read, render, argv)


if __name__ == "__main__":
    sys.exit(main())
