"""The one way the README's generated tables are written and checked.

Each table script (``reliability_table.py``, ``hostile_table.py``,
``cache_faults_table.py``) runs its tests, which record what they observed as JSON
lines, and renders those into a Markdown table between two HTML-comment markers.  The
writing, the ``--check`` and the command line are the same for all three, so they live
here once and a new table is a ``render`` and a ``run_tests`` of its own.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parent.parent / "README.md"


@dataclass(frozen=True)
class Block:
    """A README section between ``start`` and ``end`` markers, named for messages."""

    name: str
    start: str
    end: str
    readme: Path = README

    def current(self) -> str:
        text = self.readme.read_text(encoding="utf-8")
        if self.start not in text or self.end not in text:
            raise SystemExit(f"{self.readme} has no {self.start} … {self.end} section")
        return text.split(self.start, 1)[1].split(self.end, 1)[0].lstrip("\n")

    def write(self, table: str) -> bool:
        """Write the table between the markers; True when the file changed."""
        text = self.readme.read_text(encoding="utf-8")
        if self.start not in text or self.end not in text:
            raise SystemExit(f"{self.readme} has no {self.start} … {self.end} section")
        head, rest = text.split(self.start, 1)
        _, tail = rest.split(self.end, 1)
        new = f"{head}{self.start}\n{table}{self.end}{tail}"
        if new == text:
            return False
        self.readme.write_text(new, encoding="utf-8")
        return True


def table_main(
    block: Block,
    description: str,
    run_tests: Callable[[Path], int],
    read: Callable[[Path], Sequence[Any]],
    render: Callable[[Any], str],
    argv: list[str] | None = None,
) -> int:
    """Run the tests (or read recorded lines), then write or check the README's table."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--from", dest="source", type=Path, help="render recorded lines only")
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md would change")
    args = parser.parse_args(argv)
    if args.source is not None:
        observed, code = read(args.source), 0
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "observed.jsonl"
            code = run_tests(out)
            observed = read(out)
    if not observed:
        print(f"no {block.name} cases were recorded", file=sys.stderr)
        return 1
    table = render(observed)
    if args.check:
        if block.current() != table:
            print(f"README.md {block.name} table is out of date", file=sys.stderr)
            return 1
        return code
    changed = block.write(table)
    print(table)
    print("README.md updated" if changed else "README.md already up to date", file=sys.stderr)
    return code
