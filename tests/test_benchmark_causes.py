"""Every missed target in the benchmark table says what was measured and what would
close it; a breakdown that found no hook says so instead of ending mid-sentence."""

from __future__ import annotations

from typing import Any

from benchmarks.report import build_rows

LATENCY = 0.3


def _round() -> dict[str, Any]:
    """One round's figures, every target missed (shaped as benchmarks/startup.py's)."""
    phase = {
        "marks": {"ready": 100.0, "textual imported": 270.0, "reader mounted": 480.0},
        "spans": {"screen layouts (renders included), before the record": {"ms": 40.0}},
    }
    return {
        "floor": 260.0,
        "entrez": 426.0,
        "entrez_sent": 73.0,
        "warm_597_installed": 700.0,
        "warm_597_source": 900.0,
        "warm_20000_installed": 1200.0,
        "rss_597_installed": 56.0,
        "rss_20000_installed": 94.0,
        "print_cold_installed": 600.0,
        "print_cold_sent_installed": 257.0,
        "print_cold_source": 630.0,
        "print_warm_installed": 200.0,
        "print_warm_source": 210.0,
        "cold_open": 1030.0,
        "cold_open_requests": {"critical": ["efetch"], "in_flight": [], "sent_ms": [367.0]},
        "phases_597": {"marks": phase["marks"], "spans": {}},
        "phases_20000": phase,
    }


def _data() -> dict[str, Any]:
    key = {"times": [40.0, 50.0, 90.0], "first_byte": [39.0, 45.0, 80.0], "writes": [2, 2, 3]}
    return {
        "latency_s": LATENCY,
        "sizes": [597, 20000],
        "rounds": [_round()],
        "importtime": {"total_ms": 120.0, "top": [{"module": "tui.cli", "ms": 18.0}]},
        "keys": {"filter_597": {**key, "unmatched": 0}, "G_20000": {**key, "unmatched": 0}},
    }


def test_every_missed_target_names_its_cause_and_what_would_close_it() -> None:
    rows = build_rows(_data())
    missed = [row for row in rows if row.met is False]
    assert {r.key for r in missed} >= {
        "warm_597_installed",
        "warm_20000",
        "rss_20000",
        "print_cold_installed",
        "print_warm_installed",
        "cold_open",
        "filter_597",
        "G_20000",
    }
    for row in missed:
        assert "ould close it" in row.cause, (row.key, row.cause)
        assert not row.cause.rstrip().endswith(":"), (row.key, row.cause)


def test_a_breakdown_without_hooks_says_so() -> None:
    (warm,) = [r for r in build_rows(_data()) if r.key == "warm_597_installed"]
    assert "no step after the record was timed" in warm.cause
    assert "Longest: the reader's import and mount (210 ms)" in warm.cause


def test_the_cold_print_names_the_half_that_is_behind() -> None:
    (cold,) = [r for r in build_rows(_data()) if r.key == "print_cold_installed"]
    assert "sending 184 ms sooner" in cold.cause  # 257 ms against Biopython's 73 ms
    assert "less after the answer" not in cold.cause  # 43 ms against Biopython's 53 ms


def test_the_record_mark_keeps_the_watchers_two_parameters() -> None:
    """Textual calls a watcher by its parameter count; the breakdown's wrapper keeps it."""
    from textual._callback import count_parameters

    from benchmarks import phases

    class Screen:
        def watch_state(self, old: Any, new: Any) -> None:
            self.seen = (old, new)

    phases._record_mark(Screen, "watch_state")
    screen = Screen()
    assert count_parameters(screen.watch_state) == 2
    phases.MARKS.pop("record arrived", None)

    class State:
        record = "a record"

    screen.watch_state(None, State())
    assert "record arrived" in phases.MARKS
