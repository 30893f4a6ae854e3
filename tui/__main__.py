"""``python -m tui`` and the ``pubterm`` command."""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def main() -> None:
    """Entry point: exit with the code the command line returns."""
    # Until the first request is out, the collector would only walk the modules being
    # imported (10-15 ms of a start) and find nothing to free.
    gc.disable()
    from tui.cli_early import send_early

    # A plain print's request leaves before the command line's imports (tui/cli_early.py).
    sent = send_early(sys.argv[1:])
    gc.enable()
    from tui.cli import main as run

    code = run(early_efetch=sent) if sent is not None else run()
    if sent is not None:
        # A plain print has closed its cache and written its records; what is left is
        # the interpreter's teardown of every module (5-10 ms), which changes nothing.
        _flushed_exit(code)
    # The process ends here: the interpreter's final collections would otherwise walk
    # every object the run made (100-250 ms after a cold print on a loaded machine) to
    # free memory the operating system takes back anyway.
    gc.freeze()
    sys.exit(code)


def _flushed_exit(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
