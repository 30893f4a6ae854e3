"""Searching on the terminal: a fresh query's results, and the next page as you scroll.

``pubterm`` starts on the search screen with an empty cache; once it has settled the
query is written on the master side as one paste, and the echo of it on the screen is
this run's key floor (a key's paint with no network behind it).  ``enter`` then costs
two round trips, esearch and esummary (the cache is cold, so the summaries come from the
server too): the figure runs from writing ``enter`` to the end of the burst that shows
the count and the first result, and the server's log split at that paint gives the
requests on the critical path.  Right after that paint ``j`` is held (every 33 ms, a
keyboard's auto-repeat) from the first row past the end of the first page; each key's
time runs to the first screen whose cursor stands on the row it moves to, so a key
swallowed at the end of the loaded rows, waiting for the next page, shows as a stall.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyte

from benchmarks.keys import REPEAT, SETTLE
from benchmarks.session import Session, pubterm_script
from benchmarks.stats import Row, median, ms, percentile, spread
from benchmarks.terminal import SIZE, Terminal, plain_text
from tests.server import FixtureServer
from tui.data.search import DEFAULT_LIMIT
from tui.data.search_answer import parse_search

QUERY = "1900:2100[dp]"  # every fixture record: more than two pages
PROMPT = "Type a PubMed query"
SLACK = 1.1  # as the cold open's target: the round trips and a tenth of them
STALL_MS = 100.0  # a pause a person sees while scrolling
HELD = DEFAULT_LIMIT + 10  # from row 1 well into the second page
_RANK = re.compile(r"^\s*(\d+)\. ")


def first_page(server: FixtureServer) -> tuple[int, str]:
    """The count and the first PMID the server answers the query with (relevance)."""
    params = {"db": "pubmed", "term": QUERY, "sort": "relevance", "retmax": "1"}
    status, _, body = server.answer("GET", "/entrez/eutils/esearch.fcgi", params)
    if status != 200:
        raise RuntimeError(f"the server did not answer the query ({status})")
    page = parse_search(body)
    return page.count, page.pmids[0]


def painted_after(term: Terminal, after: float, expected: Sequence[str]) -> float:
    """The end of the first burst after ``after`` with which every string has arrived."""
    deadline = time.monotonic() + 30
    since = after
    while time.monotonic() < deadline:
        end = term.wait_quiet(since, timeout=max(0.1, deadline - time.monotonic()))
        if end > since:
            text = plain_text(term.output(end))
            if all(s in text for s in expected):
                return end
            since = end
        elif term.proc.poll() is not None:
            break
    raise RuntimeError(f"never painted {list(expected)}; the screen:\n" + "\n".join(term.screen()))


def cursor_ranks(term: Terminal, after: float) -> list[tuple[float, int | None]]:
    """(time, the rank the cursor stands on) after each chunk of output from ``after``.

    The cursor row is the one rank whose number has a background of its own."""
    screen = pyte.Screen(*SIZE)
    stream = pyte.ByteStream(screen)
    out: list[tuple[float, int | None]] = []
    for when, data in term.snapshot():
        stream.feed(data)
        if when < after:
            continue
        backgrounds: dict[str, list[int]] = {}
        for y, line in enumerate(screen.display):
            found = _RANK.match(line)
            if found:
                cell = screen.buffer[y][found.start(1)]
                backgrounds.setdefault(cell.bg, []).append(int(found.group(1)))
        lone = [ranks[0] for ranks in backgrounds.values() if len(ranks) == 1]
        out.append((when, lone[0] if len(backgrounds) > 1 and len(lone) == 1 else None))
    return out


def one_round(session: Session) -> dict[str, Any]:
    """A fresh query on a cold cache, then ``j`` held into the second page."""
    server = session.server
    count, first = first_page(server)
    cache = session.cold_cache()
    with Terminal(pubterm_script(), session.env(cache)) as term:
        term.wait_painted([PROMPT])
        term.wait_quiet(term.start, SETTLE, timeout=10)
        typed = term.press(QUERY)
        echo = painted_after(term, typed, [QUERY])
        time.sleep(SETTLE)
        before = len(server.logged())
        sent = term.press("enter")
        shown = painted_after(term, sent, [f"{count:,} results", f"PMID {first}"])
        seen = session.requests_since(before, sent, shown)
        keys = []
        for _ in range(HELD):
            moment = term.press("j")
            keys.append(moment)
            time.sleep(max(0.0, moment + REPEAT - time.monotonic()))
        term.wait_quiet(keys[-1], SETTLE, timeout=10)
        session.wait_server_quiet(SETTLE)
        ranks = cursor_ranks(term, keys[0])
        # A page is shown once its esummary is answered (its PMIDs may have come with
        # the esearch before), so the esummaries mark when each page was asked for.
        pages = [r for r in server.logged()[before:] if r.endpoint == "esummary"]
        asked = [r.endpoint for r in server.logged()[before:]]
        # The second page's requests: those after the first esummary, to its own.
        rest = asked[asked.index("esummary") + 1 :] if "esummary" in asked else []
        second = rest[: rest.index("esummary") + 1] if "esummary" in rest else rest
    return {
        "echo": (echo - typed) * 1000,
        "results": (shown - sent) * 1000,
        "critical": seen["critical"],
        "sent_ms": seen["sent_ms"][:4],
        "scroll": _scroll(keys, ranks),
        "pages_asked": [round((r.time - shown) * 1000, 1) for r in pages[1:]],
        "second_page": second,
    }


def _scroll(keys: Sequence[float], ranks: Sequence[tuple[float, int | None]]) -> dict[str, Any]:
    """Each held key's time to the screen with the cursor on its row (row 1 + keys)."""
    times: list[float] = []
    lost = 0
    for index, sent in enumerate(keys):
        target = index + 2
        came = next((t for t, r in ranks if t >= sent and r is not None and r >= target), None)
        if came is None:
            lost += 1
        else:
            times.append((came - sent) * 1000)
    boundary = DEFAULT_LIMIT - 1  # the key onto row 21, the second page's first
    return {
        "times": times,
        "lost": lost,
        "keys": len(keys),
        "boundary": times[boundary] if lost == 0 and len(times) > boundary else None,
        "last_rank": next((r for _, r in reversed(ranks) if r is not None), None),
    }


def run_search(
    session: Session, rounds: int, progress: Callable[[str], None] | None = None
) -> list[dict[str, Any]]:
    """``rounds`` fresh queries, each in a pubterm of its own."""
    out = []
    for index in range(rounds):
        if progress is not None:
            progress(f"search round {index + 1}/{rounds}")
        out.append(one_round(session))
    return out


def _trips(runs: list[dict[str, Any]]) -> int:
    """Round trips the second page took: its esummary, and an esearch if it needed one."""
    second = next((r.get("second_page") for r in runs if r.get("second_page")), None)
    return 2 if second and "esearch" in second else 1


def search_rows(data: dict[str, Any]) -> list[Row]:
    """The two search targets against one run's rounds."""
    runs = data.get("search") or []
    if not runs:
        return []
    latency = data["latency_s"] * 1000
    echo = median([r["echo"] for r in runs])
    results = [r["results"] for r in runs]
    target = echo + SLACK * 2 * latency
    critical = max((len(r["critical"]) for r in runs), default=0)
    value = median(results)
    cause = ""
    if not value <= target or critical > 2:
        path = ", ".join(max((r["critical"] for r in runs), key=len))
        sent = [r["sent_ms"][0] for r in runs if r["sent_ms"]]
        cause = (
            f"on the critical path: {path}; the esearch reached the server"
            f" {spread(sent, 'ms')} after `enter`"
        )
        beyond = value - median(sent) - len(path.split(", ")) * latency
        cause += (
            f"; {ms(beyond)} of work besides the round trips. Would close it: the esearch"
            " sent at `enter` and the results painted as the esummary answers"
            + (" (one request fewer: esearch's own summaries)" if critical > 2 else "")
        )
    held = [t for r in runs for t in r["scroll"]["times"]]
    lost = sum(r["scroll"]["lost"] for r in runs)
    worst = max(held, default=float("nan"))
    boundary = [b for r in runs if (b := r["scroll"]["boundary"]) is not None]
    asked = [r["pages_asked"][0] for r in runs if r["pages_asked"]]
    stall_cause = ""
    if lost or not worst <= STALL_MS:
        stall_cause = (
            f"the second page was asked for {spread(asked, 'ms')} after the first was painted"
            f" and takes {_trips(runs)} × {latency:.0f} ms; `j` held reaches row"
            f" {DEFAULT_LIMIT} after {(DEFAULT_LIMIT - 1) * REPEAT * 1000:.0f} ms"
        )
        if lost:
            stall_cause += (
                ". Would close it: the next page asked for while the first is still being"
                f" read, its round trips done before `j` reaches row {DEFAULT_LIMIT}"
            )
        else:
            slow = sorted(
                i + 2
                for r in runs
                for i, t in enumerate(r["scroll"]["times"])
                if t > STALL_MS and r["scroll"]["lost"] == 0
            )
            stall_cause += (
                f"; no key lost, {len(slow)} keys over {STALL_MS:.0f} ms, onto rows"
                f" {', '.join(str(row) for row in slow)}. Would close it: the work those"
                " keys start (the first move sets up the next page's request; the last"
                " ones draw the arriving page) kept out of the key's own frame"
            )
    return [
        Row(
            "search_results",
            f"Fresh query (cold cache): `enter` → results painted, {latency:.0f} ms latency",
            f"≤ key floor + {SLACK} × 2 round trips (esearch + esummary) ="
            f" {ms(echo)} + {SLACK * 2 * latency:.0f} ms",
            f"{spread(results, 'ms')}; key floor (the query's echo) {ms(echo)};"
            f" {critical} requests on the critical path",
            value <= target and critical <= 2,
            cause,
        ),
        Row(
            "search_scroll",
            f"Next page as you scroll: `j` held from row 1 to row {HELD + 1}, right after"
            " the results",
            f"no key lost, each ≤ {STALL_MS:.0f} ms",
            f"p50 {ms(percentile(held, 50))}, max {ms(worst)}; onto row {DEFAULT_LIMIT + 1}"
            f" {spread(boundary, 'ms')}; {lost} of {sum(r['scroll']['keys'] for r in runs)}"
            " keys lost",
            lost == 0 and worst <= STALL_MS,
            stall_cause,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.search``: these two figures alone, against their own server."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--latency", type=float, default=0.3, help="server delay per request")
    args = parser.parse_args(argv)
    from benchmarks.stats import render_table

    with (
        tempfile.TemporaryDirectory(prefix="pubterm-bench-") as tmp,
        FixtureServer(latency=args.latency) as server,
    ):
        session = Session(server, Path(tmp), ())
        runs = run_search(session, max(1, args.runs), lambda s: print(s, file=sys.stderr))
    print(render_table(search_rows({"search": runs, "latency_s": args.latency})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
