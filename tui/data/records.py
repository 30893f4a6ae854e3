"""Turning efetch bytes (fresh, cached or stale) into records, parsed once per session.

Only raw efetch bytes are cached, so a parser fix applies to records cached before it;
the price is a parse on every read, which this module pays once per record and session:
walking back to a review does not parse its hundreds of references again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tui.data.errors import NotFoundError, ParseError, PubtermError
from tui.data.freshness import stale_sentence
from tui.data.model import Record
from tui.data.parse import parse_pubmed

Outcome = Record | PubtermError
PARSED_KEPT = 32  # parsed records kept in memory per session


def from_bytes(pmid: str, xml: bytes, fetched: datetime, *, cached: bool) -> Outcome:
    """The record ``pmid`` out of a PubmedArticleSet, or why there is none."""
    try:
        records = parse_pubmed(xml)
    except ParseError as exc:
        return exc
    for record in records:
        if record.pmid == pmid:
            return replace(record, fetched=fetched, cached=cached)
    return NotFoundError(pmid, f"No PubMed record {pmid}")


def stale_or(error: PubtermError, pmid: str, stale: dict[str, tuple[bytes, datetime]]) -> Outcome:
    """The old cached copy with a warning when there is one, else the error itself."""
    if pmid not in stale:
        return error
    xml, when = stale[pmid]
    record = from_bytes(pmid, xml, when, cached=True)
    if not isinstance(record, Record):
        return error
    return replace(record, stale=stale_sentence(error, when))


class ParsedMemory:
    """PMID -> (raw bytes, parsed record) of the last records read this session."""

    def __init__(self, kept: int = PARSED_KEPT) -> None:
        self._kept = kept
        self._parsed: dict[str, tuple[bytes, Record]] = {}

    def cached(self, pmid: str, xml: bytes, fetched: datetime) -> Outcome:
        """A cached record, parsed once per session (while its bytes stay the same)."""
        known = self._parsed.get(pmid)
        if known is not None and known[0] == xml:
            return replace(known[1], fetched=fetched, cached=True)
        outcome = from_bytes(pmid, xml, fetched, cached=True)
        if isinstance(outcome, Record):
            self.remember(pmid, xml, outcome)
        return outcome

    def remember(self, pmid: str, xml: bytes, record: Record) -> None:
        self._parsed.pop(pmid, None)
        if len(self._parsed) >= self._kept:
            self._parsed.pop(next(iter(self._parsed)))
        self._parsed[pmid] = (xml, record)
