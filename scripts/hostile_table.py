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

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
    ("dribble", "persistent"): "a byte every 0.05 s, against a 1 s deadline (for 60 s)",
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
    parser.add_argument("--from", dest="source", type=Path, help="render recorded cases only")
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md would change")
    args = parser.parse_args(argv)
    if args.source is not None:
        cases, code = read(args.source), 0
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "cases.jsonl"
            code = run_tests(out)
            cases = read(out)
    if not cases:
        print("no hostile cases were recorded", file=sys.stderr)
        return 1
    table = render(cases)
    if args.check:
        text = README.read_text(encoding="utf-8")
        current = text.split(START, 1)[-1].split(END, 1)[0].lstrip("\n")
        if current != table:
            print("README.md hostile-server table is out of date", file=sys.stderr)
            return 1
        return code
    changed = update_readme(table)
    print(table)
    print("README.md updated" if changed else "README.md already up to date", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
