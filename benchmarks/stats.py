"""Medians, percentiles and how a figure is written: the arithmetic of the table."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else math.nan


def ms(value: float) -> str:
    """Milliseconds with the digits they deserve."""
    if math.isnan(value):
        return "–"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def spread(samples: Sequence[float], unit: str = "") -> str:
    """``median (min – max)`` of a handful of samples."""
    if not samples:
        return "–"
    if unit == "ms":
        middle, low, high = ms(median(samples)), ms(min(samples)), ms(max(samples))
    else:
        middle, low, high = (f"{v:.2f}{unit}" for v in (median(samples), *_ends(samples)))
    return middle if len(samples) == 1 else f"{middle} ({low} – {high})"


def _ends(samples: Sequence[float]) -> tuple[float, float]:
    return min(samples), max(samples)


@dataclass(frozen=True)
class Row:
    """One line of the table: a target from the issue and what this run measured."""

    key: str
    measure: str
    target: str
    measured: str
    met: bool | None  # None: shown for information
    cause: str = ""

    def cells(self) -> list[str]:
        met = "" if self.met is None else ("met" if self.met else "**missed**")
        return [self.measure, self.target, self.measured, met, self.cause]


def render_table(rows: Sequence[Row]) -> str:
    """The Markdown table the suite prints and writes into the README."""
    lines = ["| Measure | Target | Measured | Met | Cause |", "|---|---|---|---|---|"]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row.cells()) + " |")
    return "\n".join(lines) + "\n"
