"""Hostile JATS: XML attacks are refused or reach nothing; markup, escapes, bidi stay text.

The attacks mirror tests/test_xml_attacks.py (which covers PubMed answers) on JATS
documents; network-reaching ones aim at the local fixture server, whose log must stay
empty, and file-reading ones at a file holding a marker no output may contain.  The
text attacks are planted in a real recorded article, in every place its text reaches
the output: a section title, a paragraph, a citation, a figure caption and link, a
table cell and a reference.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.server import FixtureServer
from tui.cli import main
from tui.data.citations import link_citations
from tui.data.errors import ParseError
from tui.data.formats.fulltext_text import document as text_document
from tui.data.formats.markdown import document
from tui.data.fulltext_model import FullText
from tui.data.jats import parse_jats
from tui.data.model import Record

FULLTEXT = Path(__file__).parent / "fixtures" / "fulltext"
REVIEW = FULLTEXT / "PMC12599256-portland-bst-review.xml"
MARKER = "PUBTERM-SECRET-MARKER-5c1d"
ARTICLE = '<article><front><article-meta><article-id pub-id-type="pmc">1</article-id></article-meta></front><body><p>{}</p></body></article>'


def attacks(server_url: str, secret: Path) -> dict[str, bytes]:
    lol = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    docs = {
        "billion-laughs": f'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY lol0 "lol">{lol}]>'
        + ARTICLE.format("&lol9;"),
        "external-entity-file": f'<!DOCTYPE article [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        + ARTICLE.format("&x;"),
        "external-entity-http": f'<!DOCTYPE article [<!ENTITY x SYSTEM "{server_url}e.txt">]>'
        + ARTICLE.format("&x;"),
        "parameter-entity": f'<!DOCTYPE article [<!ENTITY % r SYSTEM "{server_url}p.dtd"> %r;]>'
        + ARTICLE.format("text"),
        "external-dtd": f'<!DOCTYPE article SYSTEM "{server_url}jats.dtd">'
        + ARTICLE.format("text"),
        "xinclude": ARTICLE.replace(
            "<article>", '<article xmlns:xi="http://www.w3.org/2001/XInclude">'
        ).format(
            f'T <xi:include href="{secret.as_uri()}" parse="text"/>'
            f'<xi:include href="{server_url}xi.txt" parse="text"/>'
        ),
        "pmc-articleset-entities": '<!DOCTYPE pmc-articleset [<!ENTITY a "AAAA">]><pmc-articleset>'
        + ARTICLE.format("&a;")
        + "</pmc-articleset>",
    }
    return {name: doc.encode("utf-8") for name, doc in docs.items()}


REFUSED = {
    "billion-laughs",
    "external-entity-file",
    "external-entity-http",
    "parameter-entity",
    "pmc-articleset-entities",
}


@pytest.mark.parametrize(
    "name",
    [
        "billion-laughs",
        "external-entity-file",
        "external-entity-http",
        "parameter-entity",
        "external-dtd",
        "xinclude",
        "pmc-articleset-entities",
    ],
)
def test_xml_attacks_reach_nothing(
    name: str, fixture_server: FixtureServer, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    doc = attacks(fixture_server.url, secret)[name]
    if name in REFUSED:
        with pytest.raises(ParseError, match="entit"):
            parse_jats(doc, "europepmc")
    else:
        full = parse_jats(doc, "europepmc")
        assert isinstance(full, FullText)
        assert MARKER not in repr(full) and "lol" not in repr(full)
    assert fixture_server.logged() == []


def hostile_review() -> bytes:
    """The recorded review with hostile text planted where its text reaches the output."""
    raw = REVIEW.read_bytes()
    evil = (
        b"\x1b[31mRED\x1b[0m \xe2\x80\xae reversed \xe2\x80\xac &lt;script&gt;alert(1)&lt;/script&gt;"
        b" [click](javascript:alert(1)) <![CDATA[<b>cdata</b>]]> *em* `code` | pipe |"
    )
    plant = [
        (b"<title>Introduction</title>", b"<title># Intro " + evil + b"</title>"),
        (b"<p>The development of immune", b"<p>" + evil + b" The development of immune"),
        (
            b'<xref rid="BST-2025-3065C1" ref-type="bibr">1</xref>',
            b'<xref rid="BST-2025-3065C1" ref-type="bibr">1](javascript:x)</xref>',
        ),
        (b"<caption><title>", b"<caption><title>" + evil),
        (b"<surname>Ribas</surname>", b"<surname>Ribas " + evil + b"</surname>"),
    ]
    for old, new in plant:
        assert old in raw, old
        raw = raw.replace(old, new, 1)
    href = b'xlink:href="'
    at = raw.index(href, raw.index(b"<graphic"))
    return (
        raw[: at + len(href)]
        + b"javascript:alert(1)&quot; onload=&quot;x"
        + raw[raw.index(b'"', at + len(href)) :]
    )


def assert_inert_markdown(markdown: str) -> None:
    tokens = MarkdownIt("commonmark").parse(markdown)
    kinds = {t.type for t in tokens}
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert "html_block" not in kinds and not any(c.type == "html_inline" for c in inline)
    hrefs = [str(c.attrs.get("href", "")) for c in inline if c.type == "link_open"]
    assert hrefs and all(h.startswith("https://") for h in hrefs), hrefs
    text = " ".join(c.content for c in inline if c.type == "text")
    assert "<script>alert(1)</script>" in text and "[click](javascript:alert(1))" in text
    assert "*em*" in text and "| pipe |" in text
    headings = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "heading_open"]
    titles = ["".join(c.content for c in h.children or []) for h in headings]
    assert any(t.startswith("# Intro RED") for t in titles), titles


def test_hostile_text_stays_text() -> None:
    full = parse_jats(hostile_review(), "europepmc")
    assert isinstance(full, FullText)
    everything = repr(full)
    assert "\x1b" not in everything and "[31m" not in everything and "\u202e" not in everything
    assert "<b>cdata</b>" in everything  # CDATA is text, kept as text
    linked = link_citations(full, ())
    markdown = document(Record(pmid="1", title=full.title), linked)
    assert_inert_markdown(markdown)
    assert "javascript" not in "".join(b.url or "" for b in full.blocks)
    plain = text_document(Record(pmid="1", title=full.title), linked)
    assert "\x1b" not in plain and "\u202e" not in plain


def test_hostile_text_through_the_command_line(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    served = fixture_server.fulltext.enable()
    fixture_server.fulltext.articles["12599256"].document = hostile_review()
    out = io.StringIO()
    code = main(
        [
            "--eutils-url",
            fixture_server.eutils_url,
            "--europepmc-url",
            fixture_server.europepmc_url,
            "--cache-dir",
            str(tmp_path),
            "--format",
            "markdown",
            served[REVIEW.name].pmid,
        ],
        out=out,
    )
    assert code == 0
    assert "\x1b" not in out.getvalue() and "\u202e" not in out.getvalue()
    assert_inert_markdown(out.getvalue())


def test_deep_nesting_and_huge_spans_stay_bounded() -> None:
    deep = "<sec><title>x</title>" * 240 + "<p>deep</p>" + "</sec>" * 240
    table = '<table-wrap><table><tr><td colspan="99999" rowspan="99999">a</td></tr></table></table-wrap>'
    doc = ARTICLE.format("p").replace("<p>p</p>", deep + table).encode()
    try:
        full = parse_jats(doc, "europepmc")
    except ParseError:
        return  # refusing is fine; crashing or hanging is not
    assert isinstance(full, FullText)
    (grid,) = [b.rows for b in full.blocks if b.kind == "table"]
    assert len(grid[0]) <= 100
