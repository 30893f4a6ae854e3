"""Real records that carry the rarer parts of PubMed's DTD, checked by hand.

The expected values were read out of the XML files in tests/fixtures/pubmed (copied
from the shared pubmed-more set) by eye, not produced by the parser.
"""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import rispy
from Bio import Medline

from tui.data.formats import bibtex, cite, csl_json, medline, ris
from tui.data.model import Chemical, Correction, KeywordList, Record
from tui.data.model_publication import Grant, Tagged
from tui.data.parse import parse_pubmed

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"


def record(pmid: str) -> Record:
    (found,) = parse_pubmed((PUBMED / f"{pmid}.xml").read_bytes())
    return found


def medline_of(pmid: str) -> dict[str, object]:
    (back,) = Medline.parse(iter(medline.render([record(pmid)]).splitlines()))
    return dict(back)


def test_author_suffixes_everywhere() -> None:
    lamb = record("10536109").authors[1]
    assert (lamb.last, lamb.fore, lamb.suffix) == ("Lamb", "J C", "4th")
    assert record("10869455").authors[4].suffix == "Jr"
    back = medline_of("10536109")
    assert "Lamb JC 4th" in back["AU"] and "Lamb, J C 4th" in back["FAU"]
    (item,) = json.loads(csl_json.render([record("10536109")]))
    assert item["author"][1] == {"family": "Lamb", "given": "J C", "suffix": "4th"}
    (ref,) = rispy.loads(ris.render([record("10536109")]))
    assert ref["authors"][1] == "Lamb, J C, 4th"
    (entry,) = bibtexparser.parse_string(bibtex.render([record("10536109")])).entries
    assert entry.fields_dict["author"].value == "Wilkinson, C F and Lamb, 4th, J C"


def test_seasons_and_ranges_keep_pubmeds_words() -> None:
    spring = record("12091962")
    assert (spring.published, spring.published_as) == ("1990", "1990 Spring")
    assert record("10485824").published_as == "1999 Jul-Aug"
    assert record("10547627").published_as == "1999 Nov-Dec"
    assert record("20729678").published_as == "2010 Sep-Oct"  # a MedlineDate
    assert medline_of("12091962")["DP"] == "1990 Spring"
    assert medline_of("12091962")["SO"] == "Soc Justice. 1990 Spring;17(1):113-25."


def test_mesh_major_on_the_qualifier_only() -> None:
    headings = {m.descriptor: m for m in record("10536109").mesh}
    phthalic = headings["Phthalic Acids"]
    assert phthalic.major and not phthalic.major_descriptor
    assert phthalic.major_qualifiers == ("adverse effects",)
    play = headings["Play and Playthings"]
    assert play.major_descriptor and play.major_qualifiers == ()
    mh = medline_of("10536109")["MH"]
    assert "Phthalic Acids/*adverse effects" in mh and "*Play and Playthings" in mh
    assert "Diethylhexyl Phthalate/adverse effects" in mh


def test_journal_abbreviations_and_ids() -> None:
    toys = record("10536109").journal
    assert (toys.issn, toys.issn_type, toys.issn_linking) == ("0273-2300", "Print", "0273-2300")
    assert (toys.medline_ta, toys.nlm_id, toys.country) == (
        "Regul Toxicol Pharmacol",
        "8214983",
        "Netherlands",
    )
    back = medline_of("10536109")
    assert (back["TA"], back["JID"], back["PL"]) == (
        "Regul Toxicol Pharmacol",
        "8214983",
        "Netherlands",
    )
    # NLM's title "Regulatory toxicology and pharmacology : RTP", cut and title-cased.
    (item,) = json.loads(csl_json.render([record("10536109")]))
    assert item["container-title"] == "Regulatory Toxicology and Pharmacology"
    assert item["container-title-short"] == "Regul Toxicol Pharmacol"
    (entry,) = bibtexparser.parse_string(bibtex.render([record("10536109")])).entries
    assert entry.fields_dict["shortjournal"].value == "Regul Toxicol Pharmacol"


def test_comments_and_corrections_are_kept_and_noted() -> None:
    melnick = record("11401753")
    assert melnick.corrections == (
        Correction(
            "CommentIn",
            "Environ Health Perspect. 2001 Oct;109(10):A462-4. doi: 10.1289/ehp.109-a462",
            "11675276",
        ),
    )
    assert melnick.to_dict()["corrections"][0] == {
        "type": "CommentIn",
        "source": "Environ Health Perspect. 2001 Oct;109(10):A462-4. doi: 10.1289/ehp.109-a462",
        "pmid": "11675276",
    }
    text = medline.render([melnick])
    assert (
        "CIN - Environ Health Perspect. 2001 Oct;109(10):A462-4. doi: 10.1289/ehp.109-a462 PMID:\n      11675276\n"
        in text
    )
    (ref,) = rispy.loads(ris.render([melnick]))
    assert any("Comment in: Environ Health Perspect" in n for n in ref["notes"])


def test_grants_chemicals_and_copyright() -> None:
    copper = record("10357793")
    assert copper.grants == (Grant("CA53453", "NCI NIH HHS", "United States", "CA"),)
    assert medline_of("10357793")["GR"] == ["CA53453/CA/NCI NIH HHS/United States"]
    toys = record("10536109")
    assert Chemical("diisononyl phthalate", "4010KIX4CK") in toys.chemicals
    assert Chemical("Plasticizers", "0") in toys.chemicals
    assert toys.copyright == "Copyright 1999 Academic Press."
    assert Tagged("pii", "S0273-2300(99)91338-7") in toys.article_ids
    (item,) = json.loads(csl_json.render([copper]))
    assert "Grants: CA53453/CA/NCI NIH HHS/United States." in item["note"]


def test_vernacular_titles_languages_and_epub() -> None:
    spanish = record("21813142")
    assert spanish.vernacular_title == (
        "Pacientes quirúrgicos ingresados: asistencia compartida con Medicina Interna."
    )
    assert spanish.languages == ("spa",)
    assert spanish.epub == "2011-08-02"
    back = medline_of("21813142")
    assert back["DEP"] == "20110802" and back["LA"] == ["spa"]
    assert back["TT"].startswith("Pacientes quirúrgicos")
    swedish = record("29292925")  # an empty ArticleTitle: the vernacular one stands in
    assert swedish.title.startswith("Psykisk ohälsa, radikalisering och terrorism")
    assert swedish.languages == ("swe",)


def test_keyword_owner_is_the_lists_own() -> None:
    aids = record("12091962")
    assert aids.owner == "KIE"
    assert aids.keyword_lists == (
        KeywordList("KIE", ("Health Care and Public Health", "Legal Approach")),
    )
    back = medline_of("12091962")
    assert back["OTO"] == ["KIE"] and back["OWN"] == "KIE"


def test_whole_book_with_its_authors() -> None:
    book = record("20821847")
    assert book.book is not None and book.book.whole
    assert [(a.last, a.fore) for a in book.authors] == [
        ("Nussey", "Stephen"),
        ("Whitehead", "Saffron"),
    ]
    assert (book.book.publisher, book.book.location) == ("BIOS Scientific Publishers", "Oxford")
    assert book.book.isbn == ("1859962521",)
    (item,) = json.loads(csl_json.render([book]))
    assert item["type"] == "book" and "container-title" not in item
    (ref,) = rispy.loads(ris.render([book]))
    assert ref["type_of_reference"] == "BOOK"
    (entry,) = bibtexparser.parse_string(bibtex.render([book])).entries
    assert entry.entry_type == "book"
    apa = cite.render([book], style="apa")
    assert apa.count("Endocrinology: An Integrated Approach") == 1
    assert apa.startswith("Nussey, S., & Whitehead, S. (2001).")


def test_whole_book_by_committees() -> None:
    book = record("26468569")
    assert [a.collective for a in book.authors][:2] == [
        "Committee on Predictive-Toxicology Approaches for Military Assessments of Acute Exposures",
        "Committee on Toxicology",
    ]
    assert len(book.authors) == 6 and book.doi == "10.17226/21775"
    assert book.book is not None and book.book.publisher == "National Academies Press (US)"


def test_chapter_keeps_its_editors_apart() -> None:
    chapter = record("20301577")
    assert chapter.book is not None and not chapter.book.whole
    assert chapter.book.editors[0].last == "Adam"
    (item,) = json.loads(csl_json.render([chapter]))
    assert item["type"] == "chapter" and item["container-title"] == "GeneReviews®"
    assert item["editor"][0] == {"family": "Adam", "given": "Margaret P"}


def test_article_number_stands_in_for_pages() -> None:
    # Europace 26(6) has no Pagination, only the pii ELocationID "euae122".
    europace = record("38700094")
    assert europace.journal.pages is None and europace.article_number == "euae122"
    (item,) = json.loads(csl_json.render([europace]))
    assert item["page"] == "euae122"
    # "Europace : European pacing, arrhythmias, and cardiac electrophysiology : ..."
    assert item["container-title"] == "Europace"
    assert medline_of("38700094")["SO"] == (
        "Europace. 2024 Jun 3;26(6):euae122. doi: 10.1093/europace/euae122."
    )
    assert "LID" in medline_of("38700094") and "PG" not in medline_of("38700094")
    (ref,) = rispy.loads(ris.render([europace]))
    assert ref["start_page"] == "euae122"
    (entry,) = bibtexparser.parse_string(bibtex.render([europace])).entries
    assert entry.fields_dict["pages"].value == "euae122"


def test_every_notice_type_has_a_medline_tag_and_words() -> None:
    from tui.data.formats.fields import CORRECTION_WORDS
    from tui.data.formats.medline_tags import CORRECTION_TAGS

    assert set(CORRECTION_WORDS) == set(CORRECTION_TAGS)
    assert len(set(CORRECTION_TAGS.values())) == len(CORRECTION_TAGS)


def test_other_abstract_built_from_a_records_own_abstract() -> None:
    # No fixture has an OtherAbstract; this one moves 35856662's own abstract into one,
    # as publishers' abstracts appear (MedlineCitation/OtherAbstract, after the MeSH).
    xml = (PUBMED / "35856662.xml").read_bytes()
    start, end = xml.index(b"<Abstract>"), xml.index(b"</Abstract>") + len(b"</Abstract>")
    moved = b'<OtherAbstract Type="Publisher" Language="eng">' + xml[start + 10 : end - 11]
    moved += b"</OtherAbstract>"
    xml = xml[:start] + xml[end:]
    xml = xml.replace(b"</MeshHeadingList>", b"</MeshHeadingList>" + moved, 1)
    (rec,) = parse_pubmed(xml)
    (other,) = rec.other_abstracts
    assert (other.type, other.language) == ("Publisher", "eng")
    assert other.text.startswith("Modern medicine is threatened by the rising tide")
    assert rec.abstract == ()
    (back,) = Medline.parse(iter(medline.render([rec]).splitlines()))
    assert back["OABL"] == ["eng"] and "OAB" in back


def test_a_retraction_notice_is_noted_first_in_every_format() -> None:
    # 38833988 carries an ErratumFor; the same link as a RetractionIn, as a retracted
    # article's record carries it.
    xml = (
        (PUBMED / "38833988.xml")
        .read_bytes()
        .replace(b'RefType="ErratumFor"', b'RefType="RetractionIn"')
    )
    (rec,) = parse_pubmed(xml)
    (notice,) = rec.corrections
    assert notice.type == "RetractionIn" and notice.pmid == "33279609"
    assert notice.notice and rec.notices == (notice,)
    assert not any(c.notice for c in record("38833988").corrections)  # ErratumFor
    assert record("11401753").notices == ()  # a comment is not a notice
    text = medline.render([rec])
    assert "\nRIN - Biochim Biophys Acta Mol Cell Res." in text and "\nEFR - " not in text
    (item,) = json.loads(csl_json.render([rec]))
    assert item["note"].startswith("Retraction in: Biochim Biophys Acta Mol Cell Res.")
    assert item["note"].endswith("PMID: 33279609.")
