"""The issue's targets against one run's figures, each miss with its measured cause.

Ratios are taken within a round and the median of them is quoted, with the smallest and
largest beside it.  Every target is held against the **as installed** figures (bytecode
compiled once, as ``pip install`` leaves pubterm); the from-source figures are shown
beside them.  A cause is built from what the same run measured: the step-by-step
breakdown, the first byte after a key, the moment a request reached the server.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from benchmarks import causes
from benchmarks.keys import QUERY
from benchmarks.stats import Row, median, ms, percentile, spread

WARM_RATIO = 1.5
BIG_RATIO = 1.15
RSS_MB = 90.0
FILTER_SMALL_P95 = 16.0
FILTER_BIG_P95 = 33.0
MOVE_P95 = 16.0
COLD_PRINT_RATIO = 1.0
WARM_PRINT_RATIO = 0.6
COLD_SLACK = 1.1
REBUILD = "references pane rebuild, after the record"


def _values(rounds: Sequence[dict[str, Any]], key: str) -> list[float]:
    return [r[key] for r in rounds if isinstance(r.get(key), int | float)]


def _ratios(rounds: Sequence[dict[str, Any]], top: str, bottom: str) -> list[float]:
    return [r[top] / r[bottom] for r in rounds if r.get(top) and r.get(bottom)]


def _phase(rounds: Sequence[dict[str, Any]], size: int) -> dict[str, Any]:
    """Medians of the breakdown's milestones and spans for a review of ``size``."""
    runs = [r[f"phases_{size}"] for r in rounds if "marks" in r.get(f"phases_{size}", {})]
    if not runs:
        return {}
    names = set().union(*(p["marks"] for p in runs))
    marks = {n: median([p["marks"][n] for p in runs if n in p["marks"]]) for n in names}
    labels = set().union(*(p["spans"] for p in runs))
    spans = {n: median([p["spans"][n]["ms"] for p in runs if n in p["spans"]]) for n in labels}
    return {"marks": marks, "spans": spans}


def _top_spans(phase: dict[str, Any], when: str = "after", count: int = 3) -> str:
    return causes.top_spans(phase, when, count)


def _milestones(phase: dict[str, Any]) -> str:
    marks = phase.get("marks", {})
    wanted = ("textual imported", "reader mounted", "record arrived", "painted")
    return ", ".join(f"{n} {marks[n]:.0f}" for n in wanted if n in marks)


def _pair(ratios: list[float], rounds: Sequence[dict[str, Any]], key: str) -> str:
    return f"{spread(ratios, '×')}; pubterm {spread(_values(rounds, key), 'ms')}"


def _how(variant: str) -> str:
    return "as installed" if variant == "installed" else "from source"


def _met(value: float, target: float) -> bool | None:
    return None if math.isnan(value) else value <= target


def start_rows(data: dict[str, Any]) -> list[Row]:
    rounds = data["rounds"]
    small, big = data["sizes"][0], data["sizes"][-1]
    latency = data["latency_s"] * 1000
    rows: list[Row] = []
    floor = _values(rounds, "floor")
    rows.append(
        Row(
            "floor",
            "Minimal Textual app (one `Static`), start → painted",
            "(floor)",
            spread(floor, "ms"),
            None,
        )
    )
    phase_small, phase_big = _phase(rounds, small), _phase(rounds, big)
    for variant in ("installed", "source"):
        ratios = _ratios(rounds, f"warm_{small}_{variant}", "floor")
        value = median(ratios)
        absolute = spread(_values(rounds, f"warm_{small}_{variant}"), "ms")
        installed = variant == "installed"
        cause = ""
        if installed and not value <= WARM_RATIO:
            cause = causes.warm_open(phase_small, median(floor))
        rows.append(
            Row(
                f"warm_{small}_{variant}",
                f"Warm open, {small} refs ÷ minimal app ({_how(variant)})",
                f"≤ {WARM_RATIO} ×" if installed else "(information)",
                f"{spread(ratios, '×')}; pubterm {absolute}",
                _met(value, WARM_RATIO) if installed else None,
                cause,
            )
        )
    for size in data["sizes"][1:]:
        ratios = _ratios(rounds, f"warm_{size}_installed", f"warm_{small}_installed")
        value = median(ratios)
        target = size == big
        cause = ""
        if target and not value <= BIG_RATIO:
            rebuild_small = phase_small.get("spans", {}).get(
                "references pane rebuild, after the record"
            )
            rebuild_big = phase_big.get("spans", {}).get(
                "references pane rebuild, after the record"
            )
            each = None
            if rebuild_small is not None and rebuild_big is not None:
                each = (rebuild_big - rebuild_small) / (size - small) * 1000
            cause = causes.big_open(phase_big, each, phase_small)
        rows.append(
            Row(
                f"warm_{size}",
                f"Warm open, {size:,} refs ÷ warm open, {small}",
                f"≤ {BIG_RATIO} ×" if target else "(information)",
                _pair(ratios, rounds, f"warm_{size}_installed"),
                _met(value, BIG_RATIO) if target else None,
                cause,
            )
        )
    rss_big = _values(rounds, f"rss_{big}_installed")
    rss_small = _values(rounds, f"rss_{small}_installed")
    peak = max(rss_big, default=math.nan)
    cause = ""
    if not peak <= RSS_MB and rss_small:
        each = (peak - max(rss_small)) * 1024 / (big - small)
        cause = causes.rss(max(rss_small), small, each)
    rows.append(
        Row(
            f"rss_{big}",
            f"Peak RSS at the paint, {big:,} refs",
            f"≤ {RSS_MB:.0f} MB",
            f"max {peak:.0f} MB ({small} refs: {max(rss_small, default=math.nan):.0f} MB)",
            _met(peak, RSS_MB),
            cause,
        )
    )
    rows += _print_rows(data)
    rows += _cold_open_rows(rounds, latency, _values(rounds, f"warm_{small}_installed"))
    return rows


def _print_rows(data: dict[str, Any]) -> list[Row]:
    rounds = data["rounds"]
    latency = data["latency_s"] * 1000
    rows = []
    for variant in ("installed", "source"):
        installed = variant == "installed"
        ratios = _ratios(rounds, f"print_cold_{variant}", "entrez")
        value = median(ratios)
        cause = ""
        if installed and not value <= COLD_PRINT_RATIO:
            sent = median(_values(rounds, f"print_cold_sent_{variant}"))
            theirs = median(_values(rounds, "entrez_sent"))
            after = median(_values(rounds, f"print_cold_{variant}")) - sent - latency
            their_after = median(_values(rounds, "entrez")) - theirs - latency
            cause = causes.cold_print(sent, theirs, after, their_after)
        rows.append(
            Row(
                f"print_cold_{variant}",
                f"Cold print, 1 PMID, {latency:.0f} ms latency ÷ Biopython `efetch`+`read`"
                f" ({_how(variant)})",
                f"≤ {COLD_PRINT_RATIO} ×" if installed else "(information)",
                _pair(ratios, rounds, f"print_cold_{variant}")
                + f", Biopython {spread(_values(rounds, 'entrez'), 'ms')}",
                _met(value, COLD_PRINT_RATIO) if installed else None,
                cause,
            )
        )
    evidence = data.get("importtime", {})
    for variant in ("installed", "source"):
        installed = variant == "installed"
        ratios = _ratios(rounds, f"print_warm_{variant}", "floor")
        value = median(ratios)
        cause = ""
        if installed and not value <= WARM_PRINT_RATIO and evidence:
            top = ", ".join(f"{t['module']} {t['ms']:.0f} ms" for t in evidence["top"][:4])
            cause = (
                f"imports {evidence['total_ms']:.0f} ms, biggest: {top}. Would close it:"
                " importing only what reading one cache entry and its format needs"
            )
        rows.append(
            Row(
                f"print_warm_{variant}",
                f"Warm print (`--format json`) ÷ minimal app ({_how(variant)})",
                f"≤ {WARM_PRINT_RATIO} ×" if installed else "(information)",
                _pair(ratios, rounds, f"print_warm_{variant}"),
                _met(value, WARM_PRINT_RATIO) if installed else None,
                cause,
            )
        )
    return rows


def _cold_open_rows(
    rounds: Sequence[dict[str, Any]], latency: float, warm: list[float] | None = None
) -> list[Row]:
    seen = [r["cold_open_requests"] for r in rounds if "cold_open_requests" in r]
    critical = [len(s["critical"]) for s in seen]
    flying = max((len(s["in_flight"]) for s in seen), default=0)
    worst = max(critical, default=0)
    excess = [r["cold_open"] - r["floor"] for r in rounds if "cold_open" in r and "floor" in r]
    value = median(excess)
    slack = COLD_SLACK * latency
    sent = median([s["sent_ms"][0] for s in seen if s["sent_ms"]])
    after = median(_values(rounds, "cold_open")) - sent - latency
    warm_open = median(warm or [])
    cause = (
        ""
        if value <= slack
        else causes.cold_open(sent, after, latency, warm_open, median(_values(rounds, "floor")))
    )
    return [
        Row(
            "cold_requests",
            "Cold open by PMID: requests on the critical path",
            "1",
            f"max {worst} ({flying} more in flight at the paint)",
            worst <= 1 if seen else None,
            "" if worst <= 1 else ", ".join(seen[0]["critical"]),
        ),
        Row(
            "cold_open",
            "Cold open by PMID, start → painted, minus the minimal app",
            f"≤ {COLD_SLACK} × {latency:.0f} ms = {slack:.0f} ms",
            f"{spread(excess, 'ms')}; {spread(_values(rounds, 'cold_open'), 'ms')} in all",
            _met(value, slack),
            cause,
        ),
    ]


def key_rows(data: dict[str, Any]) -> list[Row]:
    keys = data["keys"]
    small, big = data["sizes"][0], data["sizes"][-1]
    specs = [
        (
            f"filter_{small}",
            f"Filter key → painted, {small} refs (`{QUERY}` typed, then erased)",
            FILTER_SMALL_P95,
        ),
        (f"filter_{big}", f"Filter key → painted, {big:,} refs", FILTER_BIG_P95),
        (f"G_{big}", f"`G` (then `g`): bottom and top of {big:,} refs", MOVE_P95),
        (f"pgdn_{big}", f"`pgdn` held, {big:,} refs", MOVE_P95),
        (f"j_{big}", f"`j` held, {big:,} refs", MOVE_P95),
    ]
    rows = []
    for key, label, target in specs:
        result = keys.get(key)
        if result is None:
            continue
        times, first = result["times"], result["first_byte"]
        p95 = percentile(times, 95)
        measured = f"p50 {ms(percentile(times, 50))}, p95 {ms(p95)} ({len(times)} keys)"
        if result["unmatched"]:
            measured += f"; {result['unmatched']} never showed their state"
        cause = ""
        if not p95 <= target:
            echo = percentile(first, 50)
            late = percentile(times, 50) - echo
            frames = median(result["writes"])
            cause = causes.key(echo, late, frames, target)
        rows.append(Row(key, label, f"p95 ≤ {target:.0f} ms", measured, _met(p95, target), cause))
    return rows


def build_rows(data: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    if data.get("rounds"):
        rows += start_rows(data)
    if data.get("keys"):
        rows += key_rows(data)
    if data.get("search"):
        from benchmarks.search import search_rows

        rows += search_rows(data)
    if data.get("fulltext"):
        from benchmarks.report_fulltext import fulltext_rows

        rows += fulltext_rows(data)
    return rows
