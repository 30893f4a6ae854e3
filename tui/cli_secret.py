"""``--api-key -``: the NCBI API key from standard input, not from the command line.

Arguments are visible to every local user in ``ps``; standard input is not.  A key typed
at a terminal is asked for without echo; piped in (``pass show ncbi | pubterm --api-key
- …``), its first line is the key.  ``NCBI_API_KEY`` or the config file do as well.
"""

from __future__ import annotations

import sys
from typing import TextIO

FROM_STDIN = "-"


def api_key_arg(value: str | None, stdin: TextIO | None = None) -> str | None:
    """``value``, or the key read from standard input when it is ``-``.

    Raises ValueError (a usage error, exit 2) when standard input holds no key.
    """
    if value != FROM_STDIN:
        return value
    source = sys.stdin if stdin is None else stdin
    if source is None:
        raise ValueError("--api-key -: there is no standard input to read the key from")
    if source.isatty():
        import getpass

        key = getpass.getpass("NCBI API key: ")
    else:
        key = source.readline()
    key = key.strip()
    if not key:
        raise ValueError("--api-key -: standard input held no key")
    return key
