"""The parser against every recorded efetch answer, and ten records checked field by field.

The expected values below were read out of the XML files by eye (grep/sed on the raw
text), not produced by the parser.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tui.data.parse import parse_pubmed, split_pubmed

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"
FILES = sorted(PUBMED.glob("*.xml"))

RECORD_KEYS = {
    "pmid",
    "doi",
    "pmcid",
    "title",
    "authors",
    "journal",
    "published",
    "publication_types",
    "abstract",
    "keywords",
    "mesh",
    "coi",
    "references",
    "source",
    "fetched",
    "cached",
    "book",
    "published_as",
    "epub",
    "article_number",
    "elocations",
    "languages",
    "grants",
    "corrections",
    "chemicals",
    "copyright",
    "vernacular_title",
    "other_abstracts",
    "keyword_lists",
    "owner",
    "status",
    "date_completed",
    "date_revised",
    "subsets",
    "history",
    "publication_status",
    "article_ids",
}
AUTHOR_KEYS = {"last", "fore", "initials", "suffix", "collective", "affiliations", "orcid"}
JOURNAL_KEYS = {
    "title",
    "iso_abbrev",
    "volume",
    "issue",
    "pages",
    "issn",
    "issn_type",
    "issn_linking",
    "medline_ta",
    "nlm_id",
    "country",
}
BOOK_KEYS = {
    "title",
    "publisher",
    "location",
    "edition",
    "volume",
    "isbn",
    "authors",
    "editors",
    "whole",
}
MESH_KEYS = {"descriptor", "major", "qualifiers", "major_qualifiers", "major_descriptor"}
# Each list key -> the keys of its items.
ITEM_KEYS = {
    "elocations": {"type", "value"},
    "article_ids": {"type", "value"},
    "grants": {"id", "agency", "country", "acronym"},
    "corrections": {"type", "pmid", "source"},
    "chemicals": {"name", "registry"},
    "other_abstracts": {"type", "language", "text"},
    "keyword_lists": {"owner", "keywords"},
    "history": {"status", "date"},
}


def _load(name: str) -> bytes:
    return (PUBMED / name).read_bytes()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_there_are_fixtures() -> None:
    assert len(FILES) >= 28


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_fixture_parses_to_the_documented_shape(path: Path) -> None:
    records = parse_pubmed(path.read_bytes())
    for record in records:
        data = record.to_dict()
        assert set(data) == RECORD_KEYS
        assert data["source"] == "pubmed"
        assert data["pmid"].isdigit()
        assert data["title"]
        assert set(data["journal"]) == JOURNAL_KEYS
        for author in data["authors"]:
            assert set(author) == AUTHOR_KEYS
            assert author["last"] or author["collective"]
        for section in data["abstract"]:
            assert set(section) == {"label", "text"}
        for ref in data["references"]:
            assert set(ref) == {"citation", "doi", "pmid", "pmcid"}
        for heading in data["mesh"]:
            assert set(heading) == MESH_KEYS
            assert set(heading["major_qualifiers"]) <= set(heading["qualifiers"])
            assert heading["major"] == bool(
                heading["major_descriptor"] or heading["major_qualifiers"]
            )
        for key, keys in ITEM_KEYS.items():
            for item in data[key]:
                assert set(item) == keys, key
        if data["book"] is not None:
            assert set(data["book"]) == BOOK_KEYS
        for name in ("languages", "subsets", "publication_types", "keywords"):
            assert all(isinstance(v, str) for v in data[name])
        for text in _strings(data):
            assert text == text.strip()
            assert "  " not in text
            bad = [c for c in text if unicodedata.category(c) == "Cc"]
            assert not bad, (text[:80], bad)
        json.dumps(data, ensure_ascii=False)  # the JSON shape is serialisable as is


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def test_every_json_key_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("The JSON object for each record always has every key")
    section = readme[start : readme.index("Titles, abstracts and citations", start)]
    documented = set(re.findall(r"[a-z_]+", section))
    keys = {
        k for path in FILES for r in parse_pubmed(path.read_bytes()) for k in _keys(r.to_dict())
    }
    assert keys - documented == set()
    assert len(keys) > 60


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_fixture_splits_into_pieces_that_parse_back_the_same(path: Path) -> None:
    whole = parse_pubmed(path.read_bytes())
    pieces = split_pubmed(path.read_bytes())
    assert list(pieces) == [r.pmid for r in whole]
    for record in whole:
        again = parse_pubmed(pieces[record.pmid])
        assert [r.to_dict() for r in again] == [record.to_dict()]


def test_set_of_two_articles_gives_two_records_in_order() -> None:
    records = parse_pubmed(_load("set-two-articles.xml"))
    assert [r.pmid for r in records] == ["12091962", "9997"]
    first, second = records
    assert first.title == "The treatment of AIDS behind the walls of correctional facilities."
    assert first.abstract == ()
    assert first.published == "1990"  # "1990 Spring": a season gives the year only
    assert first.journal.pages == "113-25"
    assert second.doi == "10.1016/0005-2795(76)90109-4"
    assert second.published == "1976-09-28"


def test_empty_set_gives_no_records() -> None:
    assert parse_pubmed(_load("37909814.xml")) == []
    assert split_pubmed(_load("37909814.xml")) == {}


def test_book_has_its_authors_not_its_editors() -> None:
    (book,) = parse_pubmed(_load("20301577.xml"))
    assert book.book is not None and not book.book.whole
    assert [e.last for e in book.book.editors] == [
        "Adam",
        "Feldman",
        "Mirzaa",
        "Pagon",
        "Wallace",
        "Amemiya",
    ]
    assert book.pmid == "20301577"
    assert [(a.last, a.fore) for a in book.authors] == [
        ("Napolitano", "Carlo"),
        ("Priori", "Silvia G"),
    ]
    editors = {"Adam", "Feldman", "Mirzaa", "Pagon", "Wallace", "Amemiya"}
    assert not editors & {a.last for a in book.authors}
    assert book.journal.title == "GeneReviews®"
    assert book.published == "1993"
    assert book.publication_types == ("Review",)
    assert len(book.authors[0].affiliations) == 2


class Expected(NamedTuple):
    title: str
    doi: str | None
    labels: list[str | None]
    keywords: list[str]
    ref_count: int
    first_ref: tuple[str | None, str | None]  # (doi, pmid)
    last_ref: tuple[str | None, str | None]


HAND_READ: dict[str, Expected] = {
    "32051057": Expected(
        "The biology of ergothioneine, an antioxidant nutraceutical.",
        "10.1017/S0954422419000301",
        [None],
        ["Cytoprotectants", "Ergothioneine", "Nutraceuticals", "Oxidative stress", "SLC22A4"],
        597,
        (None, "23183287"),
        (None, "31865793"),
    ),
    "35856662": Expected(
        "OXA-48-Like β-Lactamases: Global Epidemiology, Treatment Options, and Development"
        " Pipeline.",
        "10.1128/aac.00216-22",
        [None],
        [
            "OXA-48",
            "OXA-48 β-lactamase",
            "beta-lactamases",
            "drug development",
            "epidemiology",
            "pharmacology",
            "treatment",
        ],
        258,
        ("10.1016/S0140-6736(21)02724-0", "35065702"),
        ("10.3390/microorganisms8060855", "32517147"),
    ),
    "38909159": Expected(
        "Cardiac evaluation of patients with juvenile dermatomyositis.",
        "10.1038/s41390-024-03336-8",
        ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSION", "IMPACT"],
        [],
        43,
        (None, "35225221"),
        (None, "25068019"),
    ),
    "38534005": Expected(
        "The EFLM European Urinalysis Guideline 2023.",
        "10.1515/cclm-2024-0070",
        [
            "BACKGROUND",
            "RECOMMENDATIONS",
            "MEDICAL NEEDS AND TEST REQUISITION",
            "SPECIMEN COLLECTION",
            "CHEMISTRY",
            "PARTICLES",
            "BACTERIOLOGY",
        ],
        [
            "bacteriological techniques",
            "kidney diseases",
            "practice guideline",
            "reference measurement procedures",
            "urinalysis",
            "urinary tract infections",
        ],
        0,
        (None, None),
        (None, None),
    ),
    "38591913": Expected(
        "Siderophore-mediated iron acquisition by Klebsiella pneumoniae.",
        "10.1128/jb.00024-24",
        ["UNLABELLED", "IMPORTANCE"],
        [
            "ESKAPE pathogen",
            "Klebsiella pneumoniae",
            "TonB-dependent iron acquisition",
            "ferric enterobactin",
            "fluorescent sensors",
            "iron transport",
            "siderophore antibiotic conjugates",
            "siderophores",
            "site-directed mutagenesis",
        ],
        61,
        ("10.1039/C4MT00333K", "25745886"),
        ("10.1128/jb.111.3.731-738.1972", "4559824"),
    ),
    "29963580": Expected(
        "Development of a pulmonary imaging biomarker pipeline for phenotyping of chronic"
        " lung disease.",
        "10.1117/1.JMI.5.2.026002",
        [None],
        [
            "asthma",
            "chronic obstructive lung disease",
            "image processing, biomarkers",
            "magnetic resonance imaging",
            "thoracic computed tomography",
        ],
        49,
        (None, "25144646"),
        (None, "18216052"),
    ),
    "38700094": Expected(
        "Antiarrhythmic drugs in the era of atrial fibrillation ablation.",
        "10.1093/europace/euae122",
        [],
        ["Ablation", "Antiarrhythmic drugs", "Atrial fibrillation", "Heart failure", "Stroke"],
        25,
        ("10.1136/heartjnl-2021-319496", "34261737"),
        ("10.1093/europace/euad210", "37622575"),
    ),
    "39382274": Expected(
        "Assessment of the activity and mechanisms of resistance to cefiderocol and"
        " combinations of β-lactams and the novel β-lactamase inhibitors avibactam,"
        " taniborbactam, zidebactam, nacubactam, xeruborbactam, and ANT3310 in emerging"
        " double-carbapenemase-producing Enterobacterales.",
        "10.1128/aac.00924-24",
        [None],
        [
            "Enterobacterales",
            "antimicrobial resistance",
            "carbapenemase",
            "cefiderocol",
            "double carbapenemase",
            "β-lactamase",
            "β-lactamase inhibitor",
        ],
        42,
        ("10.1038/s41564-019-0492-8", "31358985"),
        (None, None),
    ),
    "20301577": Expected(
        "CACNA1C-Related Disorders",
        None,
        ["CLINICAL CHARACTERISTICS", "DIAGNOSIS/TESTING", "MANAGEMENT", "GENETIC COUNSELING"],
        # "Timothy Syndrome" is listed twice in the XML; the duplicate goes.
        [
            "Timothy Syndrome",
            "CACNA1C-Related Neurodevelopmental Syndrome",
            "CACNA1C-Related Nonsyndromic Long QT Syndrome",
            "CACNA1C-Related Nonsyndromic Short QT Syndrome",
            "CACNA1C-Related Brugada Syndrome with Short QT",
            "Voltage-dependent L-type calcium channel subunit alpha-1C",
            "CACNA1C",
            "CACNA1C-Related Disorders",
        ],
        31,
        (None, "29097296"),
        (None, "35390533"),
    ),
    "24349601": Expected(
        "Genes, Economics, and Happiness.",
        "10.1037/a0030292",
        [None],
        [
            "5-HTTLPR",
            "genetic association",
            "life satisfaction",
            "rs2020933",
            "serotonin transporter gene",
            "twin study",
        ],
        91,
        (None, None),
        (None, "17032287"),
    ),
}


@pytest.mark.parametrize("pmid", sorted(HAND_READ))
def test_hand_read_values(pmid: str) -> None:
    expected = HAND_READ[pmid]
    (record,) = parse_pubmed(_load(f"{pmid}.xml"))
    assert record.pmid == pmid
    assert record.title == expected.title
    assert record.doi == expected.doi
    assert [s.label for s in record.abstract] == expected.labels
    assert list(record.keywords) == expected.keywords
    assert len(record.references) == expected.ref_count
    if record.references:
        first, last = record.references[0], record.references[-1]
        assert (first.doi, first.pmid) == expected.first_ref
        assert (last.doi, last.pmid) == expected.last_ref


def test_collective_name_is_an_author() -> None:
    (record,) = parse_pubmed(_load("38534005.xml"))
    last = record.authors[-1]
    assert last.collective == (
        "Task and Finish Group for Urinalysis (TFG-U), European Federation of Clinical"
        " Chemistry and Laboratory Medicine (EFLM)"
    )
    assert last.last is None
    assert record.authors[0].orcid == "0000-0002-3282-232X"
    assert record.authors[4].fore == "Sören"
    assert record.journal.pages == "1653-1786"
    assert record.published == "2024-08-27"
    majors = [m.descriptor for m in record.mesh if m.major]
    assert majors == ["Urinalysis"]
    assert record.mesh[1].qualifiers == ("standards", "methods")
    assert "α1-microglobulin" in record.abstract[4].text
    # <i> inside an abstract section is flattened to its words
    assert "Aerococcus urinae, A. sanguinicola and Actinotignum schaalii are" in (
        record.abstract[6].text
    )


def test_turkish_names_survive() -> None:
    (record,) = parse_pubmed(_load("38909159.xml"))
    assert (record.authors[0].last, record.authors[0].fore) == ("Akgün", "Gökmen")
    assert (record.authors[2].last, record.authors[2].fore) == ("Başar", "Eviç Zeynep")
    assert record.pmcid == "PMC11798830"
    assert record.coi == "Competing interests: The authors declare no competing interests"


def test_mathml_in_the_abstract_is_flattened_to_readable_text() -> None:
    (record,) = parse_pubmed(_load("29963580.xml"))
    text = record.abstract[0].text
    assert "(1) inhaled 3He/129Xe MRI ventilation and apparent diffusion" in text
    assert "(3) ultrashort echo-time 1H MRI proton density" in text
    # ORCIDs given as https://orcid.org/... come out bare
    orcids = [a.orcid for a in record.authors if a.orcid]
    assert orcids == ["0000-0002-4590-7461", "0000-0003-3525-2788"]
    assert record.authors[-1].collective == "Canadian Respiratory Research Network"


def test_inline_markup_in_titles_is_flattened() -> None:
    (record,) = parse_pubmed(_load("38914053.xml"))
    # The XML has "SnO<sub>2</sub>thin" with no space; nothing is invented.
    assert record.title.startswith("Doped SnO2thin films fabricated at low temperature")


def test_editorial_without_abstract() -> None:
    (record,) = parse_pubmed(_load("38700094.xml"))
    assert record.abstract == ()
    assert record.publication_types == ("Editorial", "Comment")
    assert record.journal.issn == "1532-2092"
    # NBSPs in the reference text collapse to single spaces
    assert record.references[0].citation.startswith("Imberti JF, Ding WY, Kotalczyk A,")


def test_reference_without_ids_keeps_its_citation() -> None:
    (record,) = parse_pubmed(_load("39382274.xml"))
    assert record.references[-1].citation == (
        "Seemann T. Snippy: fast bacterial variant calling from NGS reads. Available from:"
        " https://github.com/tseemann/snippy"
    )
    assert record.authors[-1].collective is not None
    assert record.authors[-1].collective.startswith("GEMARA-SEIMC/CIBERINFEC Study Group")


def test_translated_title_keeps_its_brackets() -> None:
    (record,) = parse_pubmed(_load("38048813.xml"))
    assert record.title == "[A Broader Scope - Bio-Psycho-Social Medicine In Global Focus]."
