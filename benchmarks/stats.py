"""Samples, targets and the Markdown table: how every benchmark line is reported.

A line holds the raw samples so the JSON keeps everything; the table quotes the median
with the minimum and maximum beside it, the target in words and as a figure, and the
ratio measured/target (at most 1.00 means the target is met).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Line:
    """One row of the table: what was measured, how often, and what it is held to."""

    key: str
    label: str
    unit: str  # "ms", "MB", "req", "s"
    samples: list[float]
    target: float | None = None  # in ``unit``; None for a line shown for information
    target_text: str = ""  # how the target is phrased, e.g. "≤ 1.3 × floor"
    quote: str = "median"  # "median", "p95" or "max": which statistic meets the target
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def value(self) -> float:
        """The statistic compared with the target."""
        if not self.samples:
            return math.nan
        if self.quote == "p95":
            return percentile(self.samples, 95)
        if self.quote == "max":
            return max(self.samples)
        return statistics.median(self.samples)

    @property
    def ratio(self) -> float | None:
        if self.target is None or self.target == 0 or not self.samples:
            return None
        return self.value / self.target

    @property
    def met(self) -> bool | None:
        return None if self.target is None or not self.samples else self.value <= self.target

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "quote": self.quote,
            "value": self.value,
            "median": statistics.median(self.samples) if self.samples else None,
            "min": min(self.samples, default=None),
            "max": max(self.samples, default=None),
            "samples": self.samples,
            "target": self.target,
            "target_text": self.target_text,
            "ratio": self.ratio,
            "met": self.met,
            "note": self.note,
            **({"extra": self.extra} if self.extra else {}),
        }


def fmt(value: float, unit: str) -> str:
    """A figure with its unit, with as many digits as the unit deserves."""
    if math.isnan(value):
        return "–"
    if unit == "req":
        return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:.1f} {unit}"


def render_table(lines: list[Line]) -> str:
    """The Markdown table printed by the suite and pasted into the README."""
    rows = [
        "| Measure | Measured (min – max) | Target | Ratio | Met |",
        "|---|---|---|---|---|",
    ]
    for line in lines:
        value = line.value
        spread = ""
        if len(line.samples) > 1:
            spread = f" ({fmt(min(line.samples), line.unit)} – {fmt(max(line.samples), line.unit)})"
        measured = (
            f"{line.quote} {fmt(value, line.unit)}{spread}"
            if line.quote != "median"
            else f"{fmt(value, line.unit)}{spread}"
        )
        if line.target is None:
            target, ratio, met = line.target_text or "(floor)", "", ""
        else:
            target = f"{line.target_text} = {fmt(line.target, line.unit)}".strip(" =")
            ratio = f"{line.ratio:.2f}" if line.ratio is not None else "–"
            met = "yes" if line.met else "**no**"
        label = line.label + (f" ({line.note})" if line.note else "")
        rows.append(f"| {label} | {measured} | {target} | {ratio} | {met} |")
    return "\n".join(rows) + "\n"
