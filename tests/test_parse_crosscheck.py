"""The parser against an independent one: Biopython's ``Bio.Entrez.read``, field by field.

Biopython validates each answer against the DTD it names (the 2025 PubMed DTD ships with
Biopython, so nothing is fetched) and hands back the elements as nested dicts and lists.
The values below are taken from those, with pubterm's text cleaning applied to both
sides (cleaning is tested on its own), and compared with what pubterm's model holds, on
every efetch fixture the tests have.

Deliberate differences, and why:

- Inline markup: Biopython keeps ``<i>``, ``<sup>`` and the like inside strings; pubterm
  flattens them to their text (a title is plain text), so the tags are removed here first.
- MathML: pubterm writes prescripts before their base (³He) and drops layout-only
  elements; where a value holds MathML only its characters, not their order, are compared.
- ``keywords`` is de-duplicated across lists (case-insensitive) so the reader shows each
  once; ``keyword_lists`` keeps every list as PubMed has it and is compared exactly.
- Comments and corrections of type ``Cites`` are an old form of reference list, not a
  notice about the record: ``corrections`` leaves them out.
- Author names marked ``ValidYN="N"`` are names the journal corrected: pubterm drops them.
- Empty values (an empty Affiliation, an ORCID that is not one) are not kept.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from Bio import Entrez

from tui.data.model import Record
from tui.data.parse import parse_pubmed
from tui.data.text import clean_text

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"
FILES = sorted(PUBMED.glob("*.xml"))
_INLINE = re.compile(r"</?(?:i|b|u|sup|sub|sc|em|strong|span|br)\b[^<>]*>")
_MATHML = re.compile(r"<(?:mml:)?math\b")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_OLD_DTD = (
    b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd"',
    b'1st January 2013//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_130101.dtd"',
)
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])")


def text(value: Any) -> str:
    """A Biopython string as pubterm would hold it: inline tags gone, cleaned."""
    raw = str(value) if value is not None else ""
    if _MATHML.search(raw):
        # Only the characters count (see the module docstring).
        chars = clean_text(re.sub(r"<[^<>]*>", "", raw))
        return "MATHML:" + "".join(sorted(chars.replace(" ", "")))
    return clean_text(_INLINE.sub("", raw))


def optional(value: Any) -> str | None:
    return text(value) or None


def iso(date: Any, *, clock: bool = False) -> str | None:
    if not date or not date.get("Year") or not date.get("Day"):
        return None
    month = str(date.get("Month", ""))
    number = int(month) if month.isdigit() else _MONTHS.index(month[:3].lower()) + 1
    out = f"{date['Year']}-{number:02d}-{int(date['Day']):02d}"
    if clock:
        out += f"T{int(date.get('Hour', 0)):02d}:{int(date.get('Minute', 0)):02d}"
    return out


def person(el: Any) -> dict[str, Any]:
    ids = [_ORCID.search(str(i).upper()) for i in el.get("Identifier", [])]
    orcids = [
        "-".join(m.groups())
        for m, i in zip(ids, el.get("Identifier", []), strict=True)
        if m and i.attributes.get("Source") == "ORCID"
    ]
    return {
        "last": optional(el.get("LastName")),
        "fore": optional(el.get("ForeName")),
        "initials": optional(el.get("Initials")),
        "suffix": optional(el.get("Suffix")),
        "collective": optional(el.get("CollectiveName")),
        "affiliations": [
            text(a["Affiliation"]) for a in el.get("AffiliationInfo", []) if text(a["Affiliation"])
        ],
        "orcid": orcids[0] if orcids else None,
    }


def people(author_list: Any) -> list[dict[str, Any]]:
    if not author_list:
        return []
    return [person(a) for a in author_list if a.attributes.get("ValidYN") != "N"]


def lists_of(elements: Any, kind: str) -> list[Any]:
    return [a for a in elements or [] if a.attributes.get("Type", "authors") == kind]


def sections(abstract: Any) -> list[tuple[str | None, str]]:
    if not abstract:
        return []
    out = []
    for part in abstract.get("AbstractText", []):
        label = getattr(part, "attributes", {}).get("Label")
        out.append((optional(label), text(part)))
    return [s for s in out if s[0] or s[1]]


def tagged(elements: Any, attribute: str) -> list[tuple[str, str]]:
    return [
        (str(e.attributes.get(attribute, "")), text(e))
        for e in elements or []
        if text(e) and e.attributes.get("ValidYN") != "N"
    ]


def references(data: Any) -> list[tuple[str, str | None, str | None, str | None]]:
    out = []

    def walk(reference_list: Any) -> None:
        for ref in reference_list.get("Reference", []):
            ids = {}
            for i in ref.get("ArticleIdList", []):
                ids.setdefault(i.attributes.get("IdType"), text(i))
            pmc = ids.get("pmc")
            pmid = ids.get("pubmed")
            out.append(
                (
                    text(ref.get("Citation")),
                    ids.get("doi"),
                    pmid if pmid and pmid.isdigit() else None,
                    f"PMC{pmc.removeprefix('PMC')}" if pmc else None,
                )
            )
        for inner in reference_list.get("ReferenceList", []):
            walk(inner)

    for top in data.get("ReferenceList", []):
        walk(top)
    return out


def keyword_lists(owner: Any) -> list[tuple[str, list[str]]]:
    found = []
    for kl in owner.get("KeywordList", []):
        words = [text(k) for k in kl if text(k)]
        if words:
            found.append((str(kl.attributes.get("Owner", "NOTNLM")), words))
    return found


def history(data: Any) -> list[tuple[str, str | None]]:
    return [(str(h.attributes["PubStatus"]), iso(h, clock=True)) for h in data.get("History", [])]


def article_fields(entry: Any) -> dict[str, Any]:
    """What Biopython read, in the model's terms, for a journal article."""
    mc = entry["MedlineCitation"]
    art = mc["Article"]
    data = entry.get("PubmedData", {})
    journal = art["Journal"]
    info = mc.get("MedlineJournalInfo", {})
    issue = journal.get("JournalIssue", {})
    electronic = [
        d for d in art.get("ArticleDate", []) if d.attributes.get("DateType") == "Electronic"
    ]
    pages = (art.get("Pagination") or {}).get("MedlinePgn")
    pii = [v for t, v in tagged(art.get("ELocationID"), "EIdType") if t == "pii"]
    return {
        "pmid": str(mc["PMID"]),
        "title": text(art.get("ArticleTitle")) or text(art.get("VernacularTitle")),
        "vernacular_title": optional(art.get("VernacularTitle")),
        "authors": people(art.get("AuthorList")),
        "journal.title": optional(journal.get("Title")),
        "journal.iso_abbrev": optional(journal.get("ISOAbbreviation")),
        "journal.volume": optional(issue.get("Volume")),
        "journal.issue": optional(issue.get("Issue")),
        "journal.issn": optional(journal.get("ISSN")),
        "journal.issn_type": journal["ISSN"].attributes.get("IssnType")
        if "ISSN" in journal
        else None,
        "journal.issn_linking": optional(info.get("ISSNLinking")),
        "journal.medline_ta": optional(info.get("MedlineTA")),
        "journal.nlm_id": optional(info.get("NlmUniqueID")),
        "journal.country": optional(info.get("Country")),
        "journal.pages": optional(pages) if pages else None,
        "article_number": (pii[0] if pii else None) if not pages else None,
        "publication_types": [text(p) for p in art.get("PublicationTypeList", [])],
        "abstract": sections(art.get("Abstract")),
        "copyright": optional((art.get("Abstract") or {}).get("CopyrightInformation")),
        "keyword_lists": keyword_lists(mc),
        "mesh": [
            (
                text(h["DescriptorName"]),
                h["DescriptorName"].attributes.get("MajorTopicYN") == "Y",
                [text(q) for q in h.get("QualifierName", [])],
                [
                    text(q)
                    for q in h.get("QualifierName", [])
                    if q.attributes.get("MajorTopicYN") == "Y"
                ],
            )
            for h in mc.get("MeshHeadingList", [])
        ],
        "languages": [text(x) for x in art.get("Language", [])],
        "grants": [
            (
                optional(g.get("GrantID")),
                optional(g.get("Agency")),
                optional(g.get("Country")),
                optional(g.get("Acronym")),
            )
            for g in art.get("GrantList", [])
        ],
        "corrections": [
            (str(c.attributes["RefType"]), text(c.get("RefSource")), optional(c.get("PMID")))
            for c in mc.get("CommentsCorrectionsList", [])
            if c.attributes["RefType"] != "Cites"
        ],
        "chemicals": [
            (text(c["NameOfSubstance"]), optional(c.get("RegistryNumber")))
            for c in mc.get("ChemicalList", [])
        ],
        "other_abstracts": [
            (o.attributes.get("Type"), o.attributes.get("Language"))
            for o in mc.get("OtherAbstract", [])
            if o.get("AbstractText")
        ],
        "elocations": tagged(art.get("ELocationID"), "EIdType"),
        "epub": iso(electronic[0]) if electronic else None,
        "coi": optional(mc.get("CoiStatement")),
        "owner": mc.attributes.get("Owner"),
        "status": mc.attributes.get("Status"),
        "date_completed": iso(mc.get("DateCompleted")),
        "date_revised": iso(mc.get("DateRevised")),
        "subsets": [text(s) for s in mc.get("CitationSubset", [])],
        "history": history(data),
        "publication_status": optional(data.get("PublicationStatus")),
        "article_ids": tagged(data.get("ArticleIdList"), "IdType"),
        "references": references(data),
    }


def book_fields(entry: Any) -> dict[str, Any]:
    """What Biopython read, in the model's terms, for a Bookshelf record."""
    doc = entry["BookDocument"]
    book = doc["Book"]
    data = entry["PubmedBookData"]
    publisher = book.get("Publisher", {})
    chapter = text(doc.get("ArticleTitle"))
    authors = people(next(iter(lists_of(doc.get("AuthorList"), "authors")), None))
    book_authors = people(next(iter(lists_of(book.get("AuthorList"), "authors")), None))
    editors = lists_of(doc.get("AuthorList"), "editors") or lists_of(
        book.get("AuthorList"), "editors"
    )
    ids = tagged(doc.get("ArticleIdList"), "IdType")
    ids += [i for i in tagged(data.get("ArticleIdList"), "IdType") if i not in ids]
    return {
        "pmid": str(doc["PMID"]),
        "title": chapter or text(doc.get("VernacularTitle")) or text(book.get("BookTitle")),
        "authors": authors or (book_authors if not chapter else []),
        "book.title": optional(book.get("BookTitle")),
        "book.publisher": optional(publisher.get("PublisherName")),
        "book.location": optional(publisher.get("PublisherLocation")),
        "book.whole": not chapter,
        "book.authors": book_authors,
        "book.editors": people(editors[0]) if editors else [],
        "book.isbn": [text(i) for i in book.get("Isbn", [])],
        "publication_types": [text(p) for p in doc.get("PublicationType", [])],
        "abstract": sections(doc.get("Abstract")),
        "copyright": optional((doc.get("Abstract") or {}).get("CopyrightInformation")),
        "keyword_lists": keyword_lists(doc),
        "languages": [text(x) for x in doc.get("Language", [])],
        "date_revised": iso(doc.get("DateRevised")),
        "history": history(data),
        "publication_status": optional(data.get("PublicationStatus")),
        "article_ids": ids,
        "references": references(doc),
    }


def model_fields(record: Record, keys: list[str]) -> dict[str, Any]:
    """The same fields from pubterm's record."""
    values: dict[str, Any] = {}
    for key in keys:
        head, _, tail = key.partition(".")
        value: Any = getattr(record, head)
        if tail:
            value = getattr(value, tail)
        values[key] = value
    convert = {
        "authors": lambda v: [dict(a.to_dict()) for a in v],
        "book.authors": lambda v: [dict(a.to_dict()) for a in v],
        "book.editors": lambda v: [dict(a.to_dict()) for a in v],
        "abstract": lambda v: [(s.label, s.text) for s in v],
        "keyword_lists": lambda v: [(k.owner, list(k.keywords)) for k in v],
        "mesh": lambda v: [
            (m.descriptor, m.major_descriptor, list(m.qualifiers), list(m.major_qualifiers))
            for m in v
        ],
        "grants": lambda v: [(g.id, g.agency, g.country, g.acronym) for g in v],
        "corrections": lambda v: [(c.type, c.source, c.pmid) for c in v],
        "chemicals": lambda v: [(c.name, c.registry) for c in v],
        "other_abstracts": lambda v: [(o.type, o.language) for o in v],
        "elocations": lambda v: [(t.type, t.value) for t in v],
        "article_ids": lambda v: [(t.type, t.value) for t in v],
        "history": lambda v: [(h.status, h.date) for h in v],
        "references": lambda v: [(r.citation, r.doi, r.pmid, r.pmcid) for r in v],
        "publication_types": list,
        "languages": list,
        "subsets": list,
        "book.isbn": list,
    }
    return {k: convert[k](v) if k in convert else v for k, v in values.items()}


def biopython_records(path: Path) -> dict[str, dict[str, Any]]:
    # Without validation: recorded answers carry elements older DTDs had (DateCreated)
    # and Biopython would refuse them; they are not fields pubterm reads.
    body = path.read_bytes()
    try:
        answer = Entrez.read(io.BytesIO(body), validate=False)
    except ValueError:
        # A record in the layout before 2014 (Affiliation on the Article, not the
        # author) does not fit the 2025 DTD's shapes; Biopython reads it with the DTD
        # of its time, which it also ships.
        answer = Entrez.read(io.BytesIO(body.replace(*_OLD_DTD)), validate=False)
    if isinstance(answer, list):  # the old DTD's shape: a bare list of articles
        answer = {"PubmedArticle": answer}
    found = {}
    for entry in answer.get("PubmedArticle", []):
        fields = article_fields(entry)
        found[fields["pmid"]] = fields
    for entry in answer.get("PubmedBookArticle", []):
        fields = book_fields(entry)
        found[fields["pmid"]] = fields
    return found


def _mathml_aware(expected: Any, got: Any) -> Any:
    """Turn pubterm's text into the characters-only form where Biopython's held MathML."""
    if isinstance(expected, str) and expected.startswith("MATHML:") and isinstance(got, str):
        return "MATHML:" + "".join(sorted(got.replace(" ", "")))
    if (
        isinstance(expected, list | tuple)
        and isinstance(got, list | tuple)
        and len(expected) == len(got)
    ):
        return type(got)(_mathml_aware(e, g) for e, g in zip(expected, got, strict=True))
    return got


def test_every_fixture_is_checked() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fields_agree_with_biopython(path: Path) -> None:
    theirs = biopython_records(path)
    records = parse_pubmed(path.read_bytes())
    assert [r.pmid for r in records] == list(theirs)
    for record in records:
        expected = theirs[record.pmid]
        got = model_fields(record, list(expected))
        for key, value in expected.items():
            assert _mathml_aware(value, got[key]) == value, (record.pmid, key)
