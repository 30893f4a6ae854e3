"""The command line: parse arguments, then print records or open the reader.

This module must never import Textual: ``pubterm --format json ID`` on a warm cache should
start about as fast as Python imports httpx.  The reader is imported only when opened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from tui import __version__
from tui.cli_shared import (
    EXIT_OK,
    EXIT_SERVICE,
    EXIT_USAGE,
    UsageParser,
    print_retry,
    settings_from_args,
)
from tui.data.errors import InvalidIdError, PubtermError
from tui.data.formats import OUTPUT_FORMATS
from tui.data.ids import ArticleId, parse_id
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.plain_efetch import PlainEfetch

EPILOG = """\
identifiers: 40549304, PMID:40549304, https://pubmed.ncbi.nlm.nih.gov/40549304/,
  10.1007/s11010-025-05329-5, doi:10.…, https://doi.org/10.…, PMC1234567

search: pubterm search QUERY [--filter review] [--years 2020-2025] (pubterm search --help);
  pubterm - reads IDs from standard input, one a line.

exit codes: 0 ok; 2 usage error or an ID that is not a PMID, DOI or PMCID;
  3 no such PubMed record; 4 the service failed and there is no cached copy.

environment: PUBTERM_EUTILS_URL, PUBTERM_EUROPEPMC_URL, PUBTERM_CROSSREF_URL,
  NCBI_API_KEY, PUBTERM_EMAIL, PUBTERM_CACHE_DIR, PUBTERM_CONFIG (config file path)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(
        prog="pubterm",
        description="Read PubMed records and their references in the terminal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "ids", nargs="*", metavar="ID", help="PMID, DOI, PubMed/doi.org link or PMCID"
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=[f.name for f in OUTPUT_FORMATS],
        help="print the records in this format instead of opening the reader",
    )
    parser.add_argument("--style", help="citation style for --format cite (default: apa)")
    parser.add_argument(
        "--full-text",
        action="store_true",
        help="with --format text or json: add the open-access full text (markdown always has it)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open a bundled sample review, no network needed"
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        default=None,
        help="use only the cache; never touch the network",
    )
    parser.add_argument(
        "--refresh", action="store_true", default=None, help="refetch, bypassing the cache"
    )
    parser.add_argument("--cache-dir", metavar="DIR", help="cache folder (env PUBTERM_CACHE_DIR)")
    parser.add_argument(
        "--eutils-url", metavar="URL", help="E-utilities base URL (env PUBTERM_EUTILS_URL)"
    )
    parser.add_argument(
        "--europepmc-url",
        metavar="URL",
        help="Europe PMC REST base URL (env PUBTERM_EUROPEPMC_URL)",
    )
    parser.add_argument(
        "--crossref-url", metavar="URL", help="Crossref API base URL (env PUBTERM_CROSSREF_URL)"
    )
    parser.add_argument(
        "--api-key",
        metavar="KEY",
        help="NCBI API key: 10 requests/s instead of 3; - reads it from standard input"
        " (better: env NCBI_API_KEY or the config file, which ps does not show)",
    )
    parser.add_argument(
        "--email", metavar="ADDR", help="contact address sent to NCBI (env PUBTERM_EMAIL)"
    )
    parser.add_argument("--config", metavar="FILE", help="config file (env PUBTERM_CONFIG)")
    parser.add_argument(
        "--prefetch",
        metavar="ID",
        help="cache this record and every reference with a PMID, for reading offline",
    )
    parser.add_argument(
        "--cache-info", action="store_true", help="show where the cache is and how big, then exit"
    )
    parser.add_argument("--clear-cache", action="store_true", help="empty the cache, then exit")
    parser.add_argument("--version", action="version", version=f"pubterm {__version__}")
    return parser


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def _cache_command(settings: Settings, clear: bool, out: TextIO) -> int:
    from tui.data.cache import RecordCache

    cache = RecordCache(settings.resolved_cache_dir, size_limit_mb=settings.cache_size_mb)
    code = EXIT_OK
    try:
        if clear:
            before = cache.stats().size_bytes
            removed = cache.clear()
            freed = _human_size(max(0, before - cache.stats().size_bytes))
            print(
                f"Cleared {removed} entries from {settings.resolved_cache_dir} ({freed} freed)",
                file=out,
            )
        stats = cache.stats()
        print(f"cache: {stats.path}", file=out)
        print(f"size:  {_human_size(stats.size_bytes)} in {stats.entries} entries", file=out)
        print(f"limit: {settings.cache_size_mb} MB", file=out)
        if cache.warning:
            print(f"pubterm: warning: {cache.warning}", file=sys.stderr)
        if clear and stats.entries:
            code = EXIT_SERVICE  # asked to empty it, and it is not empty
    finally:
        cache.close()
    return code


async def _prefetch(settings: Settings, aid: ArticleId, raw: str) -> int:
    from tui.data.bibliography import SOURCE_NAMES, Bibliography
    from tui.data.prefetch import prefetch
    from tui.data.service import PubMed

    def progress(done: int, total: int) -> None:
        print(f"pubterm: prefetched {done}/{total}", file=sys.stderr, flush=True)

    async with PubMed(settings, on_retry=print_retry) as service:
        record = await service.fetch(aid)
        if record.stale:
            print(f"pubterm: warning: {raw}: {record.stale}", file=sys.stderr)
        # A list from Europe PMC or Crossref is cached too, so the reader has it offline.
        filled = await Bibliography(service).references_for(record)
        record = filled.value
        for error in filled.problems:
            print(f"pubterm: warning: {raw}: references: {error}", file=sys.stderr)
        pmids = list(dict.fromkeys(r.pmid for r in record.references if r.pmid))
        result = await prefetch(service, pmids, on_progress=progress)
        # The review's own text too, so the Full text pane reads offline.
        from tui.cli_fulltext import prefetch_full_text

        print(f"pubterm: {raw}: {await prefetch_full_text(service, record)}", file=sys.stderr)
    for shown, (pmid, error) in enumerate(result.failed.items()):
        if shown == 5:
            print(f"pubterm: ... and {len(result.failed) - 5} more failed", file=sys.stderr)
            break
        print(f"pubterm: PMID {pmid}: {error}", file=sys.stderr)
    source = SOURCE_NAMES.get(record.references_source, "nowhere")
    source = "" if record.references_source == "pubmed" else f" (from {source})"
    print(
        f"pubterm: {raw}: {len(record.references)} references{source}, {len(pmids)} with a"
        f" PMID: {result}",
        file=sys.stderr,
    )
    return result.exit_code


def _print_records(
    settings: Settings,
    args: argparse.Namespace,
    ids: list[ArticleId],
    out: TextIO,
    early_efetch: PlainEfetch | None = None,
) -> int:
    from tui.data.model import Record

    fmt = args.format or "text"
    if fmt == "markdown" or args.full_text:
        from tui.cli_fulltext import FULL_TEXT_FORMATS, print_with_full_text

        if fmt not in FULL_TEXT_FORMATS:
            print(
                "pubterm: --full-text works with --format text, json or markdown", file=sys.stderr
            )
            return EXIT_USAGE
        return print_with_full_text(settings, fmt, args.ids, ids, out)
    if fmt == "cite":
        from tui.data.formats.styles import resolve_style

        # An unknown style is a usage error, found before anything is fetched.
        resolve_style(settings.style or "apa")
    from tui.cli_records import records_to_print

    (outcomes, warning), render = records_to_print(
        settings, ids, fmt, print_retry, started=early_efetch
    )
    if warning:
        print(f"pubterm: warning: {warning}", file=sys.stderr)
    records: list[Record] = []
    code = EXIT_OK
    for raw, outcome in zip(args.ids, outcomes, strict=True):
        if isinstance(outcome, PubtermError):
            print(f"pubterm: {raw}: {outcome}", file=sys.stderr)
            code = max(code, outcome.exit_code)
            continue
        if outcome.stale:
            print(f"pubterm: warning: {raw}: {outcome.stale}", file=sys.stderr)
        records.append(outcome)
    if records:
        out.write(render(records, style=settings.style))
        out.flush()
    return code


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    *,
    early_efetch: PlainEfetch | None = None,
) -> int:
    """Run the command; returns the exit code (0, 2, 3 or 4) and never raises.

    ``early_efetch`` is a print's (or the reader's first) request sent before this
    module imported (``tui.cli_early``); it is used if it is the request to be made.
    """
    out = out or sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["search"]:
        from tui.cli_search import main as search

        return search(argv[1:], out)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if "-" in args.ids and args.api_key == "-":
            parser.error("standard input can carry the IDs or the API key (--api-key -), not both")
        if "-" in args.ids:
            from tui.cli_stdin import with_stdin

            # The IDs are printed: standard input is the list, not a keyboard for the reader.
            args.ids = with_stdin(args.ids, sys.stdin)
            args.format = args.format or "text"
            if not args.ids:
                parser.error("no IDs on standard input")
        settings = settings_from_args(args)
        if args.cache_info or args.clear_cache:
            return _cache_command(settings, args.clear_cache, out)
        if args.prefetch is not None:
            if args.ids or args.format:
                parser.error("--prefetch takes one ID and prints nothing but progress")
            import asyncio

            return asyncio.run(_prefetch(settings, parse_id(args.prefetch), args.prefetch))
        ids = [parse_id(raw) for raw in args.ids]
        if args.demo:
            from tui.demo import DEMO_PMID, demo_settings

            settings = demo_settings(settings)
            if not ids:
                ids = [parse_id(DEMO_PMID)]
                args.ids = [DEMO_PMID]
        if args.format is None and (ids or args.demo or not args.ids) and out.isatty():
            early = None
            if ids:
                from tui.data.first import start_first_fetch

                # The first record's fetch overlaps the reader's import and start-up.
                early = start_first_fetch(settings, ids[0], sent=early_efetch)
            from tui.app import run_reader

            code: int = run_reader(settings, ids[0] if ids else None, early=early)
            return code
        if not ids:
            parser.error("give at least one ID to print (or run pubterm in a terminal)")
        return _print_records(settings, args, ids, out, early_efetch)
    except InvalidIdError as exc:
        print(f"pubterm: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:  # a broken config file
        print(f"pubterm: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PubtermError as exc:
        print(f"pubterm: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
