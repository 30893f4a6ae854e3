"""The benchmark suite stays runnable: its modules import, its table renders, and the
reader's exit-after-paint hook that it times still fires.  The suite itself is not part
of the default test run (``python -m benchmarks``)."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from benchmarks.procs import PUBTERM, base_env, in_terminal
from benchmarks.report import build_lines
from benchmarks.stats import Line, percentile, render_table


def test_table_shows_median_spread_target_and_ratio() -> None:
    lines = [
        Line("floor", "Floor", "ms", [100.0, 120.0, 110.0], target_text="(floor)"),
        Line(
            "warm", "Warm open", "ms", [150.0, 130.0, 140.0, 170.0, 160.0], 143.0, "≤ 1.3 × floor"
        ),
        Line("keys", "Filter key", "ms", [float(x) for x in range(1, 21)], 16.0, "≤", quote="p95"),
    ]
    table = render_table(lines).splitlines()
    assert table[0].startswith("| Measure |")
    assert table[2] == "| Floor | 110 ms (100 ms – 120 ms) | (floor) |  |  |"
    assert table[3] == (
        "| Warm open | 150 ms (130 ms – 170 ms) | ≤ 1.3 × floor = 143 ms | 1.05 | **no** |"
    )
    assert table[4].startswith("| Filter key | p95 19.1 ms (1.0 ms – 20.0 ms) | ≤ = 16.0 ms")
    assert table[4].endswith("| 1.19 | **no** |")


def test_percentile_interpolates() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([0.0, 10.0], 95) == 9.5
    assert math.isnan(percentile([], 95))


def test_build_lines_uses_the_same_run_floor() -> None:
    data = {"latency_s": 0.3, "values": {}, "details": {}}
    values = data["values"]
    assert isinstance(values, dict)
    for key in ("floor", "floor_exit", "python", "rss_32051057"):
        values[key] = [200.0]
    for pmid in ("35856662", "32051057"):
        values[f"warm_{pmid}"] = [250.0]
        values[f"warm_exit_{pmid}"] = [300.0]
        values[f"print_{pmid}"] = [100.0]
        for kind in ("pmid", "doi"):
            values[f"cold_{kind}_{pmid}"] = [700.0]
            values[f"cold_req_{kind}_{pmid}"] = [1.0]
            details = data["details"]
            assert isinstance(details, dict)
            details[f"cold_{kind}_{pmid}"] = [
                {"critical": ["efetch"], "in_flight": [], "after": []}
            ]
    lines = {line.key: line for line in build_lines(data)}
    assert lines["warm_35856662"].target == 260.0  # 1.3 × the floor's 200 ms
    assert lines["cold_pmid_32051057"].target == 200.0 + 1.2 * 300
    assert lines["cold_doi_32051057"].met is True  # 700 ≤ 200 + 1.2 × 2 × 300
    assert lines["cold_req_doi_32051057"].met is True and lines["cold_req_doi_32051057"].target == 2
    assert lines["print_32051057"].ratio == 100.0 / 125.0


def test_exit_after_paint_hook_prints_the_paint_time() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = base_env(
            {
                "PUBTERM_EXIT_AFTER_PAINT": "1",
                "PUBTERM_CACHE_DIR": tmp,
                "PUBTERM_CONFIG": str(Path(tmp) / "none.toml"),
                "PUBTERM_EUTILS_URL": "http://127.0.0.1:9/",
            }
        )
        run = in_terminal([*PUBTERM, "--demo"], env, timeout=60)
    assert run.returncode == 0, run.tail()
    assert run.painted is not None, run.tail()
    assert run.start < run.painted <= run.ended
