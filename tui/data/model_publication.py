"""Where a record appeared and the bookkeeping around it: journal, identifiers, dates,
grants.

These parts describe the publication rather than the paper's content (its authors,
abstract, indexing and references, in :mod:`tui.data.model`); the citation formats and
the details pane read them, and MEDLINE's bookkeeping tags carry most of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.data.model_part import Part, plain


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Journal(Part):
    """Where the article appeared; every field may be missing in real records.

    ``title`` is NLM's full title, ``iso_abbrev`` the ISO abbreviation and ``medline_ta``
    NLM's own abbreviation (MEDLINE's ``TA``), which differ for some journals.
    """

    title: str | None = None
    iso_abbrev: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    issn: str | None = None
    issn_type: str | None = None
    issn_linking: str | None = None
    medline_ta: str | None = None
    nlm_id: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = plain(self)
        return data


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Grant(Part):
    """A grant or contract that funded the work."""

    id: str | None = None
    agency: str | None = None
    country: str | None = None
    acronym: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Tagged(Part):
    """A value with its type: an ELocationID or ArticleId (``doi``, ``pii``, ...)."""

    type: str
    value: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class HistoryDate(Part):
    """One PubMed history date ("received", "pubmed", "entrez", ...), "YYYY/MM/DD HH:MM"."""

    status: str
    date: str
