"""Start-up figures, taken in shuffled paired rounds.

Every round runs each variant once, in an order shuffled afresh (seeded, so a run can be
repeated): the minimal app, warm opens, prints and cold opens.  Load from other work on
the machine then lands on all of them alike, and a ratio is taken within its round (this
round's warm open over this round's minimal app) before the median is quoted.  The first
round is a warm-up and is dropped.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import time
from collections.abc import Callable
from typing import Any

from benchmarks.floor_app import FLOOR_TEXT
from benchmarks.session import ENTREZ, FLOOR, VARIANTS, Session, pubterm_script
from benchmarks.terminal import PYTHON, ROOT, Terminal, piped

Round = dict[str, Any]  # measure key -> figure (ms, MB) or details


def _floor(session: Session, out: Round) -> None:
    with Terminal(FLOOR, session.env()) as term:
        out["floor"] = term.wait_painted([FLOOR_TEXT]) * 1000
        term.check_screen([FLOOR_TEXT])
        out["rss_floor"] = term.peak_rss_mb()


def _warm(size: int, variant: str) -> Callable[[Session, Round], None]:
    def measure(session: Session, out: Round) -> None:
        review = session.reviews[size]
        before = len(session.server.logged())
        with Terminal([*pubterm_script(), review.pmid], session.env(variant=variant)) as term:
            painted = term.wait_painted(review.expected)
            out[f"rss_{size}_{variant}"] = term.peak_rss_mb()
            term.check_screen(review.expected)
        out[f"warm_{size}_{variant}"] = painted * 1000
        seen = session.requests_since(before, term.start, term.start + painted)
        out[f"warm_requests_{size}_{variant}"] = len(seen["critical"])

    return measure


def _print(cold: bool, variant: str) -> Callable[[Session, Round], None]:
    def measure(session: Session, out: Round) -> None:
        cache = session.cold_cache() if cold else session.warm_cache
        before = len(session.server.logged())
        argv = [*pubterm_script(), "--format", "json", session.small.pmid]
        started = time.monotonic()
        run = piped(argv, session.env(cache, variant))
        kind = "cold" if cold else "warm"
        out[f"print_{kind}_{variant}"] = run.to_exit_ms
        if cold:
            out[f"print_cold_sent_{variant}"] = _first_sent(session, before, started)
            shutil.rmtree(cache, ignore_errors=True)

    return measure


def _entrez(session: Session, out: Round) -> None:
    before = len(session.server.logged())
    started = time.monotonic()
    run = piped([*ENTREZ, session.server.eutils_url, session.small.pmid], session.env())
    out["entrez"] = run.to_exit_ms
    out["entrez_sent"] = _first_sent(session, before, started)


def _first_sent(session: Session, before: int, started: float) -> float:
    """Milliseconds from start until the first request reached the server."""
    log = session.server.logged()[before:]
    return (log[0].time - started) * 1000 if log else float("nan")


def _cold_open(session: Session, out: Round) -> None:
    cache = session.cold_cache()
    review = session.small
    before = len(session.server.logged())
    with Terminal([*pubterm_script(), review.pmid], session.env(cache)) as term:
        painted = term.wait_painted(review.expected)
        term.check_screen(review.expected)
    out["cold_open"] = painted * 1000
    out["cold_open_requests"] = session.requests_since(before, term.start, term.start + painted)
    shutil.rmtree(cache, ignore_errors=True)


def _phases(size: int) -> Callable[[Session, Round], None]:
    """A warm open under benchmarks/phases.py: where its time goes, step by step."""

    def measure(session: Session, out: Round) -> None:
        review = session.reviews[size]
        env = session.env()
        argv = [PYTHON, str(ROOT / "benchmarks" / "phases.py"), review.pmid]
        with Terminal(argv, env) as term:
            term.proc.wait(60)
            text = term.output().decode("utf-8", "replace")
        found = re.search(r"pubterm-phases (\{.*\})", text)
        if found is None:
            out[f"phases_{size}"] = {"error": term.tail()[-200:]}
            return
        data = json.loads(found.group(1))
        marks = {k: round((v - term.start) * 1000, 1) for k, v in data["marks"].items()}
        out[f"phases_{size}"] = {"marks": marks, "spans": data["spans"]}

    return measure


def plan(session: Session) -> dict[str, Callable[[Session, Round], None]]:
    """Every start-up variant of a round, by name."""
    steps: dict[str, Callable[[Session, Round], None]] = {"floor": _floor, "entrez": _entrez}
    for variant in VARIANTS:
        steps[f"warm {session.small.references} {variant}"] = _warm(
            session.small.references, variant
        )
        steps[f"print warm {variant}"] = _print(False, variant)
        steps[f"print cold {variant}"] = _print(True, variant)
    for size in session.sizes:
        steps[f"warm {size}"] = _warm(size, "installed")
    steps["cold open"] = _cold_open
    for size in (session.small.references, max(session.reviews)):
        steps[f"phases {size}"] = _phases(size)
    return steps


def run_rounds(
    session: Session, runs: int, progress: Callable[[str], None], *, warmup: bool = True
) -> list[Round]:
    """A warm-up round (dropped) and ``runs`` measured rounds, each in shuffled order."""
    steps = plan(session)
    shuffle = random.Random(13)
    rounds: list[Round] = []
    for index in range(runs + (1 if warmup else 0)):
        order = list(steps)
        shuffle.shuffle(order)
        label = "warm-up round" if warmup and index == 0 else f"round {len(rounds) + 1}/{runs}"
        progress(label)
        out: Round = {"order": order}
        for name in order:
            steps[name](session, out)
        if not (warmup and index == 0):
            rounds.append(out)
    return rounds
