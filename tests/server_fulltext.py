"""The fixture server's full-text routes: Europe PMC ``fullTextXML`` and ``efetch db=pmc``.

Every JATS document in ``tests/fixtures/fulltext/`` is served at Europe PMC's path (an
``<article>`` document, as recorded where the recording is one) and through NCBI's
``efetch db=pmc`` (a ``<pmc-articleset>`` around it; the one recorded efetch answer is
served as it is).  The PubMed record of each article is built from its JATS front
matter, the way PubMed's own record of a PMC article carries the same title, authors,
journal, abstract, ids and reference list.  A document that names no PMID gets a
stand-in PMID, ``9`` followed by its PMC number padded to eight digits: nine digits, so
it can never be a real PMID.  A publisher's own JATS (no PMC ID) is not served: PMC
does not hold it; tests read it with the parser directly.  Tests can ask for cases the recordings lack, always built
from the recorded articles: the metadata-only answer PMC gives outside the open-access
subset (``<body>`` and ``<back>`` removed), an article Europe PMC does not have, and a
PubMed record without a reference list or with it in another order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

FULLTEXT = Path(__file__).resolve().parent / "fixtures" / "fulltext"
RECORDED_EFETCH = "efetch-pmc-PMC8435807-correction.xml"
PMC_HEAD = (FULLTEXT / RECORDED_EFETCH).read_bytes().split(b"<pmc-articleset>")[0]
XML, TEXT = "text/xml; charset=UTF-8", "text/plain; charset=UTF-8"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_EPMC = re.compile(r"/europepmc/webservices/rest/PMC(\d+)/fullTextXML")


@dataclass
class Article:
    """One served JATS article and the PubMed record built from it."""

    file: str
    pmcid: str  # "PMC1790863"
    pmid: str
    stand_in_pmid: bool
    document: bytes  # what Europe PMC's fullTextXML answers
    element: Any  # the <article> element


def _local(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _find(el: Any, *names: str) -> Any:
    """The first descendant along a path of local names (namespace-agnostic)."""
    for name in names:
        if el is None:
            return None
        el = next((c for c in el.iter("{*}" + name) if c is not el), None)
    return el


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _spaced(el: Any) -> str:
    """Text with a space between every piece, as PubMed shows an unpunctuated citation."""
    return " ".join(" ".join(el.itertext()).split())


def _ids(meta: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in meta.iterfind("{*}article-id"):
        found.setdefault(el.get("pub-id-type", ""), _text(el))
    return found


def load(path: Path) -> Article | None:
    """The article of a fixture file; None for a publisher's JATS, which has no PMC ID."""
    raw = path.read_bytes()
    root = etree.fromstring(raw, _PARSER)
    article = root if _local(root) == "article" else next(root.iter("{*}article"))
    meta = _find(article, "front", "article-meta")
    ids = _ids(meta)
    found = [re.sub(r"\D", "", ids[k]) for k in ("pmc", "pmcid", "pmc-uid", "pmcaid") if k in ids]
    if not found:
        return None
    digits = found[0]
    pmid = ids.get("pmid", "")
    document = raw if root is article else etree.tostring(article, encoding="utf-8")
    return Article(
        file=path.name,
        pmcid=f"PMC{digits}",
        pmid=pmid or f"9{int(digits):08d}",
        stand_in_pmid=not pmid,
        document=document,
        element=article,
    )


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    el = etree.SubElement(parent, tag, **attrs)
    if text:
        el.text = text
    return el


def pubmed_record(article: Article, *, references: str | None = "same") -> bytes:
    """A PubmedArticleSet holding the record built from the article's front matter.

    ``references`` is "same" (the JATS list in its order), "reversed", or None (none).
    """
    meta = _find(article.element, "front", "article-meta")
    journal = _find(article.element, "front", "journal-meta")
    top = etree.Element("PubmedArticleSet")
    pa = _sub(top, "PubmedArticle")
    mc = _sub(pa, "MedlineCitation", Status="PubMed-not-MEDLINE", Owner="NLM")
    _sub(mc, "PMID", article.pmid, Version="1")
    art = _sub(mc, "Article", PubModel="Electronic")
    jr = _sub(art, "Journal")
    issn = _find(journal, "issn")
    if issn is not None:
        _sub(jr, "ISSN", _text(issn), IssnType="Electronic")
    issue = _sub(jr, "JournalIssue", CitedMedium="Internet")
    for tag, name in (("Volume", "volume"), ("Issue", "issue")):
        value = meta.find("{*}" + name)
        if value is not None:
            _sub(issue, tag, _text(value))
    date = _sub(issue, "PubDate")
    pub = next((d for d in meta.iterfind("{*}pub-date") if d.find("{*}year") is not None), None)
    for tag in ("Year", "Month", "Day"):
        part = pub.find("{*}" + tag.lower()) if pub is not None else None
        if part is not None:
            _sub(date, tag, _text(part))
    _sub(jr, "Title", _text(_find(journal, "journal-title")))
    abbrev = journal.find("{*}journal-id[@journal-id-type='nlm-ta']")
    if abbrev is not None:
        _sub(jr, "ISOAbbreviation", _text(abbrev))
    _sub(art, "ArticleTitle", _text(_find(meta, "title-group", "article-title")))
    _abstract(art, meta)
    authors = _sub(art, "AuthorList", CompleteYN="Y")
    for contrib in meta.iter("{*}contrib"):
        if contrib.get("contrib-type") != "author":
            continue
        name, collab = contrib.find("{*}name"), contrib.find("{*}collab")
        au = _sub(authors, "Author", ValidYN="Y")
        if name is not None:
            _sub(au, "LastName", _text(name.find("{*}surname")))
            given = _text(name.find("{*}given-names"))
            if given:
                _sub(au, "ForeName", given)
                _sub(au, "Initials", "".join(w[0] for w in given.replace("-", " ").split()))
        elif collab is not None:
            _sub(au, "CollectiveName", _text(collab))
    types = _sub(art, "PublicationTypeList")
    _sub(types, "PublicationType", "Journal Article", UI="D016428")
    if article.element.get("article-type") == "review-article":
        _sub(types, "PublicationType", "Review", UI="D016454")
    data = _sub(pa, "PubmedData")
    idlist = _sub(data, "ArticleIdList")
    _sub(idlist, "ArticleId", article.pmid, IdType="pubmed")
    doi = _ids(meta).get("doi")
    if doi:
        _sub(idlist, "ArticleId", doi, IdType="doi")
    _sub(idlist, "ArticleId", article.pmcid, IdType="pmc")
    if references is not None:
        _references(data, article.element, reverse=references == "reversed")
    return b'<?xml version="1.0" ?>\n' + etree.tostring(top, encoding="utf-8")


def _abstract(art: Any, meta: Any) -> None:
    abstract = next((a for a in meta.iterfind("{*}abstract") if not a.get("abstract-type")), None)
    if abstract is None:
        return
    out = _sub(art, "Abstract")
    secs = abstract.findall("{*}sec")
    for sec in secs or [abstract]:
        text = " ".join(_text(p) for p in sec.iterfind("{*}p"))
        if text:
            label = _text(sec.find("{*}title")) if sec is not abstract else ""
            _sub(out, "AbstractText", text, **({"Label": label} if label else {}))


def _references(data: Any, article: Any, *, reverse: bool) -> None:
    back = article.find("{*}back")
    refs = list(back.iter("{*}ref")) if back is not None else []
    if not refs:
        return
    listing = _sub(data, "ReferenceList")
    for ref in reversed(refs) if reverse else refs:
        cits = [c for c in ref.iter("{*}mixed-citation", "{*}element-citation")]
        cits.sort(key=lambda c: _local(c) != "mixed-citation")
        entry = _sub(listing, "Reference")
        _sub(entry, "Citation", _spaced(cits[0]) if cits else _text(ref))
        ids = {p.get("pub-id-type"): _text(p) for c in cits for p in c.iter("{*}pub-id")}
        found = [
            (kind, ids[key]) for key, kind in (("pmid", "pubmed"), ("doi", "doi")) if ids.get(key)
        ]
        if found:
            idlist = _sub(entry, "ArticleIdList")
            for kind, value in found:
                _sub(idlist, "ArticleId", value, IdType=kind)


class FullTextRoutes:
    """The full-text part of one FixtureServer; off until a test calls :meth:`enable`."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.enabled = False
        self.articles: dict[str, Article] = {}  # PMC digits -> article
        self.metadata_only: set[str] = set()  # PMCIDs PMC shares front matter of only
        self.not_at_europepmc: set[str] = set()  # PMCIDs Europe PMC answers 404 for

    def enable(self, *, references: str | None = "same") -> dict[str, Article]:
        """Serve every JATS fixture and its built PubMed record; file name -> article."""
        by_file: dict[str, Article] = {}
        for path in sorted(FULLTEXT.iterdir()):
            article = load(path)
            if article is None:
                continue
            self.articles[article.pmcid.removeprefix("PMC")] = article
            by_file[path.name] = article
            with self.server._lock:
                self.server._index(pubmed_record(article, references=references))
        self.enabled = True
        return by_file

    def serve(self, path: Path, *, references: str | None = "same") -> Article:
        """Serve one more article (a recorded one changed by a test, written to
        ``path``) and its built PubMed record, as :meth:`enable` serves the fixtures."""
        article = load(path)
        assert article is not None, f"{path} has no PMC ID"
        self.articles[article.pmcid.removeprefix("PMC")] = article
        with self.server._lock:
            self.server._index(pubmed_record(article, references=references))
        self.enabled = True
        return article

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, str, bytes] | None:
        """(status, type, body) for a full-text request; None for any other request."""
        if not self.enabled:
            return None
        m = _EPMC.fullmatch(path)
        if m:
            article = self.articles.get(m.group(1))
            pmcid = f"PMC{m.group(1)}"
            if article is None or pmcid in self.metadata_only | self.not_at_europepmc:
                return 404, TEXT, b"Not found"
            return 200, XML, article.document
        if path.endswith("/efetch.fcgi") and params.get("db") == "pmc":
            digits = re.sub(r"\D", "", params.get("id", ""))
            article = self.articles.get(digits)
            if article is None:
                return 200, XML, PMC_HEAD + b"<pmc-articleset></pmc-articleset>\n"
            if article.file == RECORDED_EFETCH and f"PMC{digits}" not in self.metadata_only:
                return 200, XML, (FULLTEXT / RECORDED_EFETCH).read_bytes()
            element = etree.fromstring(etree.tostring(article.element), _PARSER)
            if f"PMC{digits}" in self.metadata_only:
                for part in [*element.iterfind("{*}body"), *element.iterfind("{*}back")]:
                    element.remove(part)
            body = etree.tostring(element, encoding="utf-8")
            return 200, XML, PMC_HEAD + b"<pmc-articleset>" + body + b"</pmc-articleset>\n"
        return None
