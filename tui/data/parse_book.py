"""NCBI Bookshelf records (``PubmedBookArticle``): whole books and their chapters.

A chapter (a GeneReviews entry) has its own title and authors inside a book with
editors; a whole book has no ArticleTitle and its authors sit on the Book itself
(``Book/AuthorList``).  Either way the book stands in for the journal.
"""

from __future__ import annotations

from lxml import etree

from tui.data import parse_fields as part
from tui.data.model import Book, Record
from tui.data.model_publication import Journal
from tui.data.parse_stream import Lists
from tui.data.parse_xml import (
    child,
    date_words,
    doi,
    flat,
    full_date,
    ids,
    iso_date,
    pmcid,
    texts,
    value,
)
from tui.data.text import clean_or_none

_Element = etree._Element


def book_record(el: _Element, pmid: str, lists: Lists | None = None) -> Record:
    doc = child(el, "BookDocument")
    book_el = child(doc, "Book")
    data = child(el, "PubmedBookData")
    found_ids = ids(doc.find("ArticleIdList")) | ids(data.find("ArticleIdList"))
    book_title = flat(book_el.find("BookTitle"))
    chapter_title = flat(doc.find("ArticleTitle"))
    book_authors = part.authors(part.author_list(book_el, "authors"))
    editors = part.authors(part.author_list(doc, "editors")) or part.authors(
        part.author_list(book_el, "editors")
    )
    authors = part.authors(part.author_list(doc, "authors"))
    whole = not chapter_title
    if whole and not authors:
        authors = book_authors
    book = Book(
        title=book_title or None,
        publisher=value(book_el, "Publisher/PublisherName"),
        location=value(book_el, "Publisher/PublisherLocation"),
        edition=value(book_el, "Edition"),
        volume=value(book_el, "Volume"),
        isbn=tuple(texts(book_el.iterfind("Isbn"))),
        authors=book_authors,
        editors=editors,
        whole=whole,
    )
    abstract_el = doc.find("Abstract")
    article_ids = part.tagged(doc.iterfind("ArticleIdList/ArticleId"), "IdType")
    article_ids += tuple(
        t
        for t in part.tagged(data.iterfind("ArticleIdList/ArticleId"), "IdType")
        if t not in article_ids
    )
    return Record(
        pmid=pmid,
        title=chapter_title or flat(doc.find("VernacularTitle")) or book_title,
        doi=doi(found_ids.get("doi")) or part.elocation_doi(book_el),
        pmcid=pmcid(found_ids.get("pmc")),
        authors=authors,
        journal=Journal(title=book_title or None, volume=book.volume),
        published=iso_date(book_el.find("PubDate")),
        publication_types=tuple(texts(doc.iterfind("PublicationType"))),
        abstract=part.abstract(abstract_el),
        keywords=part.keywords(doc),
        references=part.references(doc, lists),
        book=book,
        published_as=date_words(book_el.find("PubDate")),
        elocations=part.tagged(book_el.iterfind("ELocationID"), "EIdType"),
        languages=tuple(texts(doc.iterfind("Language"))),
        grants=part.grants(doc),
        copyright=clean_or_none(flat(abstract_el.find("CopyrightInformation")))
        if abstract_el is not None
        else None,
        vernacular_title=value(doc, "VernacularTitle"),
        keyword_lists=part.keyword_lists(doc),
        date_revised=full_date(doc.find("DateRevised")),
        history=part.history(data),
        publication_status=value(data, "PublicationStatus"),
        article_ids=article_ids,
    )
