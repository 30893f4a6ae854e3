"""Turn whatever the user pasted into a PMID, a DOI or a PMCID.

People paste PubMed links, doi.org links, "PMID: 123", percent-encoded DOIs copied from
URLs, and PMC IDs; all of them should just work, and anything else should be refused with
a message that names the input, never an exception from deep inside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urlsplit

from tui.data.errors import InvalidIdError


class IdKind(StrEnum):
    """The three kinds of identifier pubterm can look up."""

    PMID = "pmid"
    DOI = "doi"
    PMCID = "pmcid"


@dataclass(frozen=True, slots=True)
class ArticleId:
    """A parsed identifier; DOIs are kept as typed but compared case-insensitively."""

    kind: IdKind
    value: str

    def __str__(self) -> str:
        if self.kind is IdKind.PMID:
            return f"PMID {self.value}"
        if self.kind is IdKind.DOI:
            return f"DOI {self.value}"
        return self.value

    @property
    def key(self) -> str:
        """A canonical form for cache keys and equality (DOIs are case-insensitive)."""
        return self.value.lower() if self.kind is IdKind.DOI else self.value


_MAX_LEN = 2000
_PMID_RE = re.compile(r"^(?:pmid|pubmed)?\s*[:=#]?\s*(\d{1,9})\.?$", re.IGNORECASE)
_PMC_RE = re.compile(r"^(?:pmcid\s*[:=]?\s*)?pmc\s*(\d{1,9})$", re.IGNORECASE)
_DOI_RE = re.compile(r"^(?:doi\s*[:=]?\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_PUBMED_HOSTS = {"pubmed.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov"}
_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
_PMC_HOSTS = {"pmc.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov"}
_URL_STARTS = ("http://", "https://", "www.", "pubmed.ncbi", "pmc.ncbi", "doi.org/", "dx.doi.org/")
# Characters that close a DOI when it was pasted from running text.
_TRAILING = ".,;)]}>\"'"


def _clean(text: str) -> str:
    # Remove zero-width and control characters that ride along with copy and paste.
    return "".join(ch for ch in text if ch.isprintable() and ch not in "\u200b\u200c\u200d\ufeff")


def _from_url(url: str, text: str) -> ArticleId | None:
    """The ID in a link; errors name ``text``, what the user typed."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if host in _DOI_HOSTS:
        return _doi(path.lstrip("/"), text)
    if host in _PMC_HOSTS:
        m = re.search(r"/(?:pmc/)?articles/(PMC\d{1,9})", path, re.IGNORECASE)
        if m:
            return _pmcid(m.group(1)[3:], text)
    if host in _PUBMED_HOSTS:
        m = re.search(r"^/(?:pubmed/)?(\d{1,9})/?$", path)
        if m:
            return _pmid(m.group(1), text)
        m = re.search(r"(?:^|[?&])term=(\d{1,9})(?:&|$)", unquote(parts.query))
        if m:
            return _pmid(m.group(1), text)
    raise InvalidIdError(text, "a link pubterm cannot read (want a PubMed, PMC or doi.org link)")


def _pmid(digits: str, original: str) -> ArticleId:
    value = str(int(digits))
    if value == "0":
        raise InvalidIdError(original, "PMIDs start at 1")
    return ArticleId(IdKind.PMID, value)


def _pmcid(digits: str, original: str) -> ArticleId:
    number = int(digits)
    if number == 0:
        raise InvalidIdError(original, "PMC IDs start at PMC1")
    return ArticleId(IdKind.PMCID, f"PMC{number}")


def _unquoted(text: str) -> str:
    """Percent-decoding until nothing changes, so the result reads back as itself.

    A DOI copied from a link may be encoded twice ("%252F"); decoding only once would
    leave "%2F" in the value, which the next parse would turn into "/".
    """
    for _ in range(5):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def _doi(candidate: str, original: str) -> ArticleId:
    candidate = _unquoted(candidate).strip().rstrip(_TRAILING)
    m = _DOI_RE.match(candidate)
    if not m:
        raise InvalidIdError(original, "not a valid DOI")
    doi = m.group(1)
    # Decoding can bring back what _clean removed: controls, bidi, zero-width characters.
    if any(not ch.isprintable() or ch.isspace() for ch in doi) or unquote(doi) != doi:
        raise InvalidIdError(original, "not a valid DOI")
    return ArticleId(IdKind.DOI, doi)


def parse_id(text: str) -> ArticleId:
    """Parse one identifier; raise :class:`InvalidIdError` naming the input otherwise."""
    if not isinstance(text, str):
        raise InvalidIdError(repr(text))
    if len(text) > _MAX_LEN:
        raise InvalidIdError(text, "too long to be an identifier")
    cleaned = _clean(text).strip()
    if not cleaned:
        raise InvalidIdError(text, "empty identifier")
    lowered = cleaned.lower()
    if lowered.startswith(_URL_STARTS):
        url = cleaned if "://" in cleaned else "https://" + cleaned
        found = _from_url(url, text)
        if found is not None:
            return found
    m = _PMID_RE.match(cleaned)
    if m:
        return _pmid(m.group(1), text)
    m = _PMC_RE.match(cleaned)
    if m:
        return _pmcid(m.group(1), text)
    if re.match(r"^(?:doi\s*[:=]?\s*)?10\.", cleaned, re.IGNORECASE) or "%2f" in lowered:
        return _doi(re.sub(r"^doi\s*[:=]?\s*", "", cleaned, flags=re.IGNORECASE), text)
    raise InvalidIdError(text)
