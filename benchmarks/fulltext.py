"""The Full text pane on the terminal: painted after its key, and scrolling in it.

No recorded article cites 600 works, so the 337-reference review (PMC12491691) is served
twice over as one article: its sections and its reference list repeated with every id
renamed, so the copy's 868 citations point at 674 references.  The cache is warmed by
printing it once (``--format markdown`` caches the record and the full text), then each
round opens the reader on a fresh pty, presses the pane's key and times the bytes until
the text's first section is on screen; then ``j`` and ``pgdn``, each timed from its byte
to the end of the output burst it caused, with its first byte; last ``1`` and the pane's
key again, the text already shown: the reader's pane switch alone, the floor under the
first paint.  ``python -m benchmarks.fulltext --rounds 3``; ``python -m benchmarks`` runs
it too (:func:`run_fulltext`) and reports it against the issue's targets.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lxml import etree

from benchmarks.session import pubterm_script
from benchmarks.stats import percentile
from benchmarks.terminal import Terminal, base_env, piped, plain_text
from tests.server import FixtureServer
from tests.server_fulltext import FULLTEXT
from tui.screens.panes import PANE_TABLE

SOURCE = "PMC12491691-elsevier-apsb-review.xml"
DIGITS = "99491691"  # the doubled copy's PMC number: no real article's
KEY = next(p.key for p in PANE_TABLE if p.id == "fulltext")
SCROLL_KEYS = {"j": 40, "pagedown": 15}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def doubled_article(scratch: Path) -> Path:
    """The review with its body and references repeated under renamed ids."""
    root = etree.fromstring((FULLTEXT / SOURCE).read_bytes(), PARSER)
    body = next(root.iter("{*}body"))
    refs = next(root.iter("{*}ref-list"))
    for part in (body, refs):
        again = copy.deepcopy(part)
        for el in again.iter():
            for name in ("id", "rid"):
                value = el.get(name)
                if value:
                    el.set(name, " ".join("x" + v for v in value.split()))
        for child in list(again):
            if etree.QName(child).localname not in ("title", "label"):
                part.append(child)
    meta = next(root.iter("{*}article-meta"))
    for el in meta.iterfind("{*}article-id"):
        kind = el.get("pub-id-type")
        if kind in ("pmc", "pmcid", "pmc-uid", "pmcaid"):
            el.text = f"PMC{DIGITS}"
        elif kind == "pmid":
            meta.remove(el)
    path = scratch / "doubled-review.xml"
    path.write_bytes(etree.tostring(root, encoding="utf-8"))
    return path


def serve(server: FixtureServer, scratch: Path) -> tuple[str, str]:
    """Serve the doubled review; its PMID and the first section's title, numbered as
    the article numbers it (as the pane's title shows it: "1 Introduction")."""
    server.fulltext.enable()
    article = server.fulltext.serve(doubled_article(scratch))
    section = next(article.element.iter("{*}sec"))
    parts = [section.find("{*}label"), section.find("{*}title")]
    words = [" ".join("".join(p.itertext()).split()) for p in parts if p is not None]
    return article.pmid, " ".join(w for w in words if w)


def _burst_end(term: Terminal, sent: float) -> float:
    return term.wait_quiet(sent, timeout=10, idle=1.0)


FRAME_GAP = 0.005  # bytes closer together than this belong to one frame


def _shown_at(term: Terminal, sent: float, needle: str) -> float | None:
    """When the frame that first shows ``needle`` was written out (None: never)."""
    chunks = [(at, data) for at, data in term.snapshot() if at >= sent]
    seen = b""
    for index, (at, data) in enumerate(chunks):
        seen += data
        if needle in plain_text(seen[-200_000:]):
            end = at
            for later, _ in chunks[index + 1 :]:
                if later - end > FRAME_GAP:
                    break
                end = later
            return end
    return None


def _first_byte(term: Terminal, sent: float) -> float | None:
    """Milliseconds from a key to the first byte written after it."""
    after = [at for at, _ in term.snapshot() if at >= sent]
    return round((after[0] - sent) * 1000, 1) if after else None


def _switch_back(term: Terminal) -> float:
    """The pane's key pressed again with its text already shown (after ``1``): what
    the reader's pane switch alone costs, the floor under the first paint."""
    time.sleep(0.05)
    _burst_end(term, term.press("1"))
    time.sleep(0.05)
    sent = term.press(KEY)
    return round((_burst_end(term, sent) - sent) * 1000, 1)


def one_round(
    env: dict[str, str], pmid: str, heading: str, scroll: dict[str, int] | None = None
) -> dict[str, Any]:
    """Open the reader, press the pane's key, then scroll; milliseconds per key."""
    with Terminal([*pubterm_script(), pmid], env) as term:
        term.wait_painted(["References"])
        term.wait_quiet(term.start, 1.0, timeout=15)
        sent = term.press(KEY)
        needle = f"Full text · {heading}"
        deadline = sent + 30
        painted = sent
        while time.monotonic() < deadline:
            painted = _burst_end(term, painted)
            if needle in plain_text(term.output()[-200_000:]):
                break
        shown = _shown_at(term, sent, needle)
        result: dict[str, Any] = {
            "pane_ms": round(((shown or painted) - sent) * 1000, 1),
            "shown": shown is not None,
            "settled_ms": round((painted - sent) * 1000, 1),
        }
        for key, count in (scroll or SCROLL_KEYS).items():
            times, first = [], []
            for _ in range(count):
                time.sleep(0.05)
                at = term.press(key)
                end = _burst_end(term, at)
                if end > at:
                    times.append(round((end - at) * 1000, 1))
                    byte = _first_byte(term, at)
                    if byte is not None:
                        first.append(byte)
            result[key] = times
            result[f"{key}_first_byte"] = first
        result["switch_ms"] = _switch_back(term)
    return result


def run_fulltext(rounds: int, scroll: dict[str, int] | None = None) -> dict[str, Any]:
    """Every figure of the Full text pane: its own server, cache and rounds."""
    with (
        tempfile.TemporaryDirectory(prefix="pubterm-fulltext-") as tmp,
        FixtureServer() as server,
    ):
        scratch = Path(tmp)
        pmid, heading = serve(server, scratch)
        env = base_env(
            {
                "PUBTERM_EUTILS_URL": server.eutils_url,
                "PUBTERM_EUROPEPMC_URL": server.europepmc_url,
                "PUBTERM_CROSSREF_URL": server.crossref_url,
                "PUBTERM_CACHE_DIR": str(scratch / "cache"),
                "PUBTERM_CONFIG": str(scratch / "no-config.toml"),
            }
        )
        printed = piped([*pubterm_script(), "--format", "markdown", pmid], env)
        runs = [one_round(env, pmid, heading, scroll) for _ in range(max(1, rounds))]
    return {"rounds": runs, "printed_chars": len(printed.output)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fulltext", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    data = run_fulltext(args.rounds)
    rounds = data["rounds"]
    pane = [r["pane_ms"] for r in rounds]
    switch = [r["switch_ms"] for r in rounds]
    print(
        f"full text pane painted after its key, cached 600-reference review: p50 "
        f"{percentile(pane, 50):.0f} ms, worst {max(pane):.0f} ms ({len(pane)} rounds); "
        f"the pane's key again with its text shown: p50 {percentile(switch, 50):.0f} ms"
    )
    for key in SCROLL_KEYS:
        samples = [t for r in rounds for t in r[key]]
        if samples:
            print(
                f"scrolling the full text, {key}: p50 {percentile(samples, 50):.1f} ms, "
                f"p95 {percentile(samples, 95):.1f} ms ({len(samples)} keys)"
            )
    if args.json:
        args.json.write_text(json.dumps(data, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
