"""The record model every other layer speaks.

Frozen dataclasses so a parsed record can be shared between the cache, the print path
and the reader without anyone mutating it behind another's back.  ``to_dict`` gives the
JSON shape documented in the README, with every key always present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Author:
    """One article author, or a collective (group) author when ``collective`` is set."""

    last: str | None = None
    fore: str | None = None
    initials: str | None = None
    collective: str | None = None
    affiliations: tuple[str, ...] = ()
    orcid: str | None = None

    @property
    def display(self) -> str:
        """The name as a citation shows it: "Smith JA", or the collective name."""
        if self.collective:
            return self.collective
        parts = [p for p in (self.last, self.initials or self.fore) if p]
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "last": self.last,
            "fore": self.fore,
            "initials": self.initials,
            "collective": self.collective,
            "affiliations": list(self.affiliations),
            "orcid": self.orcid,
        }


@dataclass(frozen=True, slots=True)
class Journal:
    """Where the article appeared; every field may be missing in real records."""

    title: str | None = None
    iso_abbrev: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    issn: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "iso_abbrev": self.iso_abbrev,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "issn": self.issn,
        }


@dataclass(frozen=True, slots=True)
class AbstractSection:
    """One paragraph of the abstract; ``label`` is set for structured abstracts."""

    label: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text}


@dataclass(frozen=True, slots=True)
class MeshHeading:
    """A MeSH descriptor; ``major`` marks a major topic (on the descriptor or a qualifier)."""

    descriptor: str
    major: bool = False
    qualifiers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "descriptor": self.descriptor,
            "major": self.major,
            "qualifiers": list(self.qualifiers),
        }


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of the record's reference list, with whatever identifiers PubMed gives."""

    citation: str
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"citation": self.citation, "doi": self.doi, "pmid": self.pmid, "pmcid": self.pmcid}


@dataclass(frozen=True, slots=True)
class Record:
    """A PubMed record as pubterm shows and prints it.

    ``fetched`` and ``cached`` describe where this copy came from; ``stale`` carries the
    sentence to show when an out-of-date cached copy is served because a refresh failed.
    ``stale`` is not part of the JSON shape.
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
    book: bool = False
    fetched: datetime | None = None
    cached: bool = False
    stale: str | None = None
    # Where ``references`` came from: "pubmed", or a fallback ("europepmc", "crossref")
    # when PubMed has no list, or "none".  Like ``stale``, not part of the JSON shape.
    references_source: str = "pubmed"

    @property
    def year(self) -> str | None:
        """The publication year, the first four characters of ``published``."""
        return self.published[:4] if self.published else None

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape: every key present, null or [] where absent."""
        return {
            "pmid": self.pmid,
            "doi": self.doi,
            "pmcid": self.pmcid,
            "title": self.title,
            "authors": [a.to_dict() for a in self.authors],
            "journal": self.journal.to_dict(),
            "published": self.published,
            "publication_types": list(self.publication_types),
            "abstract": [s.to_dict() for s in self.abstract],
            "keywords": list(self.keywords),
            "mesh": [m.to_dict() for m in self.mesh],
            "coi": self.coi,
            "references": [r.to_dict() for r in self.references],
            "source": self.source,
            "fetched": self.fetched.isoformat() if self.fetched else None,
            "cached": self.cached,
        }
