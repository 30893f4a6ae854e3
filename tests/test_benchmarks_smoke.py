"""The benchmark harness works: ``python -m benchmarks --quick`` produces every figure,
each one sane (positive, the expected strings found on the terminal, every key's screen
seen), and leaves the README alone.  Nothing here is timed: the figures themselves
belong to ``python -m benchmarks``."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from lxml import etree

from benchmarks.stats import Row, percentile, render_table
from benchmarks.synthetic import SOURCE, long_review, real_review
from benchmarks.terminal import plain_text

ROOT = Path(__file__).resolve().parent.parent


def test_percentile_interpolates() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([0.0, 10.0], 95) == 9.5
    assert math.isnan(percentile([], 95))


def test_table_rows_say_met_or_missed_and_escape_bars() -> None:
    rows = [
        Row("a", "Warm open", "≤ 1.5 ×", "1.20×", True),
        Row("b", "Filter | key", "p95 ≤ 16 ms", "p95 40 ms", False, "two frames"),
        Row("c", "Floor", "(floor)", "200 ms", None),
    ]
    table = render_table(rows).splitlines()
    assert table[0] == "| Measure | Target | Measured | Met | Cause |"
    assert table[2] == "| Warm open | ≤ 1.5 × | 1.20× | met |  |"
    assert table[3] == "| Filter \\| key | p95 ≤ 16 ms | p95 40 ms | **missed** | two frames |"
    assert table[4] == "| Floor | (floor) | 200 ms |  |  |"


def test_terminal_text_drops_escape_sequences() -> None:
    raw = b"\x1b[1;1H\x1b[1;38;2;1;2;3mThe title\x1b[0m\x1b]22;default\x07 end"
    assert plain_text(raw) == "The title end"


def test_long_review_repeats_the_real_references_under_its_own_pmid() -> None:
    real = real_review()
    long = long_review(1500)
    root = etree.fromstring(long.xml)
    references = root.findall(".//ReferenceList/Reference/Citation")
    originals = etree.fromstring(real.xml).findall(".//ReferenceList/Reference/Citation")
    assert len(references) == long.references == 1500
    assert [r.text for r in references[: len(originals)]] == [r.text for r in originals]
    assert references[len(originals)].text == originals[0].text
    assert root.findtext(".//MedlineCitation/PMID") == long.pmid != SOURCE
    own = root.findall("./PubmedArticle/PubmedData/ArticleIdList/ArticleId")
    assert [(a.get("IdType"), a.text) for a in own] == [("pubmed", long.pmid)]
    assert long.expected == real.expected


def test_quick_run_produces_every_figure(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_bytes()
    out = tmp_path / "quick.json"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert (ROOT / "README.md").read_bytes() == readme
    data = json.loads(out.read_text(encoding="utf-8"))
    small, big = data["sizes"]
    (figures,) = data["rounds"]
    for key in (
        "floor",
        "entrez",
        f"warm_{small}_installed",
        f"warm_{small}_source",
        f"warm_{big}_installed",
        f"rss_{big}_installed",
        "print_warm_installed",
        "print_warm_source",
        "print_cold_installed",
        "print_cold_source",
        "cold_open",
    ):
        assert figures[key] > 0, key
    # A cold open cannot paint without the record; a warm one needs no request.
    assert "efetch" in figures["cold_open_requests"]["critical"]
    assert figures[f"warm_requests_{small}_installed"] == 0
    for size in (small, big):
        assert figures[f"phases_{size}"]["marks"]["painted"] > 0
    keys = data["keys"]
    assert set(keys) == {f"filter_{small}", f"filter_{big}", f"G_{big}", f"j_{big}"}
    for name, result in keys.items():
        assert result["moves_screen"] and result["returns_to_start"], name
        assert len(result["times"]) == result["keys"] > 0, name
        assert all(t > 0 for t in result["times"]), name
        assert result["unmatched"] == 0, name
    (search,) = data["search"]
    assert search["results"] > 0 and search["critical"] == ["esearch", "esummary"]
    assert search["scroll"]["keys"] > 0 and search["scroll"]["times"]
    (pane,) = data["fulltext"]["rounds"]
    assert pane["shown"] and pane["pane_ms"] > 0 and pane["switch_ms"] > 0
    for key in ("j", "pagedown"):
        assert pane[key] and all(t > 0 for t in pane[key]), key
    measures = {row["key"] for row in data["rows"]}
    assert {"search_results", "search_scroll"} <= measures
    assert {"fulltext_pane", "fulltext_j", "fulltext_pagedown"} <= measures
    assert {f"warm_{big}", "cold_open", "print_cold_installed", f"filter_{big}"} <= measures
    assert all(row["measured"] and row["target"] for row in data["rows"])
    assert "| Measure | Target | Measured | Met | Cause |" in run.stdout
