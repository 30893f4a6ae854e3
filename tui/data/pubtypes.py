"""The publication types that should stop a reader from citing a paper unawares.

The reader's badges, the reference list's flags and the counts in its title all ask this
one table, so a new warning type (PubMed adds them rarely) is one line here.
"""

from __future__ import annotations

from collections.abc import Iterable

# In PubMed's spelling, most serious first; each with the short label a list shows.
WARNING_LABELS: dict[str, str] = {
    "Retracted Publication": "Retracted",
    "Retraction of Publication": "Retraction notice",
    "Expression of Concern": "Expression of concern",
}
WARNING_TYPES = tuple(WARNING_LABELS)
_BY_KEY = {t.casefold(): t for t in WARNING_TYPES}


def warning_type(publication_type: str) -> str | None:
    """The warning type ``publication_type`` names (any case or spacing), or None."""
    return _BY_KEY.get(publication_type.strip().casefold())


def is_warning(publication_type: str) -> bool:
    """True for a retraction, a retraction notice or an expression of concern."""
    return warning_type(publication_type) is not None


def warnings_in(publication_types: Iterable[str]) -> tuple[str, ...]:
    """The warning types among ``publication_types``, most serious first, each once."""
    found = {w for w in map(warning_type, publication_types) if w is not None}
    return tuple(t for t in WARNING_TYPES if t in found)
