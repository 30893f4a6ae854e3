"""The record model every other layer speaks.

Frozen dataclasses so a parsed record can be shared between the cache, the print path
and the reader without anyone mutating it behind another's back.  ``to_dict`` gives the
JSON shape documented in the README, with every key always present: the parts are plain
dataclasses, so their JSON is their fields in order (tuples as lists, nested parts as
objects), written once in :func:`tui.data.model_part.plain` rather than once per class.
The parts about where the record appeared (journal, identifiers, dates, grants) live in
:mod:`tui.data.model_publication`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from tui.data.model_part import Part, plain
from tui.data.model_publication import Grant, HistoryDate, Journal, Tagged


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Author(Part):
    """One author (or editor), or a collective (group) author when ``collective`` is set."""

    last: str | None = None
    fore: str | None = None
    initials: str | None = None
    collective: str | None = None
    affiliations: tuple[str, ...] = ()
    orcid: str | None = None
    # "Jr", "Sr", "3rd": part of the name in every citation format, never of ``last``.
    suffix: str | None = None

    @property
    def display(self) -> str:
        """The name as a citation shows it: "Smith JA", "Smith JA Jr", or the collective."""
        if self.collective:
            return self.collective
        parts = [p for p in (self.last, self.initials or self.fore, self.suffix) if p]
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = plain(self)
        return data


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Book(Part):
    """The book a book record is, or belongs to (NCBI Bookshelf records)."""

    title: str | None = None
    publisher: str | None = None
    location: str | None = None
    edition: str | None = None
    volume: str | None = None
    isbn: tuple[str, ...] = ()
    # The book's own author list (a whole book's authors, or those of the book a
    # chapter is in) and its editors; a chapter's authors are the record's authors.
    authors: tuple[Author, ...] = ()
    editors: tuple[Author, ...] = ()
    # True for a whole book, False for a chapter or section of one.
    whole: bool = False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AbstractSection(Part):
    """One paragraph of the abstract; ``label`` is set for structured abstracts."""

    label: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class OtherAbstract(Part):
    """An abstract in another language or by another party (MEDLINE's ``OAB``)."""

    type: str | None
    language: str | None
    text: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class MeshHeading(Part):
    """A MeSH descriptor; ``major`` marks a major topic (on the descriptor or a qualifier).

    ``major_descriptor`` says the star belongs on the descriptor itself and
    ``major_qualifiers`` which qualifiers carry it: PubMed writes
    ``Liver/drug effects/*enzymology`` when only the qualifier is major.
    """

    descriptor: str
    major: bool = False
    qualifiers: tuple[str, ...] = ()
    major_qualifiers: tuple[str, ...] = ()
    major_descriptor: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "descriptor": self.descriptor,
            "major": self.major,
            "qualifiers": list(self.qualifiers),
            "major_qualifiers": list(self.major_qualifiers),
            "major_descriptor": self.major_descriptor,
        }


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class KeywordList(Part):
    """One keyword list with its owner (NOTNLM for the authors', NLM, KIE, NASA, ...)."""

    owner: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Correction(Part):
    """A comment, erratum, retraction, expression of concern or update linked to a record.

    ``type`` is PubMed's RefType word: ``ErratumIn`` on an article points at its erratum,
    ``ErratumFor`` on the erratum points back (likewise RetractionIn/RetractionOf,
    ExpressionOfConcernIn/For, CommentIn/On, UpdateIn/Of, ...).
    """

    type: str
    source: str
    pmid: str | None = None

    @property
    def notice(self) -> bool:
        """A retraction, erratum or expression of concern published about this record.

        These are what a reader must see before reading on (a banner), unlike comments
        and updates, which are further reading.
        """
        return self.type in NOTICE_TYPES


# RefTypes that point from a record to a notice about it, most serious first.
NOTICE_TYPES: tuple[str, ...] = (
    "RetractionIn",
    "PartialRetractionIn",
    "ExpressionOfConcernIn",
    "ErratumIn",
)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Chemical(Part):
    """A substance indexed for the record; ``registry`` is "0" when it has no number."""

    name: str
    registry: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Reference(Part):
    """One entry of the record's reference list, with whatever identifiers PubMed gives."""

    citation: str
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"citation": self.citation, "doi": self.doi, "pmid": self.pmid, "pmcid": self.pmcid}


# Record fields that describe this copy rather than the record: not in the JSON shape
# (``fetched`` and ``cached`` are, but written specially).
_NOT_JSON = frozenset({"stale", "references_source", "fetched", "cached"})


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Record(Part):
    """A PubMed record as pubterm shows and prints it.

    ``fetched`` and ``cached`` describe where this copy came from; ``stale`` carries the
    sentence to show when an out-of-date cached copy is served because a refresh failed.
    ``stale`` is not part of the JSON shape.  ``published`` is an ISO date at the
    precision known; ``published_as`` is PubMed's own words for it ("1990 Spring",
    "2010 Sep-Oct"), which citation formats print.
    """

    pmid: str
    title: str
    doi: str | None = None
    pmcid: str | None = None
    authors: tuple[Author, ...] = ()
    journal: Journal = field(default_factory=Journal)
    published: str | None = None
    publication_types: tuple[str, ...] = ()
    abstract: tuple[AbstractSection, ...] = ()
    keywords: tuple[str, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    coi: str | None = None
    references: tuple[Reference, ...] = ()
    source: str = "pubmed"
    book: Book | None = None
    published_as: str | None = None
    epub: str | None = None
    article_number: str | None = None
    elocations: tuple[Tagged, ...] = ()
    languages: tuple[str, ...] = ()
    grants: tuple[Grant, ...] = ()
    corrections: tuple[Correction, ...] = ()
    chemicals: tuple[Chemical, ...] = ()
    copyright: str | None = None
    vernacular_title: str | None = None
    other_abstracts: tuple[OtherAbstract, ...] = ()
    keyword_lists: tuple[KeywordList, ...] = ()
    # What MEDLINE's bookkeeping tags (OWN, STAT, DCOM, LR, SB, PHST, PST, AID) carry.
    owner: str | None = None
    status: str | None = None
    date_completed: str | None = None
    date_revised: str | None = None
    subsets: tuple[str, ...] = ()
    history: tuple[HistoryDate, ...] = ()
    publication_status: str | None = None
    article_ids: tuple[Tagged, ...] = ()
    fetched: datetime | None = None
    cached: bool = False
    stale: str | None = None
    # Where ``references`` came from: "pubmed", or a fallback ("europepmc", "crossref")
    # when PubMed has no list, or "none".  Like ``stale``, not part of the JSON shape.
    references_source: str = "pubmed"

    @property
    def notices(self) -> tuple[Correction, ...]:
        """The record's retraction, concern and erratum notices, most serious first."""
        found = [c for c in self.corrections if c.notice]
        return tuple(sorted(found, key=lambda c: NOTICE_TYPES.index(c.type)))

    @property
    def year(self) -> str | None:
        """The publication year, the first four characters of ``published``."""
        return self.published[:4] if self.published else None

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape: every key present, null or [] where absent."""
        data: dict[str, Any] = {
            f.name: plain(getattr(self, f.name)) for f in fields(self) if f.name not in _NOT_JSON
        }
        data["authors"] = [a.to_dict() for a in self.authors]
        data["mesh"] = [m.to_dict() for m in self.mesh]
        data["fetched"] = self.fetched.isoformat() if self.fetched else None
        data["cached"] = self.cached
        return data
