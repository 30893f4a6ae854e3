"""Read a JATS article (Europe PMC ``fullTextXML``, NCBI ``efetch db=pmc``) into a model.

The XML is untrusted exactly as PubMed's is, so it goes through the PubMed parser's own
hardened loader (no entities resolved, no DTD loaded, no network, entity declarations
refused, control characters and escapes scrubbed from the bytes).  An article with
front matter but no ``<body>`` is what PMC sends for papers outside the open-access
subset; that is :class:`MetadataOnly`, not an error, so the reader can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from tui.data import parse_xml
from tui.data.errors import ParseError
from tui.data.fulltext_model import FullText, JatsReference
from tui.data.jats_blocks import BlockBuilder
from tui.data.jats_inline import XLINK, RefOrder, flat, local
from tui.data.model import Reference
from tui.data.text import clean_or_none, clean_text

_Element = etree._Element
_CC = re.compile(r"creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)?", re.I)
_PMID = re.compile(r"^\d{1,9}$")
_DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/\S+")
_CITATIONS = frozenset({"mixed-citation", "element-citation", "citation", "nlm-citation"})


class NoArticleError(ParseError):
    """A well-formed PMC answer holding no article: PMC does not know the PMC ID."""


@dataclass(frozen=True, slots=True)
class MetadataOnly:
    """PMC knows the article but shares only its front matter (no open-access text).

    ``known`` is False for PMC's answer naming no article at all (an unknown PMC ID).
    """

    pmcid: str | None
    title: str
    known: bool = True


@parse_xml.reading("full text")
def parse_jats(xml: bytes, source: str) -> FullText | MetadataOnly:
    """The article's text, or MetadataOnly; ParseError for anything that is not JATS."""
    article = find_article(parse_xml.load(xml))
    front = article.find("{*}front")
    meta = front.find("{*}article-meta") if front is not None else None
    pmcid = article_pmcid(meta)
    title = flat(meta.find("{*}title-group/{*}article-title")) if meta is not None else ""
    body = article.find("{*}body")
    if body is None or not any(local(c) for c in body):
        return MetadataOnly(pmcid, title)
    refs = references(article)
    order = RefOrder([r.rid for r in refs], {r.rid: r.label or "" for r in refs})
    builder = BlockBuilder(pmcid, order)
    builder.body(body)
    back = article.find("{*}back")
    if back is not None:
        builder.back(back)
    # Publishers that keep figures and tables apart from the text put them here.
    for floats in article.iterfind("{*}floats-group"):
        builder.container(floats, depth=1, level=0)
    name, url = license_of(meta)
    return FullText(
        pmcid=pmcid,
        source=source,
        title=title,
        license=name,
        license_url=url,
        blocks=tuple(builder.blocks),
        sections=tuple(builder.sections),
        jats_references=refs,
    )


def find_article(root: _Element) -> _Element:
    """The ``<article>`` itself, inside a pmc-articleset or an OAI-PMH envelope."""
    if local(root) == "article":
        return root
    if local(root) not in ("pmc-articleset", "OAI-PMH"):
        raise ParseError(f"Expected a JATS article, the service sent <{local(root)[:40]}>")
    for el in root.iter("{*}article"):
        return el
    error = clean_text("".join(map(str, root.itertext())))[:160]
    raise NoArticleError(f"PMC sent no article{': ' + error if error else ''}")


def article_pmcid(meta: _Element | None) -> str | None:
    if meta is None:
        return None
    for el in meta.iterfind("{*}article-id"):
        if el.get("pub-id-type") in ("pmc", "pmcid", "pmcaid"):
            digits = "".join(ch for ch in clean_text(el.text or "") if ch.isdigit())
            if digits:
                return f"PMC{digits}"
    return None


def article_ids(meta: _Element | None) -> dict[str, str]:
    """pub-id-type -> value of the article's own ids (pmid, doi, pmc...)."""
    found: dict[str, str] = {}
    for el in meta.iterfind("{*}article-id") if meta is not None else ():
        value = clean_text(el.text or "")
        if value:
            found.setdefault(el.get("pub-id-type", ""), value)
    return found


def license_of(meta: _Element | None) -> tuple[str | None, str | None]:
    """("CC BY 4.0", its URL) when the licence names a Creative Commons one, else its text."""
    if meta is None:
        return None, None
    lic = meta.find("{*}permissions/{*}license")
    if lic is None:
        statement = flat(meta.find("{*}permissions/{*}copyright-statement"))
        return (statement or None), None
    url = lic.get(XLINK + "href") or next(
        (clean_text(r.text or "") for r in lic.iter("{*}license_ref")), None
    )
    text = " ".join(flat(p) for p in lic.iterfind("{*}license-p")).strip()
    if url is None:
        found = next((x.get(XLINK + "href") for x in lic.iter("{*}ext-link")), None)
        url = found if found and "creativecommons" in found else None
    match = _CC.search(url or "") or _CC.search(text)
    if match:
        kind = match.group(2).lower()
        name = "CC0" if kind == "zero" else "CC " + kind.upper()
        name = f"{name} {match.group(3)}" if match.group(3) else name
        return name, clean_or_none(url)
    return (text or clean_or_none(lic.get("license-type"))), clean_or_none(url)


# -- the article's own reference list --------------------------------------------------


def references(article: _Element) -> tuple[JatsReference, ...]:
    back = article.find("{*}back")
    if back is None:
        return ()
    found: list[JatsReference] = []
    seen: set[str] = set()
    for ref in back.iter("{*}ref"):
        rid = clean_text(ref.get("id") or "")
        if not rid or rid in seen:
            continue
        seen.add(rid)
        found.append(JatsReference(rid, clean_or_none(flat(ref.find("{*}label"))), _ref(ref)))
    return tuple(found)


def _ref(ref: _Element) -> Reference:
    cits = [c for c in ref.iter() if local(c) in _CITATIONS]
    ids: dict[str, str] = {}
    for cit in cits:
        for pid in cit.iter("{*}pub-id"):
            value = clean_text(pid.text or "")
            if value:
                ids.setdefault(pid.get("pub-id-type", ""), value)
        for link in cit.iter("{*}ext-link"):
            href = link.get(XLINK + "href") or ""
            if "doi.org/10." in href:
                ids.setdefault("doi", href)
    pmid = ids.get("pmid")
    pmcid = "".join(ch for ch in ids.get("pmcid", ids.get("pmc", "")) if ch.isdigit())
    # citation-alternatives holds the same work twice: the publisher's punctuated text
    # reads best; an element citation is assembled only when it is all there is.
    cits.sort(key=lambda c: local(c) != "mixed-citation")
    text = next((t for t in map(_citation_text, cits) if t), "")
    if "doi" not in ids:
        found = _DOI_IN_TEXT.search(text)
        if found:
            ids["doi"] = found.group(0).rstrip(".,;)")
    return Reference(
        citation=text,
        doi=parse_xml.doi(ids.get("doi")),
        pmid=pmid if pmid and _PMID.match(pmid) else None,
        pmcid=f"PMC{pmcid}" if pmcid else None,
    )


def _citation_text(cit: _Element) -> str:
    """A mixed citation as punctuated by the publisher; an element citation assembled.

    Some publishers tag a "mixed" citation without any punctuation between its parts;
    that one is assembled too, or its parts would run together ("RibasA.2018Cancer").
    """
    between = (cit.text or "") + "".join(c.tail or "" for c in cit)
    if local(cit) == "mixed-citation" and len(between.strip()) >= 3:
        return flat(cit)
    names = []
    groups = [*cit.iter("{*}person-group")] or [cit]
    for group in groups:
        for person in group:
            if local(person) == "name" or person.find("{*}surname") is not None:
                surname = flat(person.find("{*}surname"))
                given = flat(person.find("{*}given-names"))
                names.append(f"{surname} {given}".strip())
            elif local(person) in ("collab", "string-name", "name"):
                names.append(flat(person))
            elif local(person) == "etal":
                names.append("et al.")
    if groups[0] is not cit:
        names.extend(flat(collab) for collab in cit.iterfind("{*}collab"))
    parts = [", ".join(n for n in names if n)]
    for tag in ("article-title", "chapter-title", "source"):
        parts.append(flat(cit.find("{*}" + tag)))
    year = flat(cit.find("{*}year"))
    volume, issue = flat(cit.find("{*}volume")), flat(cit.find("{*}issue"))
    first, last = flat(cit.find("{*}fpage")), flat(cit.find("{*}lpage"))
    where = volume + (f"({issue})" if issue else "")
    pages = f"{first}–{last}" if first and last else first or flat(cit.find("{*}elocation-id"))
    tail = year + (f";{where}" if where else "") + (f":{pages}" if pages else "")
    parts.append(tail)
    parts.append(flat(cit.find("{*}comment")))
    if not any(parts):
        return flat(cit)
    return ". ".join(p.rstrip(". ") for p in parts if p) + "."
