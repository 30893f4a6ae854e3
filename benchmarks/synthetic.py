"""Reviews longer than any fixture: a real record's references repeated to a set length.

The real 597-reference review (32051057) is copied with its ``<Reference>`` elements
repeated in order until the list is 5,000 or 20,000 long, under a PMID of its own so the
copy is cached and served beside the original.  Everything in the copy is real material;
only the length is made up.  The copies are built at run time and never committed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pubmed"
SOURCE = "32051057"
# PMIDs no real record has (NCBI's are far below 99,000,000): 990 + the length.
SYNTHETIC_PMID = {5000: "99005000", 20000: "99020000"}


@dataclass(frozen=True)
class Review:
    """A record the benchmark opens, and the strings its first paint must show."""

    pmid: str
    references: int
    xml: bytes  # a PubmedArticleSet holding just this record
    expected: tuple[str, ...]  # title, abstract and first reference, as shown


def _words(text: str, count: int) -> str:
    return " ".join(text.split()[:count])


def _parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def expected_strings(article: etree._Element) -> tuple[str, ...]:
    """Openings short enough not to wrap: the title, the abstract, the first reference."""
    title = _text(article, ".//ArticleTitle")
    abstract = _text(article, ".//Abstract/AbstractText")
    first = _text(article, ".//ReferenceList/Reference/Citation")
    return (_words(title, 4), _words(abstract, 4), _words(first, 3))


def _text(article: etree._Element, path: str) -> str:
    found = article.find(path)
    if found is None:
        raise ValueError(f"the record has no {path}")
    return str(etree.tostring(found, method="text", encoding="unicode", with_tail=False))


def real_review(pmid: str = SOURCE) -> Review:
    xml = (FIXTURES / f"{pmid}.xml").read_bytes()
    article = _parse(xml).find("PubmedArticle")
    assert article is not None
    count = len(article.findall(".//ReferenceList/Reference"))
    return Review(pmid, count, xml, expected_strings(article))


def long_review(length: int) -> Review:
    """The source review with its references repeated to ``length`` entries."""
    root = _parse((FIXTURES / f"{SOURCE}.xml").read_bytes())
    article = root.find("PubmedArticle")
    assert article is not None
    pmid = SYNTHETIC_PMID.get(length, f"99{length:06d}")
    pmid_el = article.find("./MedlineCitation/PMID")
    assert pmid_el is not None
    pmid_el.text = pmid
    ids = article.find("./PubmedData/ArticleIdList")
    assert ids is not None
    for aid in list(ids):
        # The copy keeps no DOI or PMC ID, so looking those up still finds the original.
        if aid.get("IdType") == "pubmed":
            aid.text = pmid
        else:
            ids.remove(aid)
    for eloc in article.findall(".//ELocationID"):
        eloc.getparent().remove(eloc)  # type: ignore[union-attr]
    listing = article.find("./PubmedData/ReferenceList")
    assert listing is not None
    originals = list(listing.iterchildren("Reference"))
    for index in range(len(originals), length):
        listing.append(copy.deepcopy(originals[index % len(originals)]))
    xml = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Review(pmid, length, xml, expected_strings(article))
