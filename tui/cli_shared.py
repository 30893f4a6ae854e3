"""What every pubterm command shares: exit codes, the argument parser, settings, notices.

The record printer (``tui.cli``) and the search command (``tui.cli_search``) both use
these, so they live below both and neither imports the other at module level.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.cli_secret import api_key_arg
from tui.data.settings import Settings, load_settings

EXIT_OK, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_SERVICE = 0, 2, 3, 4


class UsageParser(argparse.ArgumentParser):
    """argparse that exits 2 with one line naming the problem, never a traceback."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_USAGE, f"pubterm: {message} (see pubterm --help)\n")


def settings_from_args(args: argparse.Namespace) -> Settings:
    from pathlib import Path

    flags = {
        "offline": args.offline,
        "refresh": args.refresh,
        "cache_dir": args.cache_dir,
        "eutils_url": args.eutils_url,
        "europepmc_url": args.europepmc_url,
        "crossref_url": args.crossref_url,
        "api_key": api_key_arg(args.api_key),  # "-": from standard input
        "email": args.email,
        "style": args.style,
    }
    return load_settings(flags, config_file=Path(args.config) if args.config else None)


def print_retry(notice: Any) -> None:
    print(f"pubterm: {notice}", file=sys.stderr)
