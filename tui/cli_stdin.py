"""``pubterm -``: identifiers from standard input, so searches and lists pipe in.

One identifier a line; blank lines and ``#`` comments (whole lines, or after a space)
are skipped, so a saved list with notes works as well as ``pubterm search … --format
ids``.  The IDs then go through the
same batched fetch as IDs typed on the command line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# A comment starts the line or follows a space ("32051057  # the review").
_COMMENT = re.compile(r"(?:^|\s)#")


def id_lines(lines: Iterable[str]) -> list[str]:
    """The identifiers in ``lines``: stripped, without blank lines and ``#`` comments."""
    found: list[str] = []
    for line in lines:
        text = _COMMENT.split(line, maxsplit=1)[0].strip()
        if text:
            found.append(text)
    return found


def with_stdin(args: Sequence[str], stdin: Iterable[str]) -> list[str]:
    """``args`` with each ``-`` replaced by the identifiers read from ``stdin`` (once)."""
    out: list[str] = []
    read: list[str] | None = None
    for arg in args:
        if arg == "-":
            if read is None:
                read = id_lines(stdin)
            out += read
        else:
            out.append(arg)
    return out
