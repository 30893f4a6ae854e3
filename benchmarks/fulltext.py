"""The Full text pane on the terminal: painted after its key, and scrolling in it.

No recorded article cites 600 works, so the 337-reference review (PMC12491691) is served
twice over as one article: its sections and its reference list repeated with every id
renamed, so the copy's 868 citations point at 674 references.  The cache is warmed by
printing it once (``--format markdown`` caches the record and the full text), then each
round opens the reader on a fresh pty, presses the pane's key and times the bytes until
the text's first section is on screen; then ``j`` and ``pgdn``, each timed from its byte
to the end of the output burst it caused.  ``python -m benchmarks.fulltext --rounds 3``.
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
from tests.server_fulltext import FULLTEXT, load, pubmed_record
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
    """Serve the doubled review; its PMID and the first section's title."""
    server.fulltext.enable()
    article = load(doubled_article(scratch))
    assert article is not None
    server.fulltext.articles[DIGITS] = article
    with server._lock:
        server._index(pubmed_record(article))
    first = next(article.element.iter("{*}sec")).find("{*}title")
    title = " ".join("".join(first.itertext()).split()) if first is not None else ""
    return article.pmid, title


def _burst_end(term: Terminal, sent: float) -> float:
    return term.wait_quiet(sent, timeout=10, idle=1.0)


def one_round(env: dict[str, str], pmid: str, heading: str) -> dict[str, Any]:
    """Open the reader, press the pane's key, then scroll; milliseconds per key."""
    with Terminal([*pubterm_script(), pmid], env) as term:
        term.wait_painted(["References"])
        term.wait_quiet(term.start, 1.0, timeout=15)
        sent = term.press(KEY)
        deadline = sent + 30
        painted = sent
        while time.monotonic() < deadline:
            painted = _burst_end(term, painted)
            if f"Full text · {heading}" in plain_text(term.output()[-200_000:]):
                break
        result: dict[str, Any] = {"pane_ms": round((painted - sent) * 1000, 1)}
        for key, count in SCROLL_KEYS.items():
            times = []
            for _ in range(count):
                time.sleep(0.05)
                at = term.press(key)
                end = _burst_end(term, at)
                if end > at:
                    times.append(round((end - at) * 1000, 1))
            result[key] = times
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fulltext", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
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
        rounds = [one_round(env, pmid, heading) for _ in range(max(1, args.rounds))]
    pane = [r["pane_ms"] for r in rounds]
    data: dict[str, Any] = {"rounds": rounds, "printed_chars": len(printed.output)}
    print(
        f"full text pane painted after its key, cached 600-reference review: p50 "
        f"{percentile(pane, 50):.0f} ms, worst {max(pane):.0f} ms ({len(pane)} rounds)"
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
