"""The first request of a print or of the reader, sent before the command line imports.

``pubterm --format json PMID`` on a cold cache is mostly one round trip, and so is the
reader's first record (``pubterm PMID``): what counts is how soon the request leaves.
``tui.__main__`` calls :func:`send_early` first: it reads the plain shape of such a
command (a format or a terminal, PMIDs, the options that say where to ask and as whom)
without argparse, loads the settings as the command line will, and writes the efetch
with :class:`~tui.data.plain_efetch.PlainEfetch` (the reader's: its first PMID only)
when the answer is certain to be needed: no cache database yet, or ``--refresh``.
Anything else, or anything it does not recognise, returns None and the command runs as
it always does.  The command line checks that the request is the one it would make
before using it (:func:`tui.cli_records.records_to_print`,
:func:`tui.data.first.start_first_fetch`), so this reading never decides an outcome.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.data.plain_efetch import PlainEfetch

# Options that take a value, by the setting they give (None: not a setting).
VALUED = {
    "--format": None,
    "-f": None,
    "--style": "style",
    "--cache-dir": "cache_dir",
    "--eutils-url": "eutils_url",
    "--europepmc-url": "europepmc_url",
    "--crossref-url": "crossref_url",
    "--api-key": "api_key",
    "--email": "email",
    "--config": None,
}
# The cache's database file (tui.data.cache_files.DB_FILES[0], which imports sqlite3:
# 5 ms before the request; a test keeps the two the same).
CACHE_DB = "cache.db"
PRINTED = ("text", "json", "bibtex", "ris", "medline", "csl-json", "cite")  # not markdown


Shape = tuple[dict[str, object], list[str], str | None]  # setting flags, PMIDs, config


def print_shape(argv: Sequence[str]) -> Shape | None:
    """(setting flags, PMIDs, config file) of a plain print command, or None.

    None for everything else: the reader, search, stdin, full text, the cache commands,
    offline, an abbreviated or unknown option, an ID that is not a bare PMID.
    """
    shape = command_shape(argv)
    return shape[:3] if shape is not None and not _reader(shape[3]) else None


def _reader(fmt: str | None) -> bool:
    """No format, and a terminal: the command opens the reader."""
    return fmt is None and sys.stdout.isatty()


def command_shape(argv: Sequence[str]) -> tuple[*Shape, str | None] | None:
    """Like :func:`print_shape`, the reader's command included, with the format asked
    for last (None: the reader on a terminal, text when piped)."""
    flags: dict[str, object] = {}
    pmids: list[str] = []
    fmt: str | None = None
    config: str | None = None
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name == "--refresh" and not eq:
            flags["refresh"] = True
        elif name in VALUED:
            if not eq:
                if not args:
                    return None
                inline = args.pop(0)
            if name in ("--format", "-f"):
                fmt = inline
            elif name == "--config":
                config = inline
            elif name == "--api-key" and inline == "-":
                return None  # read from standard input, by the command line
            else:
                flags[str(VALUED[name])] = inline
        elif arg.isascii() and arg.isdigit() and not arg.startswith("0"):
            pmids.append(arg)
        else:
            return None
    if not pmids or fmt not in (*PRINTED, None):
        return None
    return flags, pmids, config, fmt


def send_early(argv: Sequence[str]) -> PlainEfetch | None:
    """The efetch of a plain print command (or the reader's first record), sent; None
    when there is none to send."""
    shape = command_shape(argv)
    if shape is None:
        return None
    flags, pmids, config, fmt = shape
    reader = _reader(fmt)
    try:
        from tui.data.settings import load_settings

        # Warnings (an unknown config key) are the command line's to give, once.
        settings = load_settings(
            flags, config_file=Path(config) if config else None, warn=lambda _: None
        )
        if not settings.refresh and (settings.resolved_cache_dir / CACHE_DB).exists():
            return None  # the cache may hold them: the command line reads it first
        if fmt == "cite" and settings.style:
            return None  # a style the command line may refuse before anything is asked
        if not settings.eutils_url.lower().startswith("http://"):
            return None  # https: the httpx client's (plain_applies says so too)
        # Only now, so that a warm or https start does not import the plain request.
        from tui.data.plain_efetch import PlainEfetch, plain_applies

        unique = list(dict.fromkeys(pmids[:1] if reader else pmids))
        if not plain_applies(settings, unique):
            return None
        return PlainEfetch.start(settings, unique, wait=False)
    except Exception:  # a broken config file, say: the command line says what it is
        return None
