"""``--format markdown`` and ``--full-text`` end to end, read back with a Markdown parser.

For every JATS fixture the section titles, the first words of the first paragraph and
the figure and table labels are taken from the XML with plain lxml and must survive
into what a CommonMark parser (markdown-it-py) makes of pubterm's output.
"""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import pytest
from lxml import etree
from markdown_it import MarkdownIt

from tests.server import FixtureServer
from tui.cli import main
from tui.data.citations import link_citations
from tui.data.formats.markdown import document
from tui.data.fulltext_model import FullText
from tui.data.jats import parse_jats
from tui.data.model import Record

FULLTEXT = Path(__file__).parent / "fixtures" / "fulltext"
FILES = sorted(p.name for p in FULLTEXT.iterdir())
PLAIN = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
REVIEW = "PMC12599256-portland-bst-review.xml"


def run(server: FixtureServer, cache: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(
        [
            "--eutils-url",
            server.eutils_url,
            "--europepmc-url",
            server.europepmc_url,
            "--cache-dir",
            str(cache),
            "--email",
            "test@example.org",
            *args,
        ],
        out=out,
    )
    return code, out.getvalue()


def words(text: str) -> str:
    return " ".join(text.split())


def rendered(markdown: str) -> tuple[list[str], str, list[str]]:
    """(heading texts, all text, raw HTML pieces) as a CommonMark parser reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    headings: list[str] = []
    texts: list[str] = []
    html = [t.content for t in tokens if t.type == "html_block"]
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline":
            html += [c.content for c in token.children or [] if c.type == "html_inline"]
            text = "".join(
                c.content for c in token.children or [] if c.type in ("text", "code_inline")
            )
            texts.append(text)
            if in_heading:
                headings.append(words(text))
    return headings, words(" ".join(texts)), html


def in_text(el: etree._Element) -> bool:
    names = {etree.QName(a).localname for a in el.iterancestors()}
    return not names & {"front", "sub-article", "ref-list", "fn-group", "table-wrap-foot"}


def expected(name: str) -> tuple[list[str], str, list[str]]:
    """(section titles, first words of the first paragraph, figure and table labels)."""
    root = etree.fromstring((FULLTEXT / name).read_bytes(), PLAIN)
    body = next(root.iter("{*}body"))
    titles = [
        words("".join(s.find("{*}title").itertext()))
        for s in body.iter("{*}sec")
        if s.find("{*}title") is not None and "".join(s.find("{*}title").itertext()).strip()
    ]
    first = copy.deepcopy(next(p for p in body.iter("{*}p") if "".join(p.itertext()).strip()))
    stop = next((x for x in first.iter("{*}xref", "{*}inline-formula", "{*}fn")), None)
    if stop is not None:
        for child in list(stop):
            stop.remove(child)
        stop.text = "@@STOP@@"
    lead = words("".join(first.itertext()).split("@@STOP@@")[0]).split(" ")[:6]
    labels = [
        words("".join(el.find("{*}label").itertext()))
        for el in root.iter("{*}fig", "{*}table-wrap")
        if el.find("{*}label") is not None and in_text(el)
    ]
    return titles, " ".join(lead), labels


def check(markdown: str, name: str) -> None:
    headings, text, html = rendered(markdown)
    titles, lead, labels = expected(name)
    assert html == [], "record text became HTML"
    for title in titles:
        assert any(title in h for h in headings), title
    assert lead and lead in text, lead
    for label in labels:
        assert label in text, label
    assert "References" in headings or "[" not in text


@pytest.fixture
def served(fixture_server: FixtureServer) -> dict[str, str]:
    return {name: a.pmid for name, a in fixture_server.fulltext.enable().items()}


@pytest.mark.parametrize("name", [f for f in FILES if not f.startswith("elife")])
def test_markdown_keeps_titles_first_words_and_labels(
    name: str, fixture_server: FixtureServer, served: dict[str, str], tmp_path: Path
) -> None:
    code, out = run(fixture_server, tmp_path, "--format", "markdown", served[name])
    assert code == 0
    check(out, name)


def test_a_publishers_own_jats_renders_too() -> None:
    """eLife's JATS has no PMC ID, so nothing serves it; it is rendered directly."""
    name = "elife-03032-publisher-jats.xml"
    full = parse_jats((FULLTEXT / name).read_bytes(), "europepmc")
    assert isinstance(full, FullText)
    check(document(Record(pmid="", title=full.title), link_citations(full, ())), name)


def test_citations_carry_the_printed_lists_numbers(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    """PubMed's list reversed: "[1]" in the text becomes the number of that work below."""
    served = fixture_server.fulltext.enable(references="reversed")
    _, out = run(fixture_server, tmp_path, "--format", "markdown", served[REVIEW].pmid)
    _, text, _ = rendered(out)
    # The article's first citation is its reference 1 (Ribas), entry 60 of the reversed list.
    assert "tumor cell killing [60,59]" in text
    assert re.search(r"60\. Ribas A", out)


def test_without_full_text_the_abstract_prints_and_stderr_says_why(
    fixture_server: FixtureServer,
    served: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fixture_server.fulltext.metadata_only.add("PMC12599256")
    code, out = run(fixture_server, tmp_path, "--format", "markdown", served[REVIEW])
    assert code == 0
    headings, _, _ = rendered(out)
    assert headings[:2] == ["PROTACs in cancer immunotherapy: a minireview", "Abstract"]
    assert "Introduction" not in headings
    assert "PMC has this article's metadata only" in capsys.readouterr().err


def test_text_full_text(
    fixture_server: FixtureServer, served: dict[str, str], tmp_path: Path
) -> None:
    code, out = run(fixture_server, tmp_path, "--format", "text", "--full-text", served[REVIEW])
    assert code == 0
    assert "\nFULL TEXT\n" in out and "\nIntroduction\n============\n" in out
    assert "\nREFERENCES (60)\n" in out and "Licence: CC BY 4.0" in out
    assert "\x1b" not in out


def test_json_full_text(
    fixture_server: FixtureServer,
    served: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fixture_server.fulltext.metadata_only.add("PMC2994229")
    ids = [served[REVIEW], served["PMC2994229-bjc-npg.nxml"], "38048813"]
    code, out = run(fixture_server, tmp_path, "--format", "json", "--full-text", *ids)
    assert code == 0
    first, metadata_only, no_pmcid = (json.loads(line) for line in out.splitlines())
    full = first["full_text"]
    assert set(full) == {"source", "license", "sections", "figures", "tables", "contexts"}
    assert full["source"] == "europepmc" and full["license"] == "CC BY 4.0"
    assert full["sections"][0]["title"] == "Introduction" and full["sections"][0]["level"] == 1
    assert [f["label"] for f in full["figures"]] == ["Figure 1", "Figure 2", "Figure 3"]
    assert all(
        f["url"].startswith("https://pmc.ncbi.nlm.nih.gov/articles/PMC12599256/")
        for f in full["figures"]
    )
    assert {"reference", "section", "sentence"} == set(full["contexts"][0])
    assert len(full["contexts"]) >= 69
    assert metadata_only["full_text"] is None and no_pmcid["full_text"] is None
    err = capsys.readouterr().err
    assert "metadata only" in err and "no PMC ID" in err


def test_full_text_takes_only_text_json_or_markdown(
    fixture_server: FixtureServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(fixture_server, tmp_path, "--format", "bibtex", "--full-text", "38048813")
    assert code == 2 and out == "" and "--full-text" in capsys.readouterr().err


def test_offline_prints_the_cached_full_text(
    fixture_server: FixtureServer, served: dict[str, str], tmp_path: Path
) -> None:
    _, first = run(fixture_server, tmp_path, "--format", "markdown", served[REVIEW])
    fixture_server.clear_log()
    code, again = run(fixture_server, tmp_path, "--offline", "--format", "markdown", served[REVIEW])
    assert code == 0 and again == first and "## Introduction" in again
    assert fixture_server.logged() == []


def test_year_only_citations_keep_their_year() -> None:
    """Wiley's "(Conti and Weinberg <xref>1999</xref>)": the year stays, the number follows."""
    name = "PMC13243723-wiley-glia-boxed.xml"
    full = parse_jats((FULLTEXT / name).read_bytes(), "europepmc")
    assert isinstance(full, FullText)
    linked = link_citations(full, ())
    _, text, _ = rendered(document(Record(pmid="1", title=full.title), linked))
    position = [r.rid for r in full.jats_references].index("glia70180-bib-0019") + 1
    assert f"(Conti and Weinberg 1999 [{position}])" in text
