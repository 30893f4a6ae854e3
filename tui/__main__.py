"""``python -m tui`` and the ``pubterm`` command."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    """Entry point: exit with the code the command line returns."""
    from tui.cli import main as run

    code = run()
    # The process ends here: the interpreter's final collections would otherwise walk
    # every object the run made (100-250 ms after a cold print on a loaded machine) to
    # free memory the operating system takes back anyway.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    main()
