"""Reading an answer as a stream gives the records reading it whole gives, in every shape.

``parse_pubmed`` reads each ``<Reference>`` at its end tag and drops its element
(``tui.data.parse_stream``); the records must be exactly those of the whole-tree
reading (``load`` then the record readers, with no lists read ahead), on every efetch
fixture and on real answers rearranged into the shapes the stream has to watch for:
several articles in one set, a second PubmedData, references outside an article's list,
a reference nested in another.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest
from lxml import etree

from tui.data.model import Record
from tui.data.parse import parse_pubmed
from tui.data.parse_articles import _articles, _record
from tui.data.parse_stream import load_streaming
from tui.data.parse_xml import load
from tui.data.text import _AS_SPACE, _DROPPED, clean_text

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"
FILES = sorted(PUBMED.glob("*.xml"))
REVIEW = PUBMED / "32051057.xml"  # 597 references


def whole(xml: bytes) -> list[Record]:
    """The records as reading the whole tree gives them."""
    return [_record(el, {}) for el in _articles(load(xml))]


def rearranged(path: Path, change: object) -> bytes:
    root = etree.fromstring(path.read_bytes())
    change(root)  # type: ignore[operator]
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_fixture_reads_the_same_streamed_and_whole(path: Path) -> None:
    xml = path.read_bytes()
    assert parse_pubmed(xml) == whole(xml)


def test_the_review_keeps_its_references_and_the_tree_keeps_none_of_them() -> None:
    xml = REVIEW.read_bytes()
    root, lists = load_streaming(xml)
    (refs,) = lists.values()
    assert len(refs) == 597
    assert root.find(".//ReferenceList/Reference") is None  # every element dropped
    assert refs == whole(xml)[0].references


def test_several_articles_each_keep_their_own_list() -> None:
    review = etree.fromstring(REVIEW.read_bytes()).find("PubmedArticle")
    assert review is not None

    def add_review(root: etree._Element) -> None:
        root.insert(0, copy.deepcopy(review))

    xml = rearranged(PUBMED / "set-two-articles.xml", add_review)
    records = parse_pubmed(xml)
    assert len(records) == 3 and len(records[0].references) == 597
    assert records == whole(xml)


def test_a_second_pubmed_data_and_references_outside_the_list_are_left_out() -> None:
    def misplace(root: etree._Element) -> None:
        article = root.find("PubmedArticle")
        assert article is not None
        listing = article.find("PubmedData/ReferenceList")
        assert listing is not None
        article.append(etree.Element("PubmedData"))
        article[-1].append(copy.deepcopy(listing))  # a second PubmedData: not read
        citation = article.find("MedlineCitation")
        assert citation is not None
        citation.append(copy.deepcopy(listing))  # a list where none belongs
        root.append(copy.deepcopy(listing))  # and one outside any article

    xml = rearranged(REVIEW, misplace)
    (record,) = parse_pubmed(xml)
    assert len(record.references) == 597
    assert [record] == whole(xml)


def test_a_reference_nested_in_another_reads_as_the_whole_tree_reads_it() -> None:
    def nest(root: etree._Element) -> None:
        refs = root.findall(".//ReferenceList/Reference")
        refs[0].append(refs[1])  # the second reference inside the first

    xml = rearranged(REVIEW, nest)
    (record,) = parse_pubmed(xml)
    assert [record] == whole(xml)
    assert len(record.references) == 597


def test_a_titled_sub_list_is_read_in_document_order() -> None:
    def sub_lists(root: etree._Element) -> None:
        listing = root.find(".//PubmedData/ReferenceList")
        assert listing is not None
        inner = etree.SubElement(listing, "ReferenceList")
        etree.SubElement(inner, "Title").text = "Further reading"
        for ref in listing.findall("Reference")[:5]:
            inner.append(ref)  # the first five move to the end, inside the sub-list

    xml = rearranged(REVIEW, sub_lists)
    (record,) = parse_pubmed(xml)
    original = parse_pubmed(REVIEW.read_bytes())[0].references
    assert record.references == original[5:] + original[:5]
    assert [record] == whole(xml)


def test_broken_and_hostile_answers_fail_alike() -> None:
    xml = REVIEW.read_bytes()
    for bad in (
        xml[: len(xml) // 2],
        b"<!DOCTYPE x [<!ENTITY a 'b'>]>" + xml[xml.index(b"<Pub") :],
    ):
        with pytest.raises(Exception) as streamed:
            parse_pubmed(bad)
        with pytest.raises(Exception) as read_whole:
            load(bad)
        assert type(streamed.value) is type(read_whole.value)
        assert str(streamed.value).split("(")[0] == str(read_whole.value).split("(")[0]


def test_clean_texts_shortcut_holds_for_every_character() -> None:
    """Printable text skips the table: nothing it drops or spaces may be printable, and
    ``str.split`` may split printable text on " " only."""
    assert not any(c.isprintable() for c in _DROPPED + list(_AS_SPACE))
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert [c for c in spaces if c.isprintable()] == [" "]
    for text in ("a  b", " a", "a ", "a b", "Smith J, et al. Title. 2020;1:2."):
        assert clean_text(text) == " ".join(text.split())
