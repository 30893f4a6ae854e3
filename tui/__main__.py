"""``python -m tui`` and the ``pubterm`` command."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    """Entry point: exit with the code the command line returns."""
    from tui.cli_early import send_early

    # A plain print's request leaves before the command line's imports (tui/cli_early.py).
    sent = send_early(sys.argv[1:])
    from tui.cli import main as run

    code = run(early_efetch=sent) if sent is not None else run()
    # The process ends here: the interpreter's final collections would otherwise walk
    # every object the run made (100-250 ms after a cold print on a loaded machine) to
    # free memory the operating system takes back anyway.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    main()
