"""Read E-utilities XML answers into records, refusing anything that is not one.

The answer is untrusted input: the parser never resolves entities, loads a DTD or goes to
the network, and a document that declares entities is refused outright.  Whatever goes
wrong while reading ends as :class:`ParseError` so callers deal with one error type.
Every string a record holds has been through :func:`clean_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import ParamSpec, TypeVar

from lxml import etree

from tui.data.errors import BadResponseError, ParseError, PubtermError
from tui.data.model import AbstractSection, Author, Journal, MeshHeading, Record, Reference
from tui.data.text import clean_or_none, clean_text

_Element = etree._Element
_P = ParamSpec("_P")
_T = TypeVar("_T")

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)
_SET_ROOTS = frozenset({"PubmedArticleSet", "PubmedBookArticleSet"})
_ARTICLES = frozenset({"PubmedArticle", "PubmedBookArticle"})
_MATHML = "{http://www.w3.org/1998/Math/MathML}"
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_YEAR = re.compile(r"\b(\d{4})\b")
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])")
_DOI_PREFIX = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
# C0 controls XML 1.0 forbids, and the 7-bit escape sequences they introduce.  The
# character classes leave out "<" and "&" so a removal can never eat into markup.
_BAD_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BYTE_ESCAPES = re.compile(
    rb"\x1b\[[\x30-\x3b\x3d-\x3f]*[\x20-\x25\x27-\x2f]*[\x40-\x7e]?"
    rb"|\x1b\][^\x07\x1b<]*(?:\x07|\x1b\\)?"
    rb"|\x1b[PX^_][^\x1b<]*(?:\x1b\\)?"
    rb"|\x1b[\x20-\x25\x27-\x2f]*[\x30-\x3b\x3d-\x7e]"
)


def _scrub(xml: bytes) -> bytes:
    """The bytes without control characters and the escape sequences they start.

    XML 1.0 forbids these bytes, so one stray control character would otherwise make a
    whole batch of records unreadable; removing the escape sequences with them keeps
    their parameters ("[31m") out of the text.  Bytes below 0x20 never occur inside a
    multi-byte UTF-8 character, so this is safe on the UTF-8 that E-utilities sends.
    """
    if xml.startswith((b"\xff\xfe", b"\xfe\xff")) or _BAD_BYTES.search(xml) is None:
        return xml
    return _BAD_BYTES.sub(b"", _BYTE_ESCAPES.sub(b"", xml))


def _load(xml: bytes) -> _Element:
    """The root element of a safely parsed document, or ParseError."""
    if not xml or not xml.strip():
        raise ParseError("The service sent an empty answer instead of XML")
    xml = _scrub(xml)
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as err:
        why = clean_text(str(err.msg))[:120]
        raise ParseError(f"The service sent something that is not valid XML ({why})") from None
    dtd = root.getroottree().docinfo.internalDTD
    entities = getattr(dtd, "iterentities", None)  # missing from the lxml stubs
    if entities is not None and any(True for _ in entities()):
        raise ParseError("The answer declares XML entities; refusing to read it")
    return root


def _reading(what: str) -> Callable[[Callable[_P, _T]], Callable[_P, _T]]:
    """Turn any surprise while reading hostile input into a ParseError."""

    def wrap(read: Callable[_P, _T]) -> Callable[_P, _T]:
        @wraps(read)
        def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _T:
            try:
                return read(*args, **kwargs)
            except PubtermError:
                raise
            except Exception as err:
                raise ParseError(f"The {what} could not be read ({type(err).__name__})") from None

        return guarded

    return wrap


@_reading("PubMed answer")
def parse_pubmed(xml: bytes) -> list[Record]:
    """The records of an efetch answer in document order; [] for an empty set.

    efetch answers an unknown PMID with an empty set, so [] is the caller's "not found";
    anything that is not a PubmedArticleSet (an HTML error page, a JSON rate-limit body,
    a truncated download) is a ParseError rather than silently no records.
    """
    return [_record(el) for el in _articles(_load(xml))]


@_reading("PubMed answer")
def split_pubmed(xml: bytes) -> dict[str, bytes]:
    """PMID -> a standalone one-article PubmedArticleSet, for caching batched answers.

    One efetch call fetches many records; the cache keeps each under its own PMID, and
    each piece must read back through :func:`parse_pubmed` exactly like the whole.
    """
    pieces: dict[str, bytes] = {}
    for el in _articles(_load(xml)):
        body = etree.tostring(el, encoding="utf-8", xml_declaration=False, with_tail=False)
        pieces.setdefault(
            _pmid(el),
            b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>'
            + body
            + b"</PubmedArticleSet>\n",
        )
    return pieces


@_reading("search answer")
def parse_esearch(xml: bytes) -> list[str]:
    """The PMIDs of an esearch answer, in the service's order.

    NCBI reports a bad query inside a 200 answer as an <ERROR> element; that becomes a
    BadResponseError carrying NCBI's own words.
    """
    root = _load(xml)
    if root.tag != "eSearchResult":
        raise ParseError(f"Expected an eSearchResult, the service sent <{_tag(root)}>")
    error = root.find("ERROR")
    if error is not None:
        raise BadResponseError(clean_text(_flat(error)) or "The search failed")
    ids = (clean_text(el.text or "") for el in root.iterfind("IdList/Id"))
    return [i for i in ids if i]


def _tag(el: _Element) -> str:
    return clean_text(str(el.tag))[:40] if isinstance(el.tag, str) else "?"


def _articles(root: _Element) -> list[_Element]:
    """The article elements of a PubmedArticleSet; ParseError for any other document."""
    if root.tag not in _SET_ROOTS:
        said = clean_text(root.findtext("ERROR") or "")[:160]
        detail = f": {said}" if said else ""
        raise ParseError(f"Expected a PubmedArticleSet, the service sent <{_tag(root)}>{detail}")
    return [el for el in root if el.tag in _ARTICLES]


def _pmid(article: _Element) -> str:
    text = article.findtext("MedlineCitation/PMID") or article.findtext("BookDocument/PMID")
    pmid = clean_text(text or "")
    if not pmid.isdigit():
        raise ParseError("An article in the answer has no PMID")
    return pmid


# --- text ------------------------------------------------------------------------------


def _flat(el: _Element | None) -> str:
    """All text inside an element, inline markup and MathML flattened, then cleaned."""
    if el is None:
        return ""
    if len(el) == 0:
        return clean_text(el.text or "")
    parts: list[str] = []
    _collect(el, parts)
    return clean_text("".join(parts))


def _collect(el: _Element, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            if child.tag.startswith(_MATHML):
                _math(child, parts)
            else:
                _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _math(el: _Element, parts: list[str]) -> None:
    """MathML as plain text: token contents only, prescripts before their base (³He)."""
    name = str(el.tag).removeprefix(_MATHML)
    if name in ("none", "mprescripts"):
        return
    kids = [k for k in el if isinstance(k.tag, str)]
    if name == "mmultiscripts":
        marks = [i for i, k in enumerate(kids) if k.tag == _MATHML + "mprescripts"]
        if marks:
            kids = kids[marks[0] + 1 :] + kids[: marks[0]]
    if el.text and (name == "mtext" or el.text.strip()):
        parts.append(el.text if name == "mtext" else el.text.strip())
    for kid in kids:
        _math(kid, parts)
        if kid.tail and kid.tail.strip():
            parts.append(kid.tail.strip())


def _texts(elements: Iterable[_Element]) -> list[str]:
    return [t for t in (_flat(el) for el in elements) if t]


# --- identifiers and dates -------------------------------------------------------------


def _doi(value: str | None) -> str | None:
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", "".join(clean_text(value).split()))
    return doi if doi.startswith("10.") else None


def _pmcid(value: str | None) -> str | None:
    digits = "".join(ch for ch in clean_text(value or "") if ch.isdigit())
    return f"PMC{digits}" if digits else None


def _orcid(value: str | None) -> str | None:
    match = _ORCID.search(clean_text(value or "").upper())
    return "-".join(match.groups()) if match else None


def _ids(id_list: _Element | None) -> dict[str, str]:
    """IdType -> first value of an ArticleIdList."""
    found: dict[str, str] = {}
    if id_list is not None:
        for el in id_list.iterfind("ArticleId"):
            kind = el.get("IdType", "")
            text = clean_text(el.text or "")
            if text and kind not in found:
                found[kind] = text
    return found


def _date(el: _Element | None) -> str | None:
    """An ISO date at the precision the record gives; seasons count as the year only."""
    if el is None:
        return None
    year = clean_text(el.findtext("Year") or "")
    if not (len(year) == 4 and year.isdigit()):
        match = _YEAR.search(el.findtext("MedlineDate") or "")
        return match.group(1) if match else None
    month_text = clean_text(el.findtext("Month") or "").lower()
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3], 0)
    if not 1 <= month <= 12:
        return year
    day_text = clean_text(el.findtext("Day") or "")
    day = int(day_text) if day_text.isdigit() else 0
    return f"{year}-{month:02d}-{day:02d}" if 1 <= day <= 31 else f"{year}-{month:02d}"


# --- record parts ----------------------------------------------------------------------


def _authors(author_list: _Element | None) -> tuple[Author, ...]:
    if author_list is None:
        return ()
    authors = []
    for el in author_list.iterfind("Author"):
        if el.get("ValidYN") == "N":  # a name the journal later corrected
            continue
        orcid = next(
            (o for o in (_orcid(i.text) for i in el.iterfind("Identifier[@Source='ORCID']")) if o),
            None,
        )
        author = Author(
            last=clean_or_none(el.findtext("LastName")),
            fore=clean_or_none(el.findtext("ForeName")),
            initials=clean_or_none(el.findtext("Initials")),
            collective=clean_or_none(_flat(el.find("CollectiveName"))),
            affiliations=tuple(_texts(el.iterfind("AffiliationInfo/Affiliation"))),
            orcid=orcid,
        )
        if author.last or author.fore or author.collective:
            authors.append(author)
    return tuple(authors)


def _abstract(el: _Element | None) -> tuple[AbstractSection, ...]:
    if el is None:
        return ()
    sections = []
    for part in el.iterfind("AbstractText"):
        label = clean_or_none(part.get("Label"))
        text = _flat(part)
        if text or label:
            sections.append(AbstractSection(label=label, text=text))
    return tuple(sections)


def _keywords(owner: _Element) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for word in _texts(owner.iterfind("KeywordList/Keyword")):
        seen.setdefault(word.casefold(), word)
    return tuple(seen.values())


def _mesh(citation: _Element) -> tuple[MeshHeading, ...]:
    headings = []
    for el in citation.iterfind("MeshHeadingList/MeshHeading"):
        descriptor = el.find("DescriptorName")
        name = _flat(descriptor)
        if descriptor is None or not name:
            continue
        qualifiers = el.findall("QualifierName")
        major = descriptor.get("MajorTopicYN") == "Y" or any(
            q.get("MajorTopicYN") == "Y" for q in qualifiers
        )
        headings.append(MeshHeading(name, major, tuple(_texts(qualifiers))))
    return tuple(headings)


def _references(owner: _Element | None) -> tuple[Reference, ...]:
    if owner is None:
        return ()
    refs = []
    # ReferenceList may nest (titled sub-lists); iter() walks them in document order.
    for el in (r for top in owner.iterfind("ReferenceList") for r in top.iter("Reference")):
        ids = _ids(el.find("ArticleIdList"))
        citation = _flat(el.find("Citation"))
        pmid = ids.get("pubmed")
        ref = Reference(
            citation=citation,
            doi=_doi(ids.get("doi")),
            pmid=pmid if pmid and pmid.isdigit() else None,
            pmcid=_pmcid(ids.get("pmc")),
        )
        if ref.citation or ref.doi or ref.pmid or ref.pmcid:
            refs.append(ref)
    return tuple(refs)


def _journal(article: _Element) -> Journal:
    journal = _child(article, "Journal")
    pages = clean_or_none(article.findtext("Pagination/MedlinePgn"))
    if pages is None:
        start = clean_text(article.findtext("Pagination/StartPage") or "")
        end = clean_text(article.findtext("Pagination/EndPage") or "")
        pages = f"{start}-{end}" if start and end else (start or None)
    return Journal(
        title=clean_or_none(_flat(journal.find("Title"))),
        iso_abbrev=clean_or_none(journal.findtext("ISOAbbreviation")),
        volume=clean_or_none(journal.findtext("JournalIssue/Volume")),
        issue=clean_or_none(journal.findtext("JournalIssue/Issue")),
        pages=pages,
        issn=clean_or_none(journal.findtext("ISSN")),
    )


def _child(el: _Element, path: str) -> _Element:
    """The element at ``path``, or an empty stand-in so optional parts need no checks."""
    found = el.find(path)
    return found if found is not None else etree.Element("missing")


def _elocation_doi(owner: _Element) -> str | None:
    found = (_doi(e.text) for e in owner.iterfind("ELocationID[@EIdType='doi']"))
    return next((d for d in found if d), None)


def _record(el: _Element) -> Record:
    pmid = _pmid(el)
    if el.tag == "PubmedBookArticle":
        return _book(el, pmid)
    citation = _child(el, "MedlineCitation")
    article = _child(citation, "Article")
    data = _child(el, "PubmedData")
    ids = _ids(data.find("ArticleIdList"))
    published = _date(article.find("Journal/JournalIssue/PubDate"))
    if published is None:
        dates = sorted(
            article.iterfind("ArticleDate"), key=lambda d: d.get("DateType") != "Electronic"
        )
        published = next((p for p in map(_date, dates) if p), None)
    return Record(
        pmid=pmid,
        title=_flat(article.find("ArticleTitle")) or _flat(article.find("VernacularTitle")),
        doi=_doi(ids.get("doi")) or _elocation_doi(article),
        pmcid=_pmcid(ids.get("pmc")),
        authors=_authors(article.find("AuthorList")),
        journal=_journal(article),
        published=published,
        publication_types=tuple(_texts(article.iterfind("PublicationTypeList/PublicationType"))),
        abstract=_abstract(article.find("Abstract")),
        keywords=_keywords(citation),
        mesh=_mesh(citation),
        coi=clean_or_none(_flat(citation.find("CoiStatement"))),
        references=_references(data),
    )


def _book(el: _Element, pmid: str) -> Record:
    """A GeneReviews-style book chapter: the book stands in for the journal."""
    doc = _child(el, "BookDocument")
    book = _child(doc, "Book")
    ids = _ids(doc.find("ArticleIdList")) | _ids(el.find("PubmedBookData/ArticleIdList"))
    book_title = _flat(book.find("BookTitle"))
    # The book's own AuthorList holds its editors; the chapter's holds its authors.
    lists = doc.iterfind("AuthorList")
    authors = next((a for a in lists if a.get("Type", "authors") == "authors"), None)
    return Record(
        pmid=pmid,
        title=_flat(doc.find("ArticleTitle")) or _flat(doc.find("VernacularTitle")) or book_title,
        doi=_doi(ids.get("doi")) or _elocation_doi(doc),
        pmcid=_pmcid(ids.get("pmc")),
        authors=_authors(authors),
        journal=Journal(title=book_title or None, volume=clean_or_none(book.findtext("Volume"))),
        published=_date(book.find("PubDate")),
        publication_types=tuple(_texts(doc.iterfind("PublicationType"))),
        abstract=_abstract(doc.find("Abstract")),
        keywords=_keywords(doc),
        references=_references(doc),
        book=True,
    )
