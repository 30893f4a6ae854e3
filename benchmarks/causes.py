"""What a missed target's "Cause" cell says: the measured cause, then what would close it.

A cause is only as good as the figures behind it, so every sentence here is built from
the same run's measurements (the breakdown's milestones and spans, the moment a request
reached the server, the first byte after a key); the remedy named is the one those
figures point to.  When a figure the sentence needs is missing, the cell says which
measure did not report, rather than ending in the middle of a phrase.
"""

from __future__ import annotations

import math
from typing import Any

from benchmarks.stats import ms

# The warm open's segments between the breakdown's milestones, and what shortens each.
SEGMENTS = (
    (
        "ready",
        "textual imported",
        "imports before the first frame",
        "importing less before the first frame (Textual's own imports are the floor's too)",
    ),
    (
        "textual imported",
        "reader mounted",
        "the reader's import and mount",
        "a reader that composes and styles less before its first frame",
    ),
    (
        "reader mounted",
        "record arrived",
        "waiting for the record",
        "handing the early fetch's record to the reader sooner",
    ),
    (
        "record arrived",
        "painted",
        "laying out and rendering the record",
        "laying out and rendering only what the first frame shows",
    ),
)


def top_spans(phase: dict[str, Any], when: str = "after", count: int = 3) -> str:
    """The costliest timed steps after (or before) the record, or what did not report."""
    spans = {
        n.removesuffix(f", {when} the record"): v
        for n, v in phase.get("spans", {}).items()
        if n.endswith(f", {when} the record")
    }
    if not spans:
        return f"no step {when} the record was timed (benchmarks/phases.py found no hook)"
    best = sorted(spans.items(), key=lambda item: -item[1])[:count]
    return ", ".join(f"{name} {value:.0f} ms" for name, value in best)


def warm_open(phase: dict[str, Any], floor: float) -> str:
    """The warm open's milestones, its longest segment and what would shorten it."""
    marks = phase.get("marks", {})
    if not marks:
        return "the breakdown (benchmarks/phases.py) did not report; rerun it to see where"
    wanted = ("textual imported", "reader mounted", "record arrived", "painted")
    shown = ", ".join(f"{n} {marks[n]:.0f}" for n in wanted if n in marks)
    lengths = [
        (marks[end] - marks[start], words, remedy)
        for start, end, words, remedy in SEGMENTS
        if start in marks and end in marks
    ]
    cause = f"ms from start: {shown} (the minimal app paints at {floor:.0f})"
    cause += f"; after the record arrived: {top_spans(phase)}"
    if lengths:
        took, words, remedy = max(lengths)
        cause += f". Longest: {words} ({took:.0f} ms); would close it: {remedy}"
    return cause


def big_open(
    phase: dict[str, Any], each_us: float | None, small_phase: dict[str, Any] | None = None
) -> str:
    """Why a long review opens slower than a short one, and what would close it."""
    cause = f"after the record arrived: {top_spans(phase)}"
    if each_us is not None and not math.isnan(each_us):
        cause += f"; the list costs ~{each_us:.0f} µs a reference"
    done = "first fetch done (thread)"
    big_marks = phase.get("marks", {})
    small_marks = (small_phase or {}).get("marks", {})
    if done in big_marks and done in small_marks and "reader mounted" in big_marks:
        return cause + (
            f"; the record is read from the cache and parsed on the first-fetch thread by"
            f" {big_marks[done]:.0f} ms from start (short review: {small_marks[done]:.0f} ms),"
            f" while the reader is mounted at {big_marks['reader mounted']:.0f} ms."
            " Would close it: keeping the parsed record in the cache (no XML parse on a warm"
            " open), or painting the header and abstract before the references are parsed"
        )
    return cause + (
        ". Would close it: building and measuring only the entries in view"
        " (the rest estimated), so the cost stops growing with the list"
    )


def rss(small_mb: float, small: int, each_kb: float) -> str:
    return (
        f"{small_mb:.0f} MB at {small} refs: ~{each_kb:.1f} KB more a reference."
        " Would close it: keeping rendered lines only for entries in view,"
        " not one renderable per reference"
    )


def cold_print(sent: float, theirs: float, after: float, their_after: float) -> str:
    """The cold print against Biopython: which half is behind, and what would close it."""
    cause = (
        f"the request reaches the server {ms(sent)} after start (Biopython: {ms(theirs)});"
        f" after the answer, {ms(after)} to exit (Biopython: {ms(their_after)})"
    )
    behind = []
    if sent > theirs:
        behind.append(
            f"sending {ms(sent - theirs)} sooner (fewer imports before the plain request:"
            " tui/cli_early.py)"
        )
    if after > their_after:
        behind.append(
            f"{ms(after - their_after)} less after the answer (its parse, the cache write,"
            " the output)"
        )
    if not behind:
        return cause + ". Each half is ahead; the ratio is within the rounds' spread"
    return cause + ". Would close it: " + " and ".join(behind)


def cold_open(sent: float, after: float, latency: float, warm: float, floor: float) -> str:
    """The cold open: when the request left, what the paint waited for after it."""
    cause = (
        f"the request leaves {ms(sent)} after start; the paint follows the answer by {ms(after)}"
    )
    answer = sent + latency
    if not math.isnan(warm) and warm > answer:
        return cause + (
            f"; a warm open (no request at all) paints at {ms(warm)}, after the answer"
            f" is in ({ms(answer)}). Would close it: a faster warm open (the reader's own"
            f" start-up, {ms(warm - floor)} over the minimal app): the request is no longer"
            " on the critical path"
        )
    return cause + (
        f". Would close it: the request sent sooner ({ms(sent)} now) and less work"
        f" between the answer and the paint ({ms(after)})"
    )


def key(echo: float, late: float, frames: float, target: float) -> str:
    """A key's timing: the first write after it, the rest of the frame, what would close it."""
    cause = f"first byte after the key p50 {ms(echo)}"
    if late > 1:
        cause += f", the finished screen {ms(late)} after it"
    cause += f"; {frames:.0f} write{'s' if frames != 1 else ''} to it (median)"
    remedies = []
    if echo > target:
        remedies.append(
            f"the work before the first write ({ms(echo)}) done in the key's own handler,"
            " within one frame"
        )
    if late > 1 or frames > 1:
        remedies.append("the echo and the changed lines written in one update")
    if not remedies:
        remedies.append("the slowest keys (the p95) brought to the median's pace")
    return cause + ". Would close it: " + "; ".join(remedies)
