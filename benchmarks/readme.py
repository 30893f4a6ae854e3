"""The README's Performance section, rewritten from one run between its markers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.stats import Row, median, render_table

START, END = "<!-- performance:start -->\n", "<!-- performance:end -->"
LATEST = Path(__file__).resolve().parent / "latest.json"

HOW = """\
How each figure is taken:

- **On a pseudo-terminal, from the bytes.** Every start-up and key figure comes from a
  process started on its own 160×48 pty; a thread reads the master side and stamps each
  chunk.  A screen counts as painted when every expected string (the record's title,
  the abstract's opening, the first reference) has arrived and the output burst carrying
  it has ended (15 ms without a byte); the screen is then rebuilt from the same bytes
  with `pyte` to check that the strings stand on it.  The minimal app is
  `benchmarks/floor_app.py`: one `Static`, timed the same way.
- **Shuffled paired rounds.** Each round runs every variant once in a new random order;
  the first round is a warm-up and is dropped.  A ratio is taken within its round, and
  the median ratio is quoted (smallest – largest), then the absolute medians.
- **As installed, and from source.** pubterm is copied twice at the start: one copy
  compiled to bytecode (as `pip install` leaves it), one with no bytecode and
  `PYTHONDONTWRITEBYTECODE=1` (every start compiles the package).  **The targets are held
  against the as-installed figures**; the from-source ones are shown beside them.
- **Warm** means a cache filled once through `--format json` and one reader open per
  review; **cold** an empty cache.  The network is `tests/server.py` with the latency
  added to every request; its request log, split at the paint, gives the requests on
  the critical path (answered before the paint).
- **Long reviews**: 32051057's 597 `<Reference>` elements repeated, in order, into
  5,000- and 20,000-reference copies under PMIDs of their own, built at run time
  (`benchmarks/synthetic.py`), never committed.
- **Keys** (`benchmarks/keys.py`): the review is opened warm and left to settle; each
  key sequence is typed slowly once, and the screen after each key (characters; for
  moves, colours too) is that key's expected state; this pass is the warm-up.  A key's
  time runs from writing its bytes on the master to the end of the burst after which the
  screen shows its state.  Typed keys go one at a time at a typist's pace; held keys go
  every 33 ms (auto-repeat) whether or not the last was painted.
- **Search** (`benchmarks/search.py`): `pubterm` on an empty cache, the query written as
  one paste once the search screen has settled (its echo is the key floor), then
  `enter`: the time to the burst that shows the count and the first result, and the
  requests answered before it.  Right after that paint `j` is held (every 33 ms) from
  row 1 to row 31; a key's time runs to the first screen whose cursor stands on its row,
  and a key swallowed at the end of the loaded rows counts as lost.
- **Print**: `pubterm --format json PMID` to a pipe, start to exit.  Biopython's figure
  is `benchmarks/entrez_print.py` (`Entrez.efetch` + `Entrez.read`, its request sent to
  the same local server) in the same rounds.
- **Causes** come from the same run: `benchmarks/phases.py` (a warm open with timing
  wrappers: milestones in ms from start, time inside layouts, the references pane's
  rebuild, option-list line heights; the only in-process hooks), the first byte after a
  key, the moment each request reached the server, `python -X importtime`.
"""


def header(data: dict[str, Any]) -> str:
    machine = data["machine"]
    floor = [r["floor"] for r in data["rounds"] if "floor" in r]
    text = (
        f"Run of {machine['when'][:10]}: {data['runs']} measured rounds after a warm-up,"
        f" {machine['cpus']} CPUs, Python {machine['python']}, load average"
        f" {machine['load'][0]:.1f} → {machine['load'][-1]:.1f}, server latency"
        f" {data['latency_s'] * 1000:.0f} ms a request; {data['seconds']:.0f} s in all."
    )
    if floor and (max(floor) - min(floor)) > 0.25 * median(floor):
        text += (
            f" The machine was shared and busy: the minimal app alone ranged"
            f" {min(floor):.0f}–{max(floor):.0f} ms, so single figures are noisy; the"
            f" paired ratios less so."
        )
    return text + "\n\n"


def write_readme(readme: Path, rows: Sequence[Row], data: dict[str, Any]) -> None:
    """Replace what stands between the performance markers; keep the run as latest.json."""
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, found, tail = rest.partition(END)
    if not found:
        raise SystemExit("README.md has no performance markers")
    block = header(data) + render_table(rows) + "\n" + HOW
    readme.write_text(head + START + block + END + tail, encoding="utf-8")
    LATEST.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
