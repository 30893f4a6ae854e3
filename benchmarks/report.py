"""Turn the raw figures of a run into table lines against the issue's targets.

Targets that depend on the floor use the floor's median from the same run, so the
whole table moves together when the machine is slower or busier.
"""

from __future__ import annotations

import statistics
from typing import Any

from benchmarks.enrich import ideal_requests, ideal_seconds
from benchmarks.startup import REVIEWS
from benchmarks.stats import Line

FILTER_P95_MS = 16.0
BOTTOM_MS = 50.0
PARSE_MS = 30.0
RSS_MB = 120.0
WARM_RATIO = 1.3
PRINT_RATIO = 0.5
COLD_SLACK = 1.2


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _start_lines(data: dict[str, Any]) -> list[Line]:
    values: dict[str, list[float]] = data["values"]
    latency_ms = data["latency_s"] * 1000
    floor = _median(values["floor"])
    lines = [
        Line(
            "floor",
            "Floor: minimal Textual app, start → first paint",
            "ms",
            values["floor"],
            target_text="(floor)",
        ),
        Line(
            "python",
            "Python start alone (`python -c pass`)",
            "ms",
            values["python"],
            target_text="(information)",
        ),
    ]
    for pmid, _, count in REVIEWS:
        lines.append(
            Line(
                f"warm_{pmid}",
                f"Warm open {pmid} ({count} refs), start → painted",
                "ms",
                values[f"warm_{pmid}"],
                WARM_RATIO * floor,
                f"≤ {WARM_RATIO} × floor",
            )
        )
    for pmid, _, _count in REVIEWS:
        for kind, wanted in (("pmid", 1), ("doi", 2)):
            how = "PMID" if kind == "pmid" else "DOI"
            requests = values[f"cold_req_{kind}_{pmid}"]
            seen = data["details"][f"cold_{kind}_{pmid}"]
            flying = max((len(d["in_flight"]) for d in seen), default=0)
            after = max((len(d["after"]) for d in seen), default=0)
            lines.append(
                Line(
                    f"cold_req_{kind}_{pmid}",
                    f"Cold open {pmid} by {how}: requests answered before the paint",
                    "req",
                    requests,
                    float(wanted),
                    "=",
                    quote="max",
                    note=f"{flying} more in flight at it, {after} after it",
                )
            )
            lines.append(
                Line(
                    f"cold_{kind}_{pmid}",
                    f"Cold open {pmid} by {how}, start → painted",
                    "ms",
                    values[f"cold_{kind}_{pmid}"],
                    floor + COLD_SLACK * wanted * latency_ms,
                    f"≤ floor + {COLD_SLACK} × {wanted} × {latency_ms:.0f} ms",
                )
            )
    for pmid, _, _count in REVIEWS:
        warm = _median(values[f"warm_{pmid}"])
        lines.append(
            Line(
                f"print_{pmid}",
                f"Print path `--format json {pmid}`, warm",
                "ms",
                values[f"print_{pmid}"],
                PRINT_RATIO * warm,
                f"≤ {PRINT_RATIO} × warm open",
            )
        )
    lines.append(
        Line(
            "rss_32051057",
            "Peak RSS, reader open on 32051057",
            "MB",
            values["rss_32051057"],
            RSS_MB,
            "≤",
            quote="max",
        )
    )
    return lines


def _list_lines(data: dict[str, Any]) -> list[Line]:
    keys = data["keys"]
    return [
        Line("parse", "Parse 32051057 (597 refs)", "ms", data["parse"], PARSE_MS, "≤"),
        Line(
            "filter",
            "Filter keystroke in the references pane, key → painted",
            "ms",
            keys["filter"],
            FILTER_P95_MS,
            "≤",
            quote="p95",
        ),
        Line(
            "filter_cpu",
            "  the same, main-thread CPU",
            "ms",
            keys["filter_cpu"],
            target_text="(information)",
            quote="p95",
        ),
        Line(
            "bottom",
            "`G`: top → bottom of the 597 references, key → painted",
            "ms",
            keys["bottom"],
            BOTTOM_MS,
            "≤",
        ),
    ]


def _enrich_lines(data: dict[str, Any]) -> list[Line]:
    runs = data["enrich"]
    count = runs[0]["pmids"]
    want = ideal_requests(count)
    ideal = ideal_seconds(want, data["latency_s"])
    lines = []
    for name, label in (("resolve", "Resolve"), ("prefetch", "Prefetch")):
        lines.append(
            Line(
                f"{name}_requests",
                f"{label} {count} reference PMIDs: requests",
                "req",
                [float(r[f"{name}_requests"]) for r in runs],
                float(want),
                f"⌈{count}/200⌉",
                quote="max",
            )
        )
        lines.append(
            Line(
                f"{name}_time",
                f"{label} {count} reference PMIDs: wall time",
                "s",
                [r[f"{name}_s"] for r in runs],
                ideal,
                f"{want} requests at 3/s + {data['latency_s']:.1f} s",
            )
        )
    return lines


def build_lines(data: dict[str, Any]) -> list[Line]:
    """Every table line the data of this run supports, in the issue's order."""
    lines: list[Line] = []
    if "values" in data:
        lines += _start_lines(data)
    if "keys" in data:
        lines += _list_lines(data)
    if "enrich" in data:
        lines += _enrich_lines(data)
    return lines


def evidence_text(data: dict[str, Any]) -> str:
    """The notes printed under the table: import evidence and the requests seen."""
    out: list[str] = []
    evidence = data.get("importtime")
    if evidence:
        top = ", ".join(f"{t['module']} {t['cumulative_ms']:.0f} ms" for t in evidence["top"][:6])
        out.append(
            f"`{evidence['command']}`: {evidence['modules']} modules, "
            f"{evidence['total_ms']:.0f} ms of imports; textual imported: "
            f"{'yes' if evidence['textual_imported'] else 'no'}, rich imported: "
            f"{'yes' if evidence['rich_imported'] else 'no'}; biggest: {top}."
        )
    for key, details in sorted(data.get("details", {}).items()):
        if key.startswith(("cold_", "warm_")) and details:
            first = details[0]
            kind, _, pmid = key.partition("_")
            if kind == "cold":
                how, _, pmid = pmid.partition("_")
                what = f"cold open {pmid} by {how.upper()}"
            else:
                what = f"warm open {pmid}"
            out.append(
                f"Requests, {what} (first measured run): answered before the paint:"
                f" {_names(first['critical'])}; in flight at it:"
                f" {_names(first['in_flight'])}; started after it:"
                f" {_names(first['after'])}."
            )
    phases = data.get("details", {}).get("phases")
    if phases:
        out.append(phases_text(phases))
    if "values" in data:
        values = data["values"]
        exits = ", ".join(
            f"{k.removeprefix('warm_exit_')} {_median(v):.0f} ms"
            for k, v in sorted(values.items())
            if k.startswith("warm_exit_")
        )
        out.append(
            f"Start → exit (paint plus shutdown): floor {_median(values['floor_exit']):.0f}"
            f" ms, warm {exits}."
        )
    return "\n".join(f"- {line}" for line in out) + ("\n" if out else "")


def _names(endpoints: list[str]) -> str:
    return ", ".join(endpoints) if endpoints else "none"


def phases_text(phases: list[dict[str, Any]]) -> str:
    """Medians of the warm-open milestones and of the time inside the costly steps."""
    names = sorted(phases[0]["marks"], key=lambda n: phases[0]["marks"][n])
    marks = ", ".join(
        f"{name} {_median([p['marks'][name] for p in phases if name in p['marks']]):.0f}"
        for name in names
    )
    parts = []
    for when in ("before", "after"):
        labels = [n for n in phases[0]["spans"] if n.endswith(f", {when} the record")]
        medians = {
            n: _median([p["spans"][n]["ms"] for p in phases if n in p["spans"]]) for n in labels
        }
        labels.sort(key=lambda n: -medians[n])
        parts.append(
            f"{when} the record arrived: "
            + ", ".join(
                f"{n.removesuffix(f', {when} the record')} {medians[n]:.0f}"
                f" ({phases[0]['spans'][n]['calls']}×)"
                for n in labels
            )
        )
    return (
        f"Warm open of 32051057 step by step (`benchmarks/phases.py`, medians), ms from"
        f" process start: {marks}.\n- Time inside steps up to the paint (ms; layouts"
        f" include the renders they trigger), {parts[0]}; {parts[1]}."
    )
