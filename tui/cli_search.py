"""``pubterm search``: PubMed's query language on the command line, into every format.

A page of results costs one esearch and one esummary (``text``, ``json``), one esearch
alone (``ids``, ``--count``), or one esearch and one batched efetch (the record formats).
What PubMed says about the query (the count, its translation, phrases it left out) goes
to stderr so that stdout stays clean for a pipe: ``pubterm search … --format ids |
pubterm --format bibtex -``.  Like the rest of the command line, no Textual is imported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from tui.cli_shared import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    UsageParser,
    print_retry,
    settings_from_args,
)
from tui.data.errors import PubtermError
from tui.data.search import DEFAULT_LIMIT, MAX_LIMIT, NoResultsError, Search, SearchResult
from tui.data.search_query import FILTERS, SORTS, QueryUsageError, SearchQuery, parse_years
from tui.data.settings import Settings
from tui.data.text import clean_text

if TYPE_CHECKING:
    from tui.data.service import PubMed

RESULT_FORMATS = ("text", "json", "ids")
RECORD_FORMATS = ("bibtex", "ris", "medline", "csl-json", "cite", "markdown")
WIDTH = 80

EPILOG = """\
filters: review (review[pt]), systematic-review (systematic[sb]),
  meta-analysis (meta-analysis[pt]), clinical-trial (clinical trial[pt]),
  free-full-text (free full text[sb]); --years 2020-2025 adds 2020:2025[dp].

The count and PubMed's translation of the query go to stderr.
exit codes: 0 results printed; 2 usage error or a query PubMed cannot run;
  3 no results; 4 the service failed.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(
        prog="pubterm search",
        description="Search PubMed and print the results.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("query", nargs="+", metavar="QUERY", help="PubMed query (quote it)")
    parser.add_argument("--sort", choices=list(SORTS), default="relevance")
    parser.add_argument(
        "--filter", action="append", choices=list(FILTERS), default=[], dest="filters"
    )
    parser.add_argument("--years", metavar="A-B", help="publication years, e.g. 2020-2025")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="results per page")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--page", type=int, help="page number, from 1")
    where.add_argument("--offset", type=int, help="skip this many results")
    parser.add_argument("--count", action="store_true", help="print only the number of results")
    parser.add_argument(
        "-f", "--format", choices=[*RESULT_FORMATS, *RECORD_FORMATS], default="text"
    )
    parser.add_argument("--style", help="citation style for --format cite (default: apa)")
    for flag, meta, what in (
        ("--eutils-url", "URL", "E-utilities base URL (env PUBTERM_EUTILS_URL)"),
        ("--europepmc-url", "URL", "Europe PMC REST base URL (env PUBTERM_EUROPEPMC_URL)"),
        ("--crossref-url", "URL", "Crossref API base URL (env PUBTERM_CROSSREF_URL)"),
        ("--api-key", "KEY", "NCBI API key (env NCBI_API_KEY)"),
        ("--email", "ADDR", "contact address sent to NCBI (env PUBTERM_EMAIL)"),
        ("--cache-dir", "DIR", "cache folder (env PUBTERM_CACHE_DIR)"),
        ("--config", "FILE", "config file (env PUBTERM_CONFIG)"),
    ):
        parser.add_argument(flag, metavar=meta, help=what)
    parser.add_argument(
        "--refresh",
        action="store_true",
        default=None,
        help="refetch summaries and records, bypassing the cache",
    )
    parser.set_defaults(offline=None)
    return parser


def _query(parser: argparse.ArgumentParser, args: argparse.Namespace) -> SearchQuery:
    if not 1 <= args.limit <= MAX_LIMIT:
        parser.error(f"--limit must be between 1 and {MAX_LIMIT:,}")
    if args.page is not None and args.page < 1:
        parser.error("--page counts from 1")
    if args.offset is not None and args.offset < 0:
        parser.error("--offset cannot be negative")
    try:
        years = parse_years(args.years) if args.years else None
        return SearchQuery(" ".join(args.query), tuple(args.filters), years, args.sort)
    except QueryUsageError as exc:
        parser.error(str(exc))
        raise  # pragma: no cover (error exits)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def render_text(results: Sequence[SearchResult]) -> str:
    """The numbered list: the title, then first author et al., journal, year and badges."""
    if not results:
        return ""
    indent = " " * (len(str(results[-1].rank)) + 2)
    lines: list[str] = []
    for r in results:
        s = r.summary
        facts = [r.byline(), s.journal if s else None, s.year if s else None, *r.badges]
        facts.append(f"PMID {r.pmid}")
        number = f"{r.rank}.".rjust(len(indent) - 1) + " "
        lines += _wrap(clean_text(r.title), number, indent)
        # Each fact is held together (no-break spaces), so lines break only between them.
        held = "\xa0· ".join(clean_text(f).replace(" ", "\xa0") for f in facts if f)
        lines += [line.replace("\xa0", " ") for line in _wrap(held, indent, indent)]
    return "\n".join(lines) + "\n"


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def render_json(results: Sequence[SearchResult]) -> str:
    """JSON Lines, one result each, in the documented shape (``SearchResult.to_dict``)."""
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results)


async def _search(
    settings: Settings, args: argparse.Namespace, query: SearchQuery
) -> tuple[str, int]:
    """(what goes to stdout, exit code); errors that stop the search are raised."""
    from tui.data.service import PubMed

    async with PubMed(settings, on_retry=print_retry) as service:
        search = Search(service, query, limit=args.limit)
        if args.count:
            page = await search.count()
        elif args.offset is not None:
            page = await search.page(args.offset)
        else:
            page = await search.page(((args.page or 1) - 1) * args.limit)
        for notice in page.notices:
            _say(f"pubterm: warning: {notice}")
        if args.count:
            return f"{page.count}\n", EXIT_OK if page.count else EXIT_NOT_FOUND
        _say(page.status_line())
        if page.count == 0:
            raise NoResultsError(f"No results for {query.described()}")
        if not page.pmids:
            raise NoResultsError(
                f"No results from {page.retstart + 1:,} on: there are {page.count:,}"
            )
        if args.format == "ids":
            return "".join(f"{p}\n" for p in page.pmids), EXIT_OK
        if args.format in RESULT_FORMATS:
            results = await search.results(page)
            text = render_text(results) if args.format == "text" else render_json(results)
            return text, EXIT_OK
        return await _records(service, page.pmids, args.format, settings.style)


async def _records(
    service: PubMed, pmids: Sequence[str], fmt: str, style: str | None
) -> tuple[str, int]:
    """The page's records in a record format, fetched with one batched efetch."""
    from tui.data.formats import get_renderer
    from tui.data.ids import parse_id
    from tui.data.model import Record

    if fmt == "cite":
        from tui.data.formats.styles import resolve_style

        resolve_style(style or "apa")  # an unknown style fails before anything is fetched
    outcomes = await service.fetch_many([parse_id(p) for p in pmids])
    records: list[Record] = []
    code = EXIT_OK
    for pmid, outcome in zip(pmids, outcomes, strict=True):
        if isinstance(outcome, PubtermError):
            _say(f"pubterm: PMID {pmid}: {outcome}")
            code = max(code, outcome.exit_code)
        else:
            records.append(outcome)
    return (get_renderer(fmt)(records, style=style) if records else ""), code


def main(argv: Sequence[str], out: TextIO | None = None) -> int:
    """``pubterm search …``; returns the exit code and never raises."""
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(list(argv))
    query = _query(parser, args)
    try:
        settings = settings_from_args(args)
        text, code = asyncio.run(_search(settings, args, query))
        out.write(text)
        out.flush()
        return code
    except ValueError as exc:  # a broken config file, an unknown citation style
        _say(f"pubterm: {exc}")
        return EXIT_USAGE
    except PubtermError as exc:
        _say(f"pubterm: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
