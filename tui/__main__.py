"""``python -m tui`` and the ``pubterm`` command."""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point: exit with the code the command line returns."""
    from tui.cli import main as run

    sys.exit(run())


if __name__ == "__main__":
    main()
