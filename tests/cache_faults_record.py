"""Recording what each cache fault test observed, for the README's cache-fault table.

The tests in ``test_cache_faults.py``, ``test_cache_lock.py`` and
``test_cache_recovery.py`` wrap their checks in :func:`observed` and fill in what
pubterm did and what the folder held afterwards, with the counts they saw.  When
``PUBTERM_CACHE_FAULTS_OUT`` names a file, one JSON line per test is appended to it;
``scripts/cache_faults_table.py`` renders the lines, so the README shows what ran.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ENV = "PUBTERM_CACHE_FAULTS_OUT"


@dataclass
class Observed:
    """One cache fault test: the fault, where it was tried, and what came of it."""

    fault: str  # "disk full (2 MB tmpfs)", "write lock held on cache.db", ...
    front: str  # "`--prefetch`", "the reader's `P`", ...
    outcome: str = ""  # what pubterm did and said, with the counts seen
    after: str = ""  # what the folder held afterwards
    passed: bool = False


@contextmanager
def observed(fault: str, front: str) -> Iterator[Observed]:
    """One row; it counts as passed only if the block finishes."""
    row = Observed(fault, front)
    try:
        yield row
        row.passed = True
    finally:
        target = os.environ.get(ENV)
        if target:
            with Path(target).open("a", encoding="utf-8") as out:
                out.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")


def read(path: Path) -> list[Observed]:
    """The rows recorded in ``path`` (a missing file holds none)."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Observed(**json.loads(line)) for line in lines if line.strip()]
