"""Read E-utilities XML answers into records, refusing anything that is not one.

Callers import :mod:`tui.data.parse`, which loads this module (and lxml) on the first
answer to read.  The safe reading itself lives in :mod:`tui.data.parse_xml`, the shared
record parts in :mod:`tui.data.parse_fields`, MeSH in :mod:`tui.data.parse_mesh` and
Bookshelf records in :mod:`tui.data.parse_book`; this module reads journal articles to
PubMed's DTD (``pubmed_250101.dtd``) and offers the three entry points the service calls.
"""

from __future__ import annotations

from lxml import etree

from tui.data import parse_fields as part
from tui.data.errors import BadResponseError, ParseError
from tui.data.model import Record
from tui.data.model_publication import Journal
from tui.data.parse_book import book_record
from tui.data.parse_mesh import mesh
from tui.data.parse_stream import Lists, load_streaming
from tui.data.parse_xml import (
    child,
    date_words,
    doi,
    flat,
    full_date,
    ids,
    iso_date,
    load,
    pmcid,
    reading,
    tag_name,
    texts,
    value,
)
from tui.data.text import clean_or_none, clean_text

_Element = etree._Element
_load = load  # the name other modules import
_SET_ROOTS = frozenset({"PubmedArticleSet", "PubmedBookArticleSet"})
_ARTICLES = frozenset({"PubmedArticle", "PubmedBookArticle"})


@reading("PubMed answer")
def parse_pubmed(xml: bytes) -> list[Record]:
    """The records of an efetch answer in document order; [] for an empty set.

    efetch answers an unknown PMID with an empty set, so [] is the caller's "not found";
    anything that is not a PubmedArticleSet (an HTML error page, a JSON rate-limit body,
    a truncated download) is a ParseError rather than silently no records.
    """
    root, lists = load_streaming(xml)
    return [_record(el, lists) for el in _articles(root)]


@reading("PubMed answer")
def split_pubmed(xml: bytes) -> dict[str, bytes]:
    """PMID -> a standalone one-article PubmedArticleSet, for caching batched answers.

    One efetch call fetches many records; the cache keeps each under its own PMID, and
    each piece must read back through :func:`parse_pubmed` exactly like the whole.
    """
    pieces: dict[str, bytes] = {}
    for el in _articles(load(xml)):
        body = etree.tostring(el, encoding="utf-8", xml_declaration=False, with_tail=False)
        pieces.setdefault(
            _pmid(el),
            b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>'
            + body
            + b"</PubmedArticleSet>\n",
        )
    return pieces


@reading("search answer")
def parse_esearch(xml: bytes) -> list[str]:
    """The PMIDs of an esearch answer, in the service's order.

    NCBI reports a bad query inside a 200 answer as an <ERROR> element; that becomes a
    BadResponseError carrying NCBI's own words.
    """
    root = load(xml)
    if root.tag != "eSearchResult":
        raise ParseError(f"Expected an eSearchResult, the service sent <{tag_name(root)}>")
    error = root.find("ERROR")
    if error is not None:
        raise BadResponseError(clean_text(flat(error)) or "The search failed")
    ids = (clean_text(el.text or "") for el in root.iterfind("IdList/Id"))
    return [i for i in ids if i]


def _articles(root: _Element) -> list[_Element]:
    """The article elements of a PubmedArticleSet; ParseError for any other document."""
    if root.tag not in _SET_ROOTS:
        said = clean_text(root.findtext("ERROR") or "")[:160]
        detail = f": {said}" if said else ""
        raise ParseError(
            f"Expected a PubmedArticleSet, the service sent <{tag_name(root)}>{detail}"
        )
    return [el for el in root if el.tag in _ARTICLES]


def _pmid(article: _Element) -> str:
    text = article.findtext("MedlineCitation/PMID") or article.findtext("BookDocument/PMID")
    pmid = clean_text(text or "")
    if not pmid.isdigit():
        raise ParseError("An article in the answer has no PMID")
    return pmid


def _journal(article: _Element, citation: _Element) -> Journal:
    journal = child(article, "Journal")
    info = child(citation, "MedlineJournalInfo")
    pages = clean_or_none(article.findtext("Pagination/MedlinePgn"))
    if pages is None:
        start = clean_text(article.findtext("Pagination/StartPage") or "")
        end = clean_text(article.findtext("Pagination/EndPage") or "")
        pages = f"{start}-{end}" if start and end else (start or None)
    issn = journal.find("ISSN")
    return Journal(
        title=clean_or_none(flat(journal.find("Title"))),
        iso_abbrev=value(journal, "ISOAbbreviation"),
        volume=value(journal, "JournalIssue/Volume"),
        issue=value(journal, "JournalIssue/Issue"),
        pages=pages,
        issn=value(journal, "ISSN"),
        issn_type=clean_or_none(issn.get("IssnType")) if issn is not None else None,
        issn_linking=value(info, "ISSNLinking"),
        medline_ta=value(info, "MedlineTA"),
        nlm_id=value(info, "NlmUniqueID"),
        country=value(info, "Country"),
    )


def _record(el: _Element, lists: Lists) -> Record:
    pmid = _pmid(el)
    if el.tag == "PubmedBookArticle":
        return book_record(el, pmid, lists)
    citation = child(el, "MedlineCitation")
    article = child(citation, "Article")
    data = child(el, "PubmedData")
    found_ids = ids(data.find("ArticleIdList"))
    pub_date = article.find("Journal/JournalIssue/PubDate")
    electronic = article.find("ArticleDate[@DateType='Electronic']")
    published = iso_date(pub_date)
    if published is None:
        dates = sorted(
            article.iterfind("ArticleDate"), key=lambda d: d.get("DateType") != "Electronic"
        )
        published = next((p for p in map(iso_date, dates) if p), None)
    journal = _journal(article, citation)
    elocations = part.tagged(article.iterfind("ELocationID"), "EIdType")
    pii = next((e.value for e in elocations if e.type == "pii"), None)
    return Record(
        pmid=pmid,
        title=flat(article.find("ArticleTitle")) or flat(article.find("VernacularTitle")),
        doi=doi(found_ids.get("doi")) or part.elocation_doi(article),
        pmcid=pmcid(found_ids.get("pmc")),
        authors=part.authors(article.find("AuthorList")),
        journal=journal,
        published=published,
        publication_types=tuple(texts(article.iterfind("PublicationTypeList/PublicationType"))),
        abstract=part.abstract(article.find("Abstract")),
        keywords=part.keywords(citation),
        mesh=mesh(citation),
        coi=clean_or_none(flat(citation.find("CoiStatement"))),
        references=part.references(data, lists),
        published_as=date_words(pub_date),
        epub=full_date(electronic),
        article_number=pii if journal.pages is None else None,
        elocations=elocations,
        languages=tuple(texts(article.iterfind("Language"))),
        grants=part.grants(article),
        corrections=part.corrections(citation),
        chemicals=part.chemicals(citation),
        copyright=value(article, "Abstract/CopyrightInformation"),
        vernacular_title=value(article, "VernacularTitle"),
        other_abstracts=part.other_abstracts(citation),
        keyword_lists=part.keyword_lists(citation),
        owner=clean_or_none(citation.get("Owner")),
        status=clean_or_none(citation.get("Status")),
        date_completed=full_date(citation.find("DateCompleted")),
        date_revised=full_date(citation.find("DateRevised")),
        subsets=tuple(texts(citation.iterfind("CitationSubset"))),
        history=part.history(data),
        publication_status=value(data, "PublicationStatus"),
        article_ids=part.tagged(data.iterfind("ArticleIdList/ArticleId"), "IdType"),
    )
