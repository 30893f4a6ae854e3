"""The parser's refusals and its field rules, on hostile and hand-built documents."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tui.data.parse_articles as parse_module
from tui.data.errors import BadResponseError, ParseError
from tui.data.model import Record
from tui.data.parse import parse_esearch, parse_pubmed, split_pubmed

FIXTURES = Path(__file__).parent / "fixtures"
PUBMED = FIXTURES / "pubmed"


def article(
    *,
    pmid: str = "123",
    title: str = "A title.",
    inner: str = "",
    journal: str = "",
    citation: str = "",
    data: str = "",
) -> bytes:
    """A minimal PubmedArticleSet holding one article with the given pieces."""
    journal = journal or "<Journal><Title>J</Title></Journal>"
    text = (
        "<?xml version='1.0' encoding='UTF-8'?>\n<PubmedArticleSet><PubmedArticle>"
        f"<MedlineCitation><PMID Version='1'>{pmid}</PMID><Article>{journal}"
        f"<ArticleTitle>{title}</ArticleTitle>{inner}</Article>{citation}</MedlineCitation>"
        f"<PubmedData>{data}</PubmedData></PubmedArticle></PubmedArticleSet>"
    )
    return text.encode()


def one(xml: bytes) -> Record:
    (record,) = parse_pubmed(xml)
    return record


# --- refusals --------------------------------------------------------------------------


RATE_LIMIT = b'{"error":"API rate limit exceeded","api-key":"1.2.3.4","count":"4","limit":"3"}'
HTML = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1></body></html>"
)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"   \n", id="whitespace"),
        pytest.param(HTML, id="html"),
        pytest.param(b"<html><body><p>Service unavailable</p></body></html>", id="xhtml"),
        pytest.param(RATE_LIMIT, id="json-rate-limit"),
        pytest.param((FIXTURES / "eutils" / "esearch.xml").read_bytes(), id="esearch"),
        pytest.param((FIXTURES / "eutils" / "esummary.xml").read_bytes(), id="esummary"),
        pytest.param(
            b"<eFetchResult><ERROR>Cannot retrieve history data.</ERROR></eFetchResult>",
            id="efetch-error",
        ),
        pytest.param(b"<PubmedArticleSet><PubmedArticle>", id="unclosed"),
        pytest.param(b"\xef\xbb\xbf", id="bom-only"),
    ],
)
def test_not_a_pubmed_answer_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError) as err:
        parse_pubmed(body)
    assert 0 < len(str(err.value)) < 200
    with pytest.raises(ParseError):
        split_pubmed(body)


@pytest.mark.parametrize(
    "name", ["32051057.xml", "38534005.xml", "20301577.xml", "set-two-articles.xml", "29963580.xml"]
)
def test_truncated_fixture_is_a_parse_error(name: str) -> None:
    xml = (PUBMED / name).read_bytes()
    for cut in (len(xml) // 2, len(xml) - 30, 200):
        with pytest.raises(ParseError):
            parse_pubmed(xml[:cut])


def test_random_bytes_are_a_parse_error() -> None:
    rng = random.Random(20240527)
    for _ in range(50):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        with pytest.raises(ParseError):
            parse_pubmed(body)


def test_efetch_error_answer_carries_ncbi_words() -> None:
    body = b"<eFetchResult><ERROR>Cannot retrieve history data.</ERROR></eFetchResult>"
    with pytest.raises(ParseError, match="Cannot retrieve history data"):
        parse_pubmed(body)


@pytest.mark.parametrize("error", [ValueError("x"), KeyError("y"), AttributeError("z")])
def test_unexpected_failures_inside_become_parse_errors(
    monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    def broken(*_args: object) -> object:
        raise error

    monkeypatch.setattr(parse_module, "_record", broken)
    monkeypatch.setattr(parse_module, "_pmid", broken)
    xml = (PUBMED / "38534005.xml").read_bytes()
    for reader in (parse_pubmed, split_pubmed):
        with pytest.raises(ParseError, match=type(error).__name__):
            reader(xml)


def test_text_instead_of_bytes_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_pubmed("<PubmedArticleSet/>")  # type: ignore[arg-type]


def test_missing_pmid_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_pubmed(article(pmid=""))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    positions=st.lists(st.integers(min_value=0, max_value=8000), min_size=1, max_size=6),
    values=st.lists(st.integers(min_value=0, max_value=255), min_size=6, max_size=6),
)
def test_damaged_answers_never_leak_other_exceptions(
    positions: list[int], values: list[int]
) -> None:
    damaged = bytearray((PUBMED / "38534005.xml").read_bytes())
    for pos, value in zip(positions, values, strict=False):
        damaged[pos % len(damaged)] = value
    try:
        records = parse_pubmed(bytes(damaged))
    except ParseError:
        return
    assert all(r.pmid.isdigit() for r in records)


# --- entities and DTDs -----------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>"""


def _entity_doc(declaration: str, use: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [{declaration}]>\n'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        f"<ArticleTitle>t{use}t</ArticleTitle></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>"
    ).encode()


PASSWD_MARKERS = ("root:", "/bin/", "nologin")


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(BILLION_LAUGHS, id="billion-laughs"),
        pytest.param(
            _entity_doc('<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;"), id="external-entity"
        ),
        pytest.param(
            _entity_doc('<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;', ""), id="parameter-entity"
        ),
        pytest.param(
            _entity_doc('<!ENTITY x SYSTEM "http://127.0.0.1:9/x">', "&x;"), id="network-entity"
        ),
        pytest.param(_entity_doc('<!ENTITY x "inner">', "&x;"), id="internal-entity"),
    ],
)
def test_entity_documents_are_refused_without_expansion(doc: bytes) -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError) as err:
        parse_pubmed(doc)
    assert time.perf_counter() - start < 1.0
    shown = str(err.value)
    assert not any(marker in shown for marker in (*PASSWD_MARKERS, "lollol", "inner"))
    with pytest.raises(ParseError):
        split_pubmed(doc)


def test_real_doctype_with_public_dtd_is_not_fetched_and_is_accepted() -> None:
    # Every real answer names the NCBI DTD by URL; reading must not need the network.
    xml = (PUBMED / "38048813.xml").read_bytes()
    assert b"https://dtd.nlm.nih.gov" in xml
    assert [r.pmid for r in parse_pubmed(xml)] == ["38048813"]


# --- field rules on hand-built articles -----------------------------------------------


def test_markup_looking_title_stays_literal_and_loses_escapes() -> None:
    # Raw ESC bytes are not legal XML; the parser drops them with their sequences.
    record = one(article(title="[@click=app.quit]x [bold]y[/bold] \x1b[31mred\x1b[0m"))
    assert record.title == "[@click=app.quit]x [bold]y[/bold] red"


def test_control_bytes_and_every_kind_of_escape_are_dropped_before_parsing() -> None:
    title = (
        "a\x1b]0;window title\x07b\x1b]8;;http://x.example\x1b\\c\x1bPq\x1b\\d"
        "\x1b7e\x0bf\x00g\x1b[?25l<i>h</i>&amp;\x1b(Bi"
    )
    assert one(article(title=title)).title == "abcdefgh&i"


def test_escape_as_character_reference_is_refused() -> None:
    with pytest.raises(ParseError):
        parse_pubmed(article(title="x&#x1b;[31my"))


def test_escape_sequences_reaching_the_parser_are_removed() -> None:
    # XML 1.0 forbids ESC, but U+009B (8-bit CSI) and bidi overrides are legal characters.
    record = one(
        article(
            title="[@click=app.quit]x [bold]y[/bold] \u009b31mred\u202e gnp.exe",
            inner="<Abstract><AbstractText>a&#x9b;2Jb &#x9d;0;owned&#x9c;c</AbstractText>"
            "</Abstract>",
        )
    )
    assert record.title == "[@click=app.quit]x [bold]y[/bold] red gnp.exe"
    assert record.abstract[0].text == "ab c"


def test_inline_markup_and_whitespace_in_title() -> None:
    record = one(
        article(
            title="\n  The <i>E. coli</i> H<sub>2</sub>O\n  <b>10<sup>5</sup></b> <u>cells</u>\t. "
        )
    )
    assert record.title == "The E. coli H2O 105 cells ."


def test_vernacular_title_when_the_english_one_is_empty() -> None:
    xml = article(title="", inner="<VernacularTitle>Titre français</VernacularTitle>")
    assert one(xml).title == "Titre français"


@pytest.mark.parametrize(
    ("pubdate", "expected"),
    [
        ("<Year>2021</Year><Month>Feb</Month><Day>3</Day>", "2021-02-03"),
        ("<Year>2021</Year><Month>02</Month>", "2021-02"),
        ("<Year>2021</Year><Month>9</Month><Day>31</Day>", "2021-09-31"),
        ("<Year>2021</Year><Month>December</Month><Day>40</Day>", "2021-12"),
        ("<Year>2021</Year><Month>Sept</Month>", "2021-09"),
        ("<Year>1990</Year><Season>Spring</Season>", "1990"),
        ("<Year>1990</Year><Month>Winter</Month>", "1990"),
        ("<MedlineDate>1998 Dec-1999 Jan</MedlineDate>", "1998"),
        ("<MedlineDate>Summer 2003</MedlineDate>", "2003"),
        ("<Year>2020</Year>", "2020"),
    ],
)
def test_publication_dates(pubdate: str, expected: str) -> None:
    journal = f"<Journal><JournalIssue><PubDate>{pubdate}</PubDate></JournalIssue></Journal>"
    assert one(article(journal=journal)).published == expected


def test_article_date_when_the_issue_has_no_date() -> None:
    inner = (
        "<ArticleDate DateType='Other'><Year>2019</Year></ArticleDate>"
        "<ArticleDate DateType='Electronic'><Year>2020</Year><Month>05</Month>"
        "<Day>06</Day></ArticleDate>"
    )
    assert one(article(inner=inner)).published == "2020-05-06"
    assert one(article()).published is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1000/abc", "10.1000/abc"),
        (" doi:10.1000/abc ", "10.1000/abc"),
        ("https://doi.org/10.1000/ABC", "10.1000/ABC"),
        ("http://dx.doi.org/10.1000/x y", "10.1000/xy"),
        ("DOI: 10.1000/abc", "10.1000/abc"),
        ("not a doi", None),
    ],
)
def test_doi_normalisation(raw: str, expected: str | None) -> None:
    data = f"<ArticleIdList><ArticleId IdType='doi'>{raw}</ArticleId></ArticleIdList>"
    assert one(article(data=data)).doi == expected


def test_doi_falls_back_to_elocation() -> None:
    inner = (
        "<ELocationID EIdType='pii'>S1</ELocationID>"
        "<ELocationID EIdType='doi'>doi:10.5555/loc</ELocationID>"
    )
    assert one(article(inner=inner)).doi == "10.5555/loc"
    data = "<ArticleIdList><ArticleId IdType='doi'>10.5555/id</ArticleId></ArticleIdList>"
    assert one(article(inner=inner, data=data)).doi == "10.5555/id"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://orcid.org/0000-0001-5109-351x", "0000-0001-5109-351X"),
        ("0000000218250097", "0000-0002-1825-0097"),
        ("nonsense", None),
    ],
)
def test_orcid_normalisation(raw: str, expected: str | None) -> None:
    inner = (
        "<AuthorList><Author><LastName>Carberry</LastName><ForeName>Josiah</ForeName>"
        f"<Identifier Source='ORCID'>{raw}</Identifier></Author></AuthorList>"
    )
    assert one(article(inner=inner)).authors[0].orcid == expected


def test_authors_invalid_names_skipped_and_collective_kept() -> None:
    inner = (
        "<AuthorList>"
        "<Author ValidYN='Y'><LastName>Smith</LastName><ForeName>Ann</ForeName>"
        "<Initials>A</Initials><AffiliationInfo><Affiliation> Dept A,\n Town"
        "</Affiliation></AffiliationInfo><AffiliationInfo><Affiliation>Dept B"
        "</Affiliation></AffiliationInfo></Author>"
        "<Author ValidYN='N'><LastName>Smyth</LastName></Author>"
        "<Author><CollectiveName>The <i>Group</i></CollectiveName></Author>"
        "</AuthorList>"
    )
    authors = one(article(inner=inner)).authors
    assert [a.display for a in authors] == ["Smith A", "The Group"]
    assert authors[0].affiliations == ("Dept A, Town", "Dept B")


def test_pages_from_start_and_end_when_no_medline_pages() -> None:
    inner = "<Pagination><StartPage>e101</StartPage><EndPage>e109</EndPage></Pagination>"
    assert one(article(inner=inner)).journal.pages == "e101-e109"


def test_mesh_major_from_a_qualifier_and_keywords_deduplicated() -> None:
    citation = (
        "<MeshHeadingList><MeshHeading><DescriptorName MajorTopicYN='N'>Heart"
        "</DescriptorName><QualifierName MajorTopicYN='Y'>physiology</QualifierName>"
        "</MeshHeading><MeshHeading><DescriptorName MajorTopicYN='N'>Humans"
        "</DescriptorName></MeshHeading></MeshHeadingList>"
        "<KeywordList><Keyword>heart</Keyword><Keyword> </Keyword><Keyword>Lung</Keyword>"
        "</KeywordList><KeywordList><Keyword>Heart</Keyword><Keyword>β-cell</Keyword>"
        "</KeywordList><CoiStatement>  None\n declared. </CoiStatement>"
    )
    record = one(article(citation=citation))
    assert [(m.descriptor, m.major, m.qualifiers) for m in record.mesh] == [
        ("Heart", True, ("physiology",)),
        ("Humans", False, ()),
    ]
    assert record.keywords == ("heart", "Lung", "β-cell")
    assert record.coi == "None declared."


def test_nested_and_repeated_reference_lists_in_document_order() -> None:
    data = (
        "<ArticleIdList><ArticleId IdType='pmc'>PMC77</ArticleId></ArticleIdList>"
        "<ReferenceList><Title>Main</Title>"
        "<Reference><Citation>One <i>et al</i>.</Citation><ArticleIdList>"
        "<ArticleId IdType='pmc'>pmc123</ArticleId><ArticleId IdType='pubmed'>11</ArticleId>"
        "<ArticleId IdType='doi'>doi:10.1/one</ArticleId></ArticleIdList></Reference>"
        "<ReferenceList><Reference><Citation>Two</Citation></Reference></ReferenceList>"
        "<Reference><Citation>Three</Citation><ArticleIdList>"
        "<ArticleId IdType='pmc'>456</ArticleId></ArticleIdList></Reference>"
        "</ReferenceList>"
        "<ReferenceList><Reference><Citation>Four</Citation></Reference></ReferenceList>"
    )
    record = one(article(data=data))
    assert record.pmcid == "PMC77"
    assert [r.citation for r in record.references] == ["One et al.", "Two", "Three", "Four"]
    first = record.references[0]
    assert (first.doi, first.pmid, first.pmcid) == ("10.1/one", "11", "PMC123")
    assert record.references[2].pmcid == "PMC456"


def test_abstract_labels_and_unlabelled_sections() -> None:
    inner = (
        "<Abstract><AbstractText Label='AIMS'>Find <b>x</b>.</AbstractText>"
        "<AbstractText>Plain.</AbstractText><AbstractText Label=' '>  </AbstractText>"
        "<CopyrightInformation>(c) Someone</CopyrightInformation></Abstract>"
    )
    sections = one(article(inner=inner)).abstract
    assert [(s.label, s.text) for s in sections] == [("AIMS", "Find x."), (None, "Plain.")]


def test_comments_and_processing_instructions_do_not_reach_text() -> None:
    record = one(article(title="Vis<!-- hidden -->ible<?pi data?> text"))
    assert record.title == "Visible text"


# --- split_pubmed ----------------------------------------------------------------------


def test_split_gives_standalone_documents() -> None:
    xml = (PUBMED / "set-two-articles.xml").read_bytes()
    pieces = split_pubmed(xml)
    assert list(pieces) == ["12091962", "9997"]
    for pmid, piece in pieces.items():
        assert piece.startswith(b'<?xml version="1.0"')
        assert b"<PubmedArticleSet>" in piece
        assert piece.count(b"<PubmedArticle>") == 1
        assert [r.pmid for r in parse_pubmed(piece)] == [pmid]


def test_split_keeps_non_ascii_and_mathml() -> None:
    xml = (PUBMED / "29963580.xml").read_bytes()
    piece = split_pubmed(xml)["29963580"]
    assert b"Math/MathML" in piece
    assert parse_pubmed(piece)[0].abstract == parse_pubmed(xml)[0].abstract
    book = split_pubmed((PUBMED / "20301577.xml").read_bytes())["20301577"]
    assert "®".encode() in book  # written as UTF-8, not as character references
    assert parse_pubmed(book)[0].journal.title == "GeneReviews®"
    assert parse_pubmed(book)[0].book is not None


# --- parse_esearch ---------------------------------------------------------------------


def test_esearch_ids_in_order() -> None:
    ids = parse_esearch((FIXTURES / "eutils" / "esearch.xml").read_bytes())
    assert len(ids) == 20
    assert ids[0] == "41282813"
    assert ids[-1] == "37810457"


def test_esearch_error_element_is_a_bad_response_with_ncbi_words() -> None:
    body = b"<eSearchResult><ERROR>Invalid query syntax</ERROR></eSearchResult>"
    with pytest.raises(BadResponseError) as err:
        parse_esearch(body)
    assert type(err.value) is BadResponseError
    assert str(err.value) == "Invalid query syntax"


def test_esearch_with_no_hits() -> None:
    body = (
        b"<eSearchResult><Count>0</Count><IdList/><ErrorList><PhraseNotFound>zzzq"
        b"</PhraseNotFound></ErrorList></eSearchResult>"
    )
    assert parse_esearch(body) == []


@pytest.mark.parametrize(
    "body",
    [b"", RATE_LIMIT, HTML, (PUBMED / "38534005.xml").read_bytes(), b"<eSearchResult>"],
)
def test_esearch_refuses_other_answers(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_esearch(body)
