"""One efetch answer (or its failure) as the outcome of each PMID asked for.

The service (:meth:`tui.data.service.PubMed._download`) and the print path's plain
request (:mod:`tui.cli_records`) both turn an answer into records the same way: each
article read on its own so that one unreadable article costs only itself, a PMID the
answer lacks is not found, and a failure falls back to the stale cached copy where there
is one.  What is to be cached (the raw one-article sets) is returned beside.
"""

from __future__ import annotations

from datetime import datetime

from tui.data.errors import NotFoundError, ServiceError
from tui.data.model import Record
from tui.data.parse_recover import split_each
from tui.data.records import Outcome, from_bytes, stale_or

Stale = dict[str, tuple[bytes, datetime]]


def efetch_outcomes(
    pmids: list[str], answer: bytes | ServiceError, fetched: datetime, stale: Stale
) -> tuple[dict[str, Outcome], dict[str, bytes]]:
    """PMID -> outcome for each of ``pmids``, and PMID -> raw bytes to keep in the cache."""
    if isinstance(answer, ServiceError):
        return {pmid: stale_or(answer, pmid, stale) for pmid in pmids}, {}
    try:
        parts, broken = split_each(answer)
    except ServiceError as exc:  # not an article set at all
        return {pmid: stale_or(exc, pmid, stale) for pmid in pmids}, {}
    out: dict[str, Outcome] = {}
    keep: dict[str, bytes] = {}
    for pmid in pmids:
        part = parts.get(pmid)
        if part is None and pmid in broken:
            out[pmid] = stale_or(broken[pmid], pmid, stale)
            continue
        if part is None:
            out[pmid] = stale_or(NotFoundError(pmid, f"No PubMed record {pmid}"), pmid, stale)
            continue
        record = from_bytes(pmid, part, fetched, cached=False)
        if isinstance(record, Record):
            keep[pmid] = part
        out[pmid] = record
    return out, keep
