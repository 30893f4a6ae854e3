"""Where the print path's start-up goes: ``python -X importtime`` of a warm print.

Run once, untimed, beside the rounds: the top-level imports by cumulative time, and
whether Textual or Rich were imported at all (they must not be).
"""

from __future__ import annotations

import re
from typing import Any

from benchmarks.session import Session
from benchmarks.terminal import PYTHON, piped

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def import_evidence(session: Session) -> dict[str, Any]:
    argv = [PYTHON, "-X", "importtime", "-m", "tui", "--format", "json", session.small.pmid]
    run = piped(argv, session.env())
    modules: set[str] = set()
    top: list[tuple[str, int]] = []
    for raw in run.output.decode("utf-8", "replace").splitlines():
        found = _LINE.match(raw)
        if not found:
            continue
        cumulative, indent, name = int(found.group(2)), len(found.group(3)), found.group(4)
        modules.add(name)
        if indent <= 1:
            top.append((name, cumulative))
    top.sort(key=lambda item: -item[1])
    return {
        "modules": len(modules),
        "textual": any(m.split(".")[0] in ("textual", "rich") for m in modules),
        "total_ms": sum(c for _, c in top) / 1000,
        "top": [{"module": m, "ms": c / 1000} for m, c in top[:8]],
    }
