"""Every efetch fixture written out and read back by the tools reference managers rely on.

MEDLINE goes through the strict ``nbib`` parser and Biopython's ``Bio.Medline``, RIS
through rispy and BibTeX through bibtexparser.  What must come back is read out of the
XML here with plain XPath, independently of pubterm's parser: a tag is expected wherever
the XML has its data (PubMed's DTD, pubmed_250101.dtd).
"""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from pathlib import Path

import bibtexparser
import nbib
import pytest
import rispy
from Bio import Medline
from lxml import etree

from tests.server import FixtureServer
from tui.cli import main
from tui.data.formats import bibtex, cite, medline, ris
from tui.data.parse import parse_pubmed

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"
FILES = [p for p in sorted(PUBMED.glob("*.xml")) if parse_pubmed(p.read_bytes())]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# RefTypes with a MEDLINE tag; "Cites" has none.
CORRECTION_TAGS = {
    "CommentIn": "CIN",
    "CommentOn": "CON",
    "ErratumIn": "EIN",
    "ErratumFor": "EFR",
    "RetractionIn": "RIN",
    "RetractionOf": "ROF",
    "ExpressionOfConcernIn": "ECI",
    "ExpressionOfConcernFor": "ECF",
    "UpdateIn": "UIN",
    "UpdateOf": "UOF",
}


def articles(path: Path) -> list[etree._Element]:
    root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
    return [el for el in root if el.tag in ("PubmedArticle", "PubmedBookArticle")]


def xs(el: etree._Element, path: str) -> list[str]:
    """The whitespace-collapsed texts at an XPath."""
    return [" ".join("".join(e.itertext()).split()) for e in el.xpath(path)]


def dp(pub_date: etree._Element | None) -> str | None:
    """PubMed's DP for a PubDate, by the rule PubMed states: year, then month and day
    or the season, or the MedlineDate as written."""
    if pub_date is None:
        return None
    if pub_date.find("MedlineDate") is not None:
        return " ".join(pub_date.findtext("MedlineDate", "").split())
    words = [pub_date.findtext("Year", "")]
    month = pub_date.findtext("Month")
    if month:
        words.append(MONTHS[int(month) - 1] if month.isdigit() else month)
        day = pub_date.findtext("Day")
        if day:
            words.append(str(int(day)))
    elif pub_date.findtext("Season"):
        words.append(pub_date.findtext("Season", ""))
    return " ".join(words)


def many(record: dict[str, object], tag: str) -> list[str]:
    """A tag's values as a list (Bio.Medline keeps some tags as one string)."""
    value = record.get(tag, [])
    return [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]


def one(record: dict[str, object], tag: str) -> str | None:
    """A tag's value as one string, or None."""
    values = many(record, tag)
    return " ".join(values) if values else None


def medline_pairs(path: Path) -> list[tuple[etree._Element, dict[str, object], dict[str, object]]]:
    """(XML article, Bio.Medline record, nbib record) for every article of a fixture.

    Bio.Medline joins continuation lines only for the tags it knows hold one text; for
    list tags (GR, CIN, CN …) it reads each line as a value, so a wrapped value counts
    twice there.  Those tags are counted on the tag lines themselves (``tag_lines``),
    their presence and content through Bio.Medline and nbib.
    """
    text = medline.render(parse_pubmed(path.read_bytes()))
    bio = list(Medline.parse(io.StringIO(text)))
    strict = nbib.read(text)
    found = articles(path)
    assert len(bio) == len(strict) == len(found)
    for record, block in zip(bio, text.split("\n\n"), strict=True):
        record["_text"] = block  # type: ignore[index]
    return list(zip(found, bio, strict, strict=True))


def tag_lines(record: dict[str, object], tag: str) -> int:
    """How many values of ``tag`` the record's MEDLINE text holds."""
    return str(record["_text"]).count(f"\n{tag:<4}- ") + str(record["_text"]).startswith(
        f"{tag:<4}- "
    )


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_medline_has_every_tag_the_xml_has_data_for(path: Path) -> None:
    for el, bio, strict in medline_pairs(path):
        if el.tag == "PubmedBookArticle":
            check_book(el, bio)
            continue
        mc = el.find("MedlineCitation")
        art = mc.find("Article")
        assert one(bio, "PMID") == mc.findtext("PMID") == str(strict["pubmed_id"])
        assert one(bio, "OWN") == mc.get("Owner")
        assert one(bio, "STAT") == mc.get("Status")
        assert ("DCOM" in bio) == (mc.find("DateCompleted") is not None)
        assert ("LR" in bio) == (mc.find("DateRevised") is not None)
        issns = xs(art, "Journal/ISSN") + xs(mc, "MedlineJournalInfo/ISSNLinking")
        assert all(i in (one(bio, "IS") or "") for i in issns) and (not issns) == ("IS" not in bio)
        for kind in art.xpath("Journal/ISSN/@IssnType"):
            assert strict.get(f"{kind.lower()}_issn") == art.findtext("Journal/ISSN")
        assert one(bio, "DP") == dp(art.find("Journal/JournalIssue/PubDate"))
        assert one(bio, "PG") == (art.findtext("Pagination/MedlinePgn") or None)
        locations = [f"{e.text} [{e.get('EIdType')}]" for e in art.iterfind("ELocationID")]
        assert all(x in (one(bio, "LID") or "") for x in locations)
        assert tag_lines(bio, "LID") >= len(locations)
        assert one(bio, "CI") == (xs(art, "Abstract/CopyrightInformation") or [None])[0]
        valid = art.xpath("AuthorList/Author[not(@ValidYN='N')]")
        people = [a for a in valid if a.find("LastName") is not None]
        assert len(many(bio, "FAU")) == len(people) == len(many(bio, "AU"))
        orcids = [a for a in people if a.find("Identifier[@Source='ORCID']") is not None]
        assert len(many(bio, "AUID")) == len(orcids)
        assert many(bio, "LA") == xs(art, "Language")
        assert strict.get("language") == (xs(art, "Language") or [None])[-1]
        grants = art.findall("GrantList/Grant")
        assert tag_lines(bio, "GR") == len(grants) == len(strict.get("grants", []))
        assert ("GR" in bio) == bool(grants)
        assert many(bio, "PT") == xs(art, "PublicationTypeList/PublicationType")
        assert ("DEP" in bio) == (art.find("ArticleDate[@DateType='Electronic']") is not None)
        assert one(bio, "PL") == (xs(mc, "MedlineJournalInfo/Country") or [None])[0]
        assert one(bio, "TA") == (xs(mc, "MedlineJournalInfo/MedlineTA") or [None])[0]
        assert one(bio, "JID") == (xs(mc, "MedlineJournalInfo/NlmUniqueID") or [None])[0]
        assert len(many(bio, "RN")) == len(mc.findall("ChemicalList/Chemical"))
        assert many(bio, "SB") == xs(mc, "CitationSubset")
        check_mesh(mc, bio)
        owners = [k.get("Owner", "NOTNLM") for k in mc.iterfind("KeywordList") if len(k)]
        assert many(bio, "OTO") == owners
        for ref_type, tag in CORRECTION_TAGS.items():
            wanted = mc.findall(
                f"CommentsCorrectionsList/CommentsCorrections[@RefType='{ref_type}']"
            )
            assert tag_lines(bio, tag) == len(wanted), tag
            assert (tag in bio) == bool(wanted), tag
        check_history(el.find("PubmedData"), bio)


def check_mesh(mc: etree._Element, bio: dict[str, object]) -> None:
    """Stars exactly on the parts with MajorTopicYN="Y", as PubMed writes MH."""
    wanted = []
    for heading in mc.iterfind("MeshHeadingList/MeshHeading"):
        descriptor = heading.find("DescriptorName")
        parts = [("*" if descriptor.get("MajorTopicYN") == "Y" else "") + descriptor.text]
        for q in heading.iterfind("QualifierName"):
            parts.append(("*" if q.get("MajorTopicYN") == "Y" else "") + q.text)
        wanted.append("/".join(parts))
    assert many(bio, "MH") == wanted


def check_history(data: etree._Element | None, bio: dict[str, object]) -> None:
    if data is None:
        return
    statuses = data.xpath("History/PubMedPubDate/@PubStatus")
    assert ("EDAT" in bio) == ("pubmed" in statuses)
    assert ("MHDA" in bio) == ("medline" in statuses)
    assert ("CRDT" in bio) == ("entrez" in statuses)
    assert len(many(bio, "PHST")) == len(statuses)
    ids = {(e.get("IdType"), e.text) for e in data.iterfind("ArticleIdList/ArticleId")}
    for kind, value in ids:
        if kind in ("doi", "pii"):
            assert f"{value} [{kind}]" in many(bio, "AID")
    assert one(bio, "PST") == data.findtext("PublicationStatus")
    pmc = [v for k, v in ids if k == "pmc"]
    assert one(bio, "PMC") == (pmc[0] if pmc else None)


def check_book(el: etree._Element, bio: dict[str, object]) -> None:
    doc = el.find("BookDocument")
    assert one(bio, "PMID") == doc.findtext("PMID")
    assert one(bio, "PB") == (xs(doc, "Book/Publisher/PublisherName") or [None])[0]
    assert one(bio, "PL") == (xs(doc, "Book/Publisher/PublisherLocation") or [None])[0]
    assert many(bio, "LA") == xs(doc, "Language")
    editors = doc.xpath(
        "AuthorList[@Type='editors']/Author | Book/AuthorList[@Type='editors']/Author"
    )
    assert len(many(bio, "FED")) == len(editors)
    authors = doc.xpath("AuthorList[@Type='authors']/Author")
    if doc.find("ArticleTitle") is None:  # a whole book: its authors are the Book's
        authors = doc.xpath("Book/AuthorList[@Type='authors']/Author")
    named = [a for a in authors if a.find("LastName") is not None]
    assert len(many(bio, "FAU")) == len(named)
    assert tag_lines(bio, "CN") == len(authors) - len(named)
    assert ("BTI" in bio) == (doc.find("ArticleTitle") is not None)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_ris_reads_back_with_issn_and_language(path: Path) -> None:
    records = parse_pubmed(path.read_bytes())
    back = rispy.loads(ris.render(records))
    assert len(back) == len(records)
    for el, ref in zip(articles(path), back, strict=True):
        issn = xs(el, ".//Journal/ISSN") + xs(el, ".//MedlineJournalInfo/ISSNLinking")
        isbn = xs(el, "BookDocument/Book/Isbn")
        assert ref.get("issn") == (issn or isbn or [None])[0]
        assert ref.get("language") == (xs(el, ".//Language") or [None])[0]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_bibtex_reads_back_quietly(
    path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    records = parse_pubmed(path.read_bytes())
    with caplog.at_level(logging.DEBUG):
        text = bibtex.render(records)
        library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert len(library.entries) == len(records)
    for el, entry in zip(articles(path), library.entries, strict=True):
        issn = xs(el, ".//Journal/ISSN") + xs(el, ".//MedlineJournalInfo/ISSNLinking")
        if issn:
            assert entry.fields_dict["issn"].value == issn[0]
        languages = xs(el, ".//Language")
        if languages:
            assert entry.fields_dict["language"].value == languages[0]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert capfd.readouterr().err == ""


def test_bibtex_writes_a_character_latex_cannot_spell_without_a_warning(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # U+237A (APL alpha), as in the title of PMID 39236155; the encoder has no spelling.
    (record,) = parse_pubmed((PUBMED / "35856662.xml").read_bytes())
    record = replace(record, title="Thresholds at \u237a = 0.05")
    with caplog.at_level(logging.DEBUG):
        text = bibtex.render([record])
    (entry,) = bibtexparser.parse_string(text).entries
    assert "\u237a" in entry.fields_dict["title"].value
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert capfd.readouterr().err == ""


def test_medline_over_http_for_a_record_with_a_suffix(
    fixture_server: FixtureServer, cache_dir: Path
) -> None:
    out = io.StringIO()
    code = main(
        [
            "--eutils-url",
            fixture_server.eutils_url,
            "--cache-dir",
            str(cache_dir),
            "--format",
            "medline",
            "10536109",
        ],
        out=out,
    )
    assert code == 0
    (back,) = Medline.parse(io.StringIO(out.getvalue()))
    assert "Lamb JC 4th" in back["AU"]
    assert "Lamb, J C 4th" in back["FAU"]


@pytest.mark.parametrize(
    "style", ["apa", "vancouver", "modern-language-association", "american-medical-association"]
)
def test_every_fixture_cites_in_the_common_styles(
    style: str, capfd: pytest.CaptureFixture[str]
) -> None:
    records = [r for path in FILES for r in parse_pubmed(path.read_bytes())]
    unresolved = [ref for r in records for ref in r.references if not ref.pmid][:5]
    entries = cite.entries([*records, *unresolved], style=style)
    assert len(entries) == len(records) + len(unresolved)
    for entry in entries:
        assert entry and "\n" not in entry
    assert capfd.readouterr().err == ""
