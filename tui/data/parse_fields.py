"""The parts of a record that journal articles and books share, read to PubMed's DTD.

Each function takes the element the DTD puts the part in and returns model values, so
the article and book readers differ only in where they look.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree

from tui.data.model import (
    AbstractSection,
    Author,
    Chemical,
    Correction,
    KeywordList,
    OtherAbstract,
    Reference,
)
from tui.data.model_publication import Grant, HistoryDate, Tagged
from tui.data.parse_xml import doi, flat, full_date, ids, orcid, pmcid, texts, value
from tui.data.text import clean_or_none, clean_text

_Element = etree._Element
# CommentsCorrections of this type list what the article cites (old MEDLINE records),
# not a comment or correction; the reference list is where citations belong.
_NOT_CORRECTIONS = frozenset({"Cites"})


def authors(author_list: _Element | None) -> tuple[Author, ...]:
    """The valid names of an AuthorList, people and groups in order."""
    if author_list is None:
        return ()
    found = []
    for el in author_list.iterfind("Author"):
        if el.get("ValidYN") == "N":  # a name the journal later corrected
            continue
        ids_ = (orcid(i.text) for i in el.iterfind("Identifier[@Source='ORCID']"))
        author = Author(
            last=clean_or_none(el.findtext("LastName")),
            fore=clean_or_none(el.findtext("ForeName")),
            initials=clean_or_none(el.findtext("Initials")),
            collective=clean_or_none(flat(el.find("CollectiveName"))),
            affiliations=tuple(texts(el.iterfind("AffiliationInfo/Affiliation"))),
            orcid=next((o for o in ids_ if o), None),
            suffix=clean_or_none(el.findtext("Suffix")),
        )
        if author.last or author.fore or author.collective:
            found.append(author)
    return tuple(found)


def author_list(owner: _Element, kind: str) -> _Element | None:
    """The owner's AuthorList of one Type ("authors" is the DTD's default)."""
    return next((a for a in owner.iterfind("AuthorList") if a.get("Type", "authors") == kind), None)


def abstract(el: _Element | None) -> tuple[AbstractSection, ...]:
    if el is None:
        return ()
    sections = []
    for part in el.iterfind("AbstractText"):
        label = clean_or_none(part.get("Label"))
        text = flat(part)
        if text or label:
            sections.append(AbstractSection(label=label, text=text))
    return tuple(sections)


def other_abstracts(citation: _Element) -> tuple[OtherAbstract, ...]:
    """OtherAbstract elements: translations and publisher or consumer abstracts."""
    found = []
    for el in citation.iterfind("OtherAbstract"):
        sections = abstract(el)
        text = " ".join(f"{s.label}: {s.text}" if s.label else s.text for s in sections)
        if text:
            found.append(
                OtherAbstract(
                    type=clean_or_none(el.get("Type")),
                    language=clean_or_none(el.get("Language")),
                    text=clean_text(text),
                )
            )
    return tuple(found)


def keywords(owner: _Element) -> tuple[str, ...]:
    """Every keyword once, whatever its list, in order (the case of the first kept)."""
    seen: dict[str, str] = {}
    for word in texts(owner.iterfind("KeywordList/Keyword")):
        seen.setdefault(word.casefold(), word)
    return tuple(seen.values())


def keyword_lists(owner: _Element) -> tuple[KeywordList, ...]:
    """Each KeywordList as PubMed has it, with its owner (the DTD's default is NOTNLM)."""
    found = []
    for el in owner.iterfind("KeywordList"):
        words = tuple(texts(el.iterfind("Keyword")))
        if words:
            found.append(KeywordList(clean_text(el.get("Owner") or "") or "NOTNLM", words))
    return tuple(found)


def references(
    owner: _Element | None, read: Mapping[_Element, tuple[Reference, ...]] | None = None
) -> tuple[Reference, ...]:
    """The owner's reference list; ``read`` holds lists already read while the answer
    was parsed (:mod:`tui.data.parse_stream`), whose elements are gone from the tree."""
    if owner is None:
        return ()
    if read is not None and owner in read:
        return read[owner]
    # ReferenceList may nest (titled sub-lists); iter() walks them in document order.
    found = (reference(r) for top in owner.iterfind("ReferenceList") for r in top.iter("Reference"))
    return tuple(ref for ref in found if ref is not None)


def reference(el: _Element) -> Reference | None:
    """One ``<Reference>``; None when it names nothing.

    Its first Citation and first ArticleIdList are found in one pass over its children
    rather than with ``find`` (a path lookup in Python each): a long review has 20,000
    of these to read before its first paint.
    """
    citation: _Element | None = None
    id_list: _Element | None = None
    for kid in el:
        tag = kid.tag
        if tag == "Citation":
            if citation is None:
                citation = kid
        elif tag == "ArticleIdList" and id_list is None:
            id_list = kid
    text = flat(citation)
    found = ids(id_list)
    pmid = found.get("pubmed")
    if pmid is not None and not pmid.isdigit():
        pmid = None
    ref_doi = doi(found.get("doi"))
    ref_pmcid = pmcid(found.get("pmc"))
    if text or ref_doi or pmid or ref_pmcid:
        return Reference(citation=text, doi=ref_doi, pmid=pmid, pmcid=ref_pmcid)
    return None


def grants(owner: _Element) -> tuple[Grant, ...]:
    found = []
    for el in owner.iterfind("GrantList/Grant"):
        grant = Grant(
            id=value(el, "GrantID"),
            agency=value(el, "Agency"),
            country=value(el, "Country"),
            acronym=value(el, "Acronym"),
        )
        if grant.id or grant.agency:
            found.append(grant)
    return tuple(found)


def corrections(citation: _Element) -> tuple[Correction, ...]:
    """Comments, errata, retractions, concerns and updates, in the record's order."""
    found = []
    for el in citation.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        kind = clean_text(el.get("RefType") or "")
        source = value(el, "RefSource")
        pmid = clean_text(el.findtext("PMID") or "")
        if kind and kind not in _NOT_CORRECTIONS and (source or pmid):
            found.append(Correction(kind, source or "", pmid if pmid.isdigit() else None))
    return tuple(found)


def chemicals(citation: _Element) -> tuple[Chemical, ...]:
    found = []
    for el in citation.iterfind("ChemicalList/Chemical"):
        name = value(el, "NameOfSubstance")
        if name:
            found.append(Chemical(name, value(el, "RegistryNumber")))
    return tuple(found)


def tagged(elements: Iterable[_Element], kind: str) -> tuple[Tagged, ...]:
    """(type, value) pairs of ELocationIDs (``EIdType``) or ArticleIds (``IdType``)."""
    found = []
    for el in elements:
        text = clean_text(el.text or "")
        if text and el.get("ValidYN") != "N":
            found.append(Tagged(clean_text(el.get(kind) or ""), text))
    return tuple(found)


def history(data: _Element) -> tuple[HistoryDate, ...]:
    found = []
    for el in data.iterfind("History/PubMedPubDate"):
        date = full_date(el, clock=True)
        status = clean_text(el.get("PubStatus") or "")
        if date and status:
            found.append(HistoryDate(status, date))
    return tuple(found)


def elocation_doi(owner: _Element) -> str | None:
    found = (doi(e.text) for e in owner.iterfind("ELocationID[@EIdType='doi']"))
    return next((d for d in found if d), None)
