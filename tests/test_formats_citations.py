"""Citation formats read back by the tools people import them with.

Each format is written from real PubMed records and parsed again with an independent
reader (bibtexparser, rispy, nbib, citeproc-py); what comes back must be what the record
says.  Awkward cases come from the fixtures (group authors, non-ASCII names, a book
chapter, no pages) or are made from a real record with ``dataclasses.replace``.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import nbib
import pytest
import rispy
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import SeparateCoAuthors
from pylatexenc.latex2text import LatexNodes2Text

from tui.data.errors import PubtermError
from tui.data.formats import bibtex, cite, csl_json, get_renderer, medline, ris
from tui.data.formats.styles import (
    UnknownStyleError,
    available_styles,
    resolve_style,
)
from tui.data.model import Author, Record
from tui.data.parse import parse_pubmed

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"
# Group authors, non-ASCII names, a book chapter, no pages, plain reviews.
COVERED = ("35856662", "38534005", "29963580", "39382274", "38909159", "20301577", "24349601")
STYLES = (
    "apa",
    "american-medical-association",
    "modern-language-association",
    "nature",
    "nlm-citation-sequence",
    "ama",
    "mla",
    "vancouver",
)
NASTY_TITLE = "Costs {in braces} of 50% & $5 per dose: C# a_b ~x^2 back\\slash"
DECODE = LatexNodes2Text(math_mode="verbatim")


def record(pmid: str) -> Record:
    return parse_pubmed((PUBMED / f"{pmid}.xml").read_bytes())[0]


def nasty() -> Record:
    return replace(record("35856662"), title=NASTY_TITLE)


def bib_entries(text: str) -> list[dict[str, str]]:
    library = parse_string(text)
    assert not library.failed_blocks
    return [
        {"ENTRYTYPE": e.entry_type, "ID": e.key, **{f.key: f.value for f in e.fields}}
        for e in library.entries
    ]


def bib_authors(text: str) -> list[str]:
    library = parse_string(text, append_middleware=[SeparateCoAuthors()])
    names: list[str] = library.entries[0]["author"]
    return [DECODE.latex_to_text(n) for n in names]


def expected_bib_name(author: Author) -> str:
    return author.collective or f"{author.last}, {author.fore}"


# --- BibTeX -------------------------------------------------------------------------------


@pytest.mark.parametrize("pmid", COVERED)
def test_bibtex_reads_back_to_the_record(pmid: str) -> None:
    rec = record(pmid)
    (fields,) = bib_entries(bibtex.render([rec]))
    assert DECODE.latex_to_text(fields["title"]) == csl_json.citation_title(rec.title)
    assert bib_authors(bibtex.render([rec])) == [expected_bib_name(a) for a in rec.authors]
    assert fields["year"] == rec.published[:4]  # type: ignore[index]
    assert fields["pmid"] == pmid
    assert fields.get("doi") == rec.doi
    assert fields["ID"] == csl_json.cite_key(rec)


def test_bibtex_article_fields_match_the_xml() -> None:
    (fields,) = bib_entries(bibtex.render([record("24084238")]))
    assert fields["ENTRYTYPE"] == "article"
    assert fields["pages"] == "576--583"  # MedlinePgn "576-83"
    assert fields["volume"] == "9" and fields["number"] == "6"
    # NLM's sentence-case title, in the title case manuscripts print journal names in.
    assert fields["journal"] == "International Journal of Bioinformatics Research and Applications"
    assert fields["issn"] == "1744-5485"
    assert fields["doi"] == "10.1504/IJBRA.2013.056620"
    (fields,) = bib_entries(bibtex.render([record("35856662")]))
    assert fields["month"] == "aug" and fields["pages"] == "e0021622"
    assert fields["pmcid"] == "PMC9380527"
    assert "abstract" not in fields and "keywords" not in fields
    assert re.search(r"^  month = aug,$", bibtex.render([record("35856662")]), re.M)


def test_bibtex_escapes_latex_specials_and_reads_back() -> None:
    text = bibtex.render([nasty()])
    (fields,) = bib_entries(text)
    raw = fields["title"]
    for spelled in (
        r"\{in",
        r"braces\}",
        r"50\%",
        r"\&",
        r"\$5",
        r"C\#",
        r"a\_b",
        r"\textasciitilde{}x\textasciicircum{}2",
        r"back\textbackslash{}slash",
    ):
        assert spelled in raw
    assert DECODE.latex_to_text(raw.replace(r"\textasciicircum{}", "^")) == NASTY_TITLE
    # The fields after the title survived: an unescaped % or brace would have eaten them.
    assert fields["journal"] == "Antimicrobial Agents and Chemotherapy"
    assert fields["pmid"] == "35856662"


def test_bibtex_non_ascii_names_are_latex_accents() -> None:
    text = bibtex.render([record("38909159")])
    (fields,) = bib_entries(text)
    assert fields["author"].isascii()
    assert r"Akg{\"u}n, G{\"o}kmen" in fields["author"]
    assert bib_authors(text)[0] == "Akgün, Gökmen"
    assert fields["ID"] == "akgun2025cardiac"


def test_bibtex_group_author_is_one_braced_name() -> None:
    rec = record("38534005")
    text = bibtex.render([rec])
    group = rec.authors[-1].collective
    assert group and " and " in group
    assert "{" + group + "}" in bib_entries(text)[0]["author"]
    names = bib_authors(text)
    assert len(names) == len(rec.authors) and names[-1] == group


def test_bibtex_book_chapter_is_incollection() -> None:
    (fields,) = bib_entries(bibtex.render([record("20301577")]))
    assert fields["ENTRYTYPE"] == "incollection"
    assert DECODE.latex_to_text(fields["booktitle"]) == "GeneReviews®"
    assert "journal" not in fields and "pages" not in fields


def test_bibtex_without_pages_has_no_pages_field() -> None:
    (fields,) = bib_entries(bibtex.render([record("24349601")]))
    assert "pages" not in fields and fields["month"] == "nov"


def test_bibtex_keys_stay_unique_in_one_file() -> None:
    rec = record("35856662")
    entries = bib_entries(bibtex.render([rec, rec, record("38534005"), rec]))
    assert [e["ID"] for e in entries] == [
        "boyd2022oxa",
        "boyd2022oxaa",
        "kouri2024eflm",
        "boyd2022oxab",
    ]


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("The role of β-lactamases", "boyd2022role"),
        ("[A Broader Scope]", "boyd2022broader"),
        ("2019 novel coronavirus", "boyd2022novel"),
        ("", "boyd2022"),
    ],
)
def test_cite_key_uses_first_significant_title_word(title: str, key: str) -> None:
    assert csl_json.cite_key(replace(record("35856662"), title=title)) == key


def test_bibtex_protects_the_case_of_acronyms_only() -> None:
    rec = replace(record("35856662"), title="(OXA-48) and mRNA: NDM, in the clinic.")
    (fields,) = bib_entries(bibtex.render([rec]))
    assert fields["title"] == "({OXA-48}) and {mRNA}: {NDM}, in the clinic"


@pytest.mark.parametrize(
    ("title", "cited"),
    [("Pipeline.", "Pipeline"), ("Wait...", "Wait..."), ("Why?", "Why?"), ("[Title].", "[Title]")],
)
def test_citation_title_drops_only_pubmeds_full_stop(title: str, cited: str) -> None:
    assert csl_json.citation_title(title) == cited


# --- RIS ----------------------------------------------------------------------------------


def test_ris_reads_back_to_the_record() -> None:
    rec = record("35856662")
    (ref,) = rispy.loads(ris.render([rec]))
    assert ref["type_of_reference"] == "JOUR"
    assert ref["title"] == rec.title.removesuffix(".")
    assert ref["authors"] == [f"{a.last}, {a.fore}" for a in rec.authors]
    assert ref["secondary_title"] == "Antimicrobial Agents and Chemotherapy"
    assert ref["alternate_title1"] == "Antimicrob Agents Chemother"
    assert (ref["year"], ref["date"]) == ("2022", "2022/08/16/")
    assert (ref["volume"], ref["number"], ref["start_page"]) == ("66", "8", "e0021622")
    assert "end_page" not in ref
    assert (ref["doi"], ref["accession_number"], ref["issn"]) == (
        "10.1128/aac.00216-22",
        "35856662",
        "1098-6596",
    )
    assert ref["abstract"] == rec.abstract[0].text
    assert ref["keywords"] == list(rec.keywords)
    assert ref["urls"] == ["https://pubmed.ncbi.nlm.nih.gov/35856662/"]


def test_ris_pages_groups_books_and_special_characters() -> None:
    refs = rispy.loads(
        ris.render(
            [record(p) for p in ("24084238", "38534005", "20301577")]
            + [nasty(), record("24349601")]
        )
    )
    assert len(refs) == 5
    assert (refs[0]["start_page"], refs[0]["end_page"]) == ("576", "583")
    assert refs[1]["authors"][-1] == record("38534005").authors[-1].collective
    assert refs[1]["abstract"].startswith("BACKGROUND: ")
    assert refs[2]["type_of_reference"] == "CHAP" and refs[2]["secondary_title"] == "GeneReviews®"
    assert refs[3]["title"] == NASTY_TITLE
    assert "start_page" not in refs[4] and refs[4]["date"] == "2012/11//"


def test_ris_line_breaks_in_values_cannot_start_tags() -> None:
    rec = replace(record("35856662"), title="First line\nER  - \nTY  - BOOK")
    refs = rispy.loads(ris.render([rec]))
    assert len(refs) == 1 and refs[0]["title"] == "First line ER - TY - BOOK"


# --- MEDLINE ------------------------------------------------------------------------------


@pytest.mark.parametrize("pmid", COVERED)
def test_medline_reads_back_with_nbib(pmid: str) -> None:
    rec = record(pmid)
    (ref,) = nbib.read(medline.render([rec]))
    assert ref["pubmed_id"] == int(pmid)
    assert ref["title"] == rec.title
    people = [a for a in rec.authors if not a.collective]
    assert [a["author"] for a in ref["authors"]] == [f"{a.last}, {a.fore}" for a in people]
    assert [a.get("affiliations", []) for a in ref["authors"]] == [
        list(a.affiliations) for a in people
    ]
    groups = [a.collective for a in rec.authors if a.collective]
    assert ref.get("corporate_author") == (groups[-1] if groups else None)
    assert ref.get("doi") == rec.doi
    if not rec.book:
        assert ref["journal"] == rec.journal.title
        assert ref["journal_abbreviated"] == rec.journal.medline_ta
    assert ref.get("pages") == rec.journal.pages
    # Every list's every keyword, as PubMed writes them (the record's own list is
    # de-duplicated across lists).
    assert ref.get("keywords", []) == [k for kl in rec.keyword_lists for k in kl.keywords]
    assert ref.get("pmcid") == (int(rec.pmcid[3:]) if rec.pmcid else None)
    assert ref.get("publication_types") == list(rec.publication_types)


def test_medline_layout_follows_pubmed() -> None:
    records = [record(p) for p in COVERED]
    text = medline.render(records)
    assert len(nbib.read(text)) == len(records)
    for line in text.splitlines():
        assert len(line) <= medline.WIDTH
        assert line == "" or re.match(r"^([A-Z]{2,4} *- |      \S)", line)
    assert text.count("\n\n") == len(records) - 1 and text.endswith("\n")
    rec = record("35856662")
    lines = medline.lines(rec)
    assert lines[:10] == [
        "PMID- 35856662",
        "OWN - NLM",
        "STAT- MEDLINE",
        "DCOM- 20220818",
        "LR  - 20250728",
        "IS  - 1098-6596 (Electronic)",
        "IS  - 0066-4804 (Linking)",
        "VI  - 66",
        "IP  - 8",
        "DP  - 2022 Aug 16",
    ]
    assert "LID - 10.1128/aac.00216-22 [doi]" in lines
    assert "MH  - *beta-Lactamases/genetics" in lines
    assert lines[-2:] == [
        "SO  - Antimicrob Agents Chemother. 2022 Aug 16;66(8):e0021622. doi:",
        "      10.1128/aac.00216-22. Epub 2022 Jul 20.",
    ]


def test_medline_mesh_reads_back_with_major_topics() -> None:
    rec = record("35856662")
    (ref,) = nbib.read(medline.render([rec]))
    back = {(d["descriptor"], d.get("qualifier"), d["major"]) for d in ref["descriptors"]}
    wanted = {(m.descriptor, q, m.major) for m in rec.mesh for q in (m.qualifiers or (None,))}
    assert back == wanted


def test_medline_special_title_and_book() -> None:
    (ref,) = nbib.read(medline.render([nasty()]))
    assert ref["title"] == NASTY_TITLE
    lines = medline.lines(record("20301577"))
    assert "BTI - GeneReviews®" in lines and not any(x.startswith("JT  -") for x in lines)


# --- CSL-JSON -----------------------------------------------------------------------------


def test_csl_json_items_follow_the_csl_data_model() -> None:
    records = [record(p) for p in ("35856662", "29963580", "20301577", "24349601")]
    data = json.loads(csl_json.render(records))
    boyd, guo, book, deneve = data
    assert boyd["id"] == "boyd2022oxa" and boyd["type"] == "article-journal"
    assert boyd["title"] == records[0].title.removesuffix(".")
    assert boyd["author"][0] == {"family": "Boyd", "given": "Sara E"}
    assert boyd["issued"] == {"date-parts": [[2022, 8, 16]]}
    assert (boyd["container-title"], boyd["container-title-short"]) == (
        "Antimicrobial Agents and Chemotherapy",
        "Antimicrob Agents Chemother",
    )
    assert (boyd["DOI"], boyd["PMID"], boyd["PMCID"], boyd["ISSN"]) == (
        "10.1128/aac.00216-22",
        "35856662",
        "PMC9380527",
        "1098-6596",
    )
    assert (boyd["volume"], boyd["issue"], boyd["page"]) == ("66", "8", "e0021622")
    assert boyd["URL"] == "https://pubmed.ncbi.nlm.nih.gov/35856662/"
    assert boyd["abstract"] == records[0].abstract[0].text
    assert guo["author"][-1] == {"literal": "Canadian Respiratory Research Network"}
    assert book["type"] == "chapter" and book["container-title"] == "GeneReviews®"
    assert book["issued"] == {"date-parts": [[1993]]} and "page" not in book
    assert deneve["issued"] == {"date-parts": [[2012, 11]]} and "page" not in deneve


@pytest.mark.parametrize(
    ("published", "parts"),
    [
        ("2022-08-16", [2022, 8, 16]),
        ("2012-11", [2012, 11]),
        ("1993", [1993]),
        ("1990 Spring", [1990]),
        ("2021 Aug 5", [2021, 8, 5]),
        ("2021 Sep-Oct", [2021, 9]),
        (None, []),
        ("n.d.", []),
    ],
)
def test_date_parts_keep_only_what_is_known(published: str | None, parts: list[int]) -> None:
    assert csl_json.date_parts(replace(record("35856662"), published=published)) == parts


# --- formatted citations ------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_every_style_renders_all_records_quietly(
    style: str, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [record(p) for p in COVERED] + [nasty()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = cite.render(records, style=style)
    assert capsys.readouterr().err == ""
    lines = text.splitlines()
    assert len(lines) == len(records) and text.endswith("\n")
    assert not re.search(r"</?[a-z]+[^>]*>|&amp;|&lt;", text)
    for rec in records:
        first = rec.authors[0]
        assert any((first.last or first.collective or "") in line for line in lines)
    assert any("50% & $5" in line for line in lines)


def test_cite_default_is_apa_and_plain_text() -> None:
    rec = record("35856662")
    assert cite.render([rec]) == cite.render([rec], style="APA")
    assert cite.render([rec]) == (
        "Boyd, S. E., Holmes, A., Peck, R., Livermore, D. M., & Hope, W. (2022). "
        "OXA-48-Like β-Lactamases: Global Epidemiology, Treatment Options, and Development "
        "Pipeline. Antimicrobial Agents and Chemotherapy, 66(8), e0021622. "
        "https://doi.org/10.1128/aac.00216-22\n"
    )


def test_cite_keeps_markup_like_title_text_as_text() -> None:
    title = 'Salt <span class="nocase">NaCl</span> and <b>bold</b> claims'
    text = cite.render([replace(record("35856662"), title=title)], style="ama")
    assert title in text


def test_numbered_styles_number_each_entry() -> None:
    records = [record(p) for p in ("35856662", "38909159")]
    lines = cite.render(records, style="vancouver").splitlines()
    assert lines[0].startswith("1. Boyd SE, Holmes A")
    assert "2022 Aug 16;66(8):e0021622" in lines[0]
    assert lines[1].startswith("2. Akgün G, Sözeri B, Başar EZ")


def test_a_style_citeproc_cannot_apply_is_a_pubterm_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> object:
        raise ValueError("unsupported CSL feature")

    monkeypatch.setattr(cite, "_style", broken)
    with pytest.raises(cite.StyleFailedError, match="'nature' could not be applied") as caught:
        cite.render([record("35856662")], style="nature")
    assert caught.value.exit_code == 2


def test_aliases_and_style_names() -> None:
    assert resolve_style("vancouver").name == "nlm-citation-sequence.csl"
    assert resolve_style("ama").name == "american-medical-association.csl"
    assert resolve_style("mla").name == "modern-language-association.csl"
    assert resolve_style(None).name == "apa.csl"
    names = available_styles()
    assert {"apa", "ama", "mla", "nature", "vancouver", "nlm-citation-sequence"} <= set(names)
    assert names == sorted(names)


def test_journal_style_resolves_to_the_style_it_follows() -> None:
    dependent = resolve_style("cell-reports")
    assert dependent.name == "cell.csl" and dependent.parent.name == "styles"


def test_unknown_style_lists_close_matches() -> None:
    with pytest.raises(UnknownStyleError) as caught:
        resolve_style("natur")
    err = caught.value
    assert isinstance(err, PubtermError) and err.exit_code == 2
    assert "nature" in err.suggestions and len(err.suggestions) <= 5
    assert "'natur'" in str(err) and "nature" in str(err)
    with pytest.raises(UnknownStyleError):
        cite.render([record("35856662")], style="no-such-style-at-all")


# --- all formats --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bibtex", "ris", "medline", "csl-json", "cite"])
def test_output_does_not_depend_on_fetch_time(name: str) -> None:
    render = get_renderer(name)
    rec = record("38534005")
    fetched = replace(rec, fetched=datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC), cached=True)
    assert render([fetched]) == render([rec])
    assert "2031" not in render([fetched])


@pytest.mark.parametrize("name", ["bibtex", "ris", "medline", "cite"])
def test_no_records_no_output(name: str) -> None:
    assert get_renderer(name)([]) == ""


def test_mla_prints_whole_given_names_and_apa_initials() -> None:
    # MLA's style says initialize="false" for its bibliography names; citeproc-py used
    # to initialise them anyway ("Boyd, S. E.").
    boyd = record("35856662")
    assert cite.render([boyd], style="modern-language-association").startswith(
        "Boyd, Sara E, et al."
    )
    assert cite.render([boyd], style="apa").startswith("Boyd, S. E., Holmes, A.,")


def test_abbreviating_styles_print_the_iso_abbreviation() -> None:
    text = cite.render([record("35856662")], style="american-medical-association")
    assert "Antimicrob Agents Chemother" in text
    assert "Antimicrobial agents and chemotherapy" not in text
