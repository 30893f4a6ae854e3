"""Recording what each fault case did, for the README's reliability table.

The fault tests (``test_faults_matrix.py`` for the command line, ``test_reader_faults.py``
for the reader) wrap each case in :func:`case`.  When ``PUBTERM_RELIABILITY_OUT`` names a
file, one JSON line per case is appended to it: which fault, how it was injected, what
the user saw, what the cache held afterwards, and whether every check passed.
``scripts/reliability_table.py`` turns those lines into the table, so the README shows
what the suite observed rather than what someone expected.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ENV = "PUBTERM_RELIABILITY_OUT"


@dataclass
class Case:
    """One fault case; the test fills in ``outcome`` and ``cache`` as it checks them."""

    front: str  # "cli" or "reader"
    fault: str  # a fault kind of tests/server.py, or "unreachable"
    mode: str  # "transient" (once) or "persistent"
    stale: bool  # a stale copy was in the cache beforehand
    outcome: str = ""  # what the user got: "record", "record + stale warning", "exit 4", ...
    cache: str = ""  # what the cache held afterwards: "fresh copy", "stale copy kept", "nothing"
    passed: bool = False
    detail: str = ""  # the message shown, for the report


@contextmanager
def case(front: str, fault: str, mode: str, stale: bool) -> Iterator[Case]:
    """Run one fault case; it counts as passed only if the block finishes."""
    record = Case(front, fault, mode, stale)
    try:
        yield record
        record.passed = True
    except BaseException as err:
        record.detail = record.detail or f"{type(err).__name__}: {err}"[:300]
        raise
    finally:
        _write(record)


def _write(record: Case) -> None:
    target = os.environ.get(ENV)
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as out:
        out.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")


def read(path: Path) -> list[Case]:
    """The cases recorded in ``path`` (a missing file holds none)."""
    if not path.exists():
        return []
    return [Case(**json.loads(line)) for line in path.read_text("utf-8").splitlines() if line]
