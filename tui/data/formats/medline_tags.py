"""The parts of a MEDLINE record with rules of their own: names, history dates, the source.

PubMed writes these to fixed patterns that importers parse ("2019/03/05 00:00
[received]", "ORCID: 0000-…", "Elife. 2019 Mar 5;8:e42692. doi: ….").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tui.data.model import Author, Book, Record

# PubMed's RefType words -> their MEDLINE tags.
CORRECTION_TAGS: dict[str, str] = {
    "CommentIn": "CIN",
    "CommentOn": "CON",
    "ErratumIn": "EIN",
    "ErratumFor": "EFR",
    "ExpressionOfConcernIn": "ECI",
    "ExpressionOfConcernFor": "ECF",
    "RetractionIn": "RIN",
    "RetractionOf": "ROF",
    "PartialRetractionIn": "PRIN",
    "PartialRetractionOf": "PROF",
    "UpdateIn": "UIN",
    "UpdateOf": "UOF",
    "CorrectedandRepublishedIn": "CRI",
    "CorrectedandRepublishedFrom": "CRF",
    "RetractedandRepublishedIn": "RRI",
    "RetractedandRepublishedFrom": "RRF",
    "RepublishedIn": "RPI",
    "RepublishedFrom": "RPF",
    "SummaryForPatientsIn": "SPIN",
    "OriginalReportIn": "ORI",
}
# History statuses with a tag of their own, besides every one's PHST line.
_HISTORY_TAGS = (("pubmed", "EDAT"), ("medline", "MHDA"))
# Article identifiers that have their own tag (PMID, PMC, MID) or none.
_NOT_AID = frozenset({"pubmed", "pmc", "mid", "pmcid", "pmc-release"})
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def compact(iso: str | None) -> str:
    """ "2019-03-05" as DCOM/LR/DEP write it: "20190305"."""
    return iso.replace("-", "")[:8] if iso else ""


def _clock(iso: str) -> str:
    # "2010-09-08T06:00" -> "2010/09/08 06:00"
    day, _, time = iso.partition("T")
    return f"{day.replace('-', '/')} {time or '00:00'}"


def short_name(author: Author) -> str:
    """AU: "Smith JA Jr"."""
    initials = author.initials or "".join(w[0] for w in (author.fore or "").split() if w)
    return " ".join(p for p in (author.last, initials, author.suffix) if p)


def full_name(author: Author) -> str:
    """FAU: "Smith, John A Jr"."""
    if not (author.last and author.fore):
        return short_name(author)
    return " ".join(p for p in (f"{author.last}, {author.fore}", author.suffix) if p)


def people(authors: Sequence[Author], full: str, short: str) -> Iterator[tuple[str, str]]:
    """FAU/AU (or FED/ED) with each person's AUID and AD lines; CN for a group."""
    for author in authors:
        if author.collective:
            yield "CN", author.collective
            continue
        yield full, full_name(author)
        yield short, short_name(author)
        if author.orcid:
            yield "AUID", f"ORCID: {author.orcid}"
        for affiliation in author.affiliations:
            yield "AD", affiliation


def history_tags(record: Record) -> Iterator[tuple[str, str]]:
    """EDAT MHDA PMC CRDT PHST AID PST, in PubMed's order."""
    dates = {h.status: h.date for h in record.history}
    for status, tag in _HISTORY_TAGS:
        if status in dates:
            yield tag, _clock(dates[status])
    if record.pmcid:
        yield "PMC", record.pmcid
    if "entrez" in dates:
        yield "CRDT", _clock(dates["entrez"])
    for entry in record.history:
        yield "PHST", f"{_clock(entry.date)} [{entry.status}]"
    ids = [(t.type, t.value) for t in record.article_ids if t.type not in _NOT_AID]
    if record.doi and ("doi", record.doi) not in ids and not any(t == "doi" for t, _ in ids):
        ids.insert(0, ("doi", record.doi))
    for kind, value in ids:
        yield "AID", f"{value} [{kind}]"
    yield "PST", record.publication_status or ""


def book_tags(book: Book) -> Iterator[tuple[str, str]]:
    for isbn in book.isbn:
        yield "ISBN", isbn


def _epub(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{year} {_MONTH_NAMES[int(month) - 1]} {int(day)}"


def source(record: Record, date: str | None) -> str:
    """SO: "Elife. 2019 Mar 5;8:e42692. doi: 10.7554/eLife.42692." as PubMed cites."""
    journal = record.journal
    book = record.book
    if book is not None:
        where = ": ".join(p for p in (book.location, book.publisher) if p)
        parts = [book.title if not book.whole else None, where]
        text = ". ".join(p for p in parts if p)
        return "; ".join(p for p in (text, date) if p) + "." if text or date else ""
    text = f"{journal.medline_ta or journal.iso_abbrev or journal.title or ''}."
    if date:
        text += f" {date}"
    if journal.volume or journal.issue:
        text += f";{journal.volume or ''}" + (f"({journal.issue})" if journal.issue else "")
    pages = journal.pages or record.article_number
    if pages:
        text += f":{pages}"
    text += "."
    if record.doi:
        text += f" doi: {record.doi}."
    if record.epub and record.publication_status == "ppublish":
        text += f" Epub {_epub(record.epub)}."
    return text.lstrip(". ")
