"""Reference lists from Europe PMC and Crossref, for records PubMed gives none for.

Many PubMed records carry no ReferenceList even though the paper cites dozens of works;
Europe PMC (by PMID) and Crossref (by DOI, from the publisher's deposit) often know the
list.  Both answers are mapped to the same :class:`Reference` model the PubMed parser
produces, so the reader shows them the same way.  Lists are cached through the service's
``cached_fetch``, under the same freshness rule as records, so a fallback list is also
there offline.  Errors are pubterm's own (ServiceError family).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tui.data import urls
from tui.data.errors import HttpStatusError, ParseError
from tui.data.model import Reference
from tui.data.text import clean_text

if TYPE_CHECKING:
    from tui.data.service import PubMed

LIST_SCHEMA = 1  # bump when the cached JSON shape of a reference list changes
EUROPEPMC_NAMESPACE = "refs-europepmc"
CROSSREF_NAMESPACE = "refs-crossref"
EUROPEPMC_PAGE_SIZE = 1000  # Europe PMC's largest page
MAX_PAGES = 20  # a list of 20,000 references is an error, not a bibliography

_END = re.compile(r"[.?!]$")


# -- the cached form of a list -------------------------------------------------------------


def _dump(refs: Iterable[Reference]) -> bytes:
    body = {"v": LIST_SCHEMA, "refs": [r.to_dict() for r in refs]}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _load(data: bytes) -> tuple[Reference, ...]:
    try:
        body = json.loads(data.decode("utf-8"))
        if body.get("v") != LIST_SCHEMA:
            raise ValueError("old layout")
        return tuple(
            Reference(citation=r["citation"], doi=r["doi"], pmid=r["pmid"], pmcid=r["pmcid"])
            for r in body["refs"]
        )
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise ParseError("A cached reference list could not be read") from None


# -- Europe PMC ------------------------------------------------------------------------------


async def europepmc_references(
    service: PubMed, pmid: str, *, page_size: int = EUROPEPMC_PAGE_SIZE
) -> tuple[Reference, ...]:
    """The references Europe PMC lists for a PMID (possibly none), across all pages."""

    async def fetch() -> bytes:
        path = urls.europepmc_references(pmid)
        refs: list[Reference] = []
        page = 1
        while page <= MAX_PAGES:
            params = {"page": str(page), "pageSize": str(page_size), "format": "json"}
            try:
                body = await service.ask_json("europepmc", path, params)
            except HttpStatusError as exc:
                if exc.status != 404:
                    raise
                break  # Europe PMC does not know the PMID: no references
            hits, entries = europepmc_page(body)
            refs.extend(r for r in map(europepmc_reference, entries) if r is not None)
            # Stop at the last page by hitCount, and on a short or empty page, so an
            # answer whose hitCount overstates the list cannot keep us paging.
            if not entries or len(entries) < page_size or page >= math.ceil(hits / page_size):
                break
            page += 1
        return _dump(refs)

    return await service.cached_fetch(
        EUROPEPMC_NAMESPACE, pmid, fetch, _load, what="Europe PMC's reference list"
    )


def europepmc_page(body: bytes) -> tuple[int, list[Mapping[str, Any]]]:
    """(hitCount, entries) of one page of Europe PMC's references answer."""
    data = _json_object(body, "Europe PMC")
    hits = data.get("hitCount", 0)
    listing = data.get("referenceList") or {}
    entries = listing.get("reference", []) if isinstance(listing, dict) else None
    if not isinstance(hits, int) or not isinstance(entries, list):
        raise ParseError("Europe PMC answered with an unexpected reference list")
    return hits, [e for e in entries if isinstance(e, dict)]


def europepmc_reference(entry: Mapping[str, Any]) -> Reference | None:
    """One Europe PMC reference as a PubMed-style citation; None when it says nothing."""
    source, ident = _field(entry, "source"), _field(entry, "id")
    pmid = ident if source == "MED" and ident and ident.isdigit() else None
    pmcid = ident.upper() if source == "PMC" and ident else _field(entry, "pmcid")
    where = _field(entry, "journalAbbreviation") or _field(entry, "journalTitle")
    numbers = _numbers(
        _field(entry, "pubYear"),
        _field(entry, "volume"),
        _field(entry, "issue"),
        _field(entry, "pageInfo"),
        year_sep=";",
    )
    citation = " ".join(
        _sentence(p)
        for p in (
            _field(entry, "authorString"),
            _field(entry, "title"),
            where,
            numbers,
        )
        if p
    )
    return _reference(citation, _field(entry, "doi"), pmid, pmcid)


# -- Crossref --------------------------------------------------------------------------------


async def crossref_references(service: PubMed, doi: str) -> tuple[Reference, ...]:
    """The references the publisher deposited with Crossref for a DOI (possibly none)."""
    key = doi.strip().lower()

    async def fetch() -> bytes:
        try:  # the client adds the mailto Crossref asks for
            body = await service.ask_json("crossref", urls.crossref_work(doi))
        except HttpStatusError as exc:
            if exc.status != 404:
                raise
            return _dump(())  # Crossref does not know the DOI
        return _dump(r for r in map(crossref_reference, crossref_entries(body)) if r)

    return await service.cached_fetch(
        CROSSREF_NAMESPACE, key, fetch, _load, what="Crossref's reference list", about=doi.strip()
    )


def crossref_entries(body: bytes) -> list[Mapping[str, Any]]:
    """The ``message.reference`` entries of a Crossref work answer."""
    data = _json_object(body, "Crossref")
    message = data.get("message")
    if not isinstance(message, dict):
        raise ParseError("Crossref answered without a work record")
    entries = message.get("reference", [])
    if not isinstance(entries, list):
        raise ParseError("Crossref answered with an unexpected reference list")
    return [e for e in entries if isinstance(e, dict)]


def crossref_reference(entry: Mapping[str, Any]) -> Reference | None:
    """One Crossref reference: the deposited text when there is one, else built."""
    citation = _field(entry, "unstructured")
    if not citation:
        author, year = _field(entry, "author"), _field(entry, "year")
        head = (
            f"{author} ({year})" if author and year else author or (f"({year})" if year else None)
        )
        title = _field(entry, "article-title")
        container = _field(entry, "journal-title") or _field(entry, "volume-title")
        if not title:
            title, container = container, _field(entry, "series-title")
        numbers = _numbers(
            None,
            _field(entry, "volume"),
            _field(entry, "issue"),
            _field(entry, "first-page"),
            year_sep="",
        )
        tail = ", ".join(p for p in (container, numbers) if p)
        citation = " ".join(_sentence(p) for p in (head, title, tail) if p)
    return _reference(citation, _field(entry, "DOI") or _field(entry, "doi"), None, None)


# -- helpers ---------------------------------------------------------------------------------


def _json_object(body: bytes, service: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise ParseError(f"{service} answered with something that is not JSON") from None
    if not isinstance(data, dict):
        raise ParseError(f"{service} answered with unexpected JSON")
    return data


def _field(entry: Mapping[str, Any], name: str) -> str | None:
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return clean_text(str(value)) or None


def _numbers(
    year: str | None, volume: str | None, issue: str | None, pages: str | None, *, year_sep: str
) -> str:
    """ "2011;53(4):1333-1341" (or "53(4), 1333" style without a year) from the parts."""
    text = year or ""
    if volume:
        text += (year_sep if text else "") + volume
    if issue:
        text += f"({issue})"
    if pages:
        text += (":" if year_sep else ", ") + pages if text else pages
    return text


def _sentence(text: str) -> str:
    return text if _END.search(text) else text + "."


def _reference(
    citation: str, doi: str | None, pmid: str | None, pmcid: str | None
) -> Reference | None:
    doi = re.sub(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", "", doi or "", flags=re.I)
    ref = Reference(
        citation=citation,
        doi=doi if doi.startswith("10.") else None,
        pmid=pmid,
        pmcid=pmcid if pmcid and re.fullmatch(r"PMC\d+", pmcid) else None,
    )
    return ref if ref.citation or ref.doi or ref.pmid or ref.pmcid else None
