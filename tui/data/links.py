"""Walking the citation graph: who cites a paper, and which papers PubMed finds similar.

Both lists come from one elink request each and are cached (for a week: new citations
keep arriving, unlike a record's text).  The lists are bare PMIDs; the reader resolves
them with :meth:`Bibliography.summaries` to show titles.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tui.data.errors import ParseError

if TYPE_CHECKING:
    from tui.data.service import PubMed

CITED_BY = "pubmed_pubmed_citedin"
SIMILAR = "pubmed_pubmed"
LINKS_SCHEMA = 1
LINKS_FRESH_DAYS = 7.0
# What people call each list (the pane titles).
LINK_NAMES = {CITED_BY: "Cited by", SIMILAR: "Similar articles"}


async def cited_by(service: PubMed, pmid: str) -> list[str]:
    """PMIDs of the PubMed records that cite ``pmid`` (newest first, as NCBI orders them)."""
    return await links(service, pmid, CITED_BY)


async def similar(service: PubMed, pmid: str) -> list[str]:
    """PMIDs PubMed ranks as similar to ``pmid``, best first, without ``pmid`` itself."""
    return await links(service, pmid, SIMILAR)


async def links(service: PubMed, pmid: str, linkname: str) -> list[str]:
    """The PMIDs of one elink link name, cached; raises ServiceError family on failure."""
    pmid = pmid.strip()
    if not pmid.isdigit():
        raise ValueError(f"not a PMID: {pmid!r}")

    async def fetch() -> bytes:
        found = parse_elink(await service.elink(pmid, linkname), pmid, linkname)
        return json.dumps({"v": LINKS_SCHEMA, "links": found}).encode("ascii")

    def decode(data: bytes) -> list[str]:
        try:
            body = json.loads(data)
            if body["v"] != LINKS_SCHEMA:
                raise ValueError("old layout")
            return [str(p) for p in body["links"]]
        except (ValueError, KeyError, TypeError):
            raise ParseError("A cached link list could not be read") from None

    return await service.cached_fetch(
        f"links-{linkname}",
        pmid,
        fetch,
        decode,
        what=LINK_NAMES.get(linkname, "The list of linked papers"),
        fresh_days=LINKS_FRESH_DAYS,
    )


def parse_elink(body: bytes, pmid: str, linkname: str) -> list[str]:
    """The PMIDs linked from ``pmid`` under ``linkname`` in an elink JSON answer.

    NCBI leaves ``linksetdbs`` out when there are no links and reports some errors in
    an ``ERROR`` field under status 200; links are strings or numbers depending on the
    endpoint version, and a pubmed_pubmed list starts with the PMID itself.
    """
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise ParseError("NCBI answered the link request with something that is not JSON") from None
    if not isinstance(data, dict):
        raise ParseError("NCBI answered the link request with unexpected JSON")
    error = data.get("ERROR") or data.get("error")
    if isinstance(error, str) and error:
        raise ParseError(f"NCBI could not list links: {error[:200]}")
    linksets = data.get("linksets", [])
    if not isinstance(linksets, list):
        raise ParseError("NCBI answered the link request with unexpected JSON")
    out: dict[str, None] = {}
    for linkset in linksets:
        if not isinstance(linkset, dict):
            continue
        for db in linkset.get("linksetdbs") or []:
            if not isinstance(db, dict) or db.get("linkname") != linkname:
                continue
            for link in db.get("links") or []:
                value = str(link.get("id") if isinstance(link, dict) else link).strip()
                if value.isdigit() and value != pmid:
                    out.setdefault(value)
    return list(out)
