"""Fetch a record's open-access full text: Europe PMC first, then NCBI's PMC efetch.

Europe PMC's ``{PMCID}/fullTextXML`` answers with the JATS article when it has the
open-access text; NCBI's ``efetch db=pmc`` answers for more articles, but for those
outside the open-access subset with front matter only.  Both go through the client's
rate limits and retries.  The raw XML is cached like efetch records (a parser fix
applies to cached copies), fresh for the records' 30 days, and an old copy stands in
when a refresh fails.  Not having a text is an answer, not an error: :class:`NoFullText`
says why in a sentence the reader and the command line show as it is.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.data.citations import link_citations
from tui.data.errors import HttpStatusError, ParseError, ServiceError
from tui.data.fulltext_model import FullText
from tui.data.jats import MetadataOnly, NoArticleError, parse_jats
from tui.data.model import Record

if TYPE_CHECKING:
    from tui.data.service import PubMed

NAMESPACE = "fulltext-v1"
SOURCES = ("europepmc", "pmc")
NO_PMCID = "no-pmcid"
METADATA_ONLY = "metadata-only"
NOT_IN_PMC = "not-in-pmc"


@dataclass(frozen=True, slots=True)
class NoFullText:
    """Why a record has no full text to show; ``reason`` is one of the constants above."""

    reason: str
    sentence: str

    def __str__(self) -> str:
        return self.sentence


FullTextOutcome = FullText | NoFullText


def no_pmcid(record: Record) -> NoFullText:
    return NoFullText(
        NO_PMCID,
        "No open-access full text: the record has no PMC ID"
        + (" — o opens the publisher" if record.doi else ""),
    )


def metadata_only(record: Record) -> NoFullText:
    publisher = " — o opens the publisher" if record.doi else ""
    return NoFullText(
        METADATA_ONLY,
        f"No open-access full text: PMC has this article's metadata only{publisher}",
    )


def not_in_pmc(record: Record) -> NoFullText:
    return NoFullText(
        NOT_IN_PMC, f"No open-access full text: PMC has no article {record.pmcid or ''}".strip()
    )


def _encode(source: str, xml: bytes) -> bytes:
    return source.encode("ascii") + b"\n" + xml


def decode(data: bytes) -> FullText | MetadataOnly:
    """A cached (or just fetched) answer read again; ParseError when it is not one.

    PMC's answer naming no article is an answer too, cached like the others.
    """
    source, sep, xml = data.partition(b"\n")
    name = source.decode("ascii", "replace")
    if not sep or name not in SOURCES:
        raise ParseError("A cached full text could not be read")
    try:
        return parse_jats(xml, name)
    except NoArticleError:
        return MetadataOnly(None, "", known=False)


async def _download(service: PubMed, pmcid: str) -> bytes:
    """The tagged raw answer: Europe PMC's when it has the text, else NCBI's."""
    first: ServiceError | None = None
    try:
        xml = await service.ask_xml("europepmc", f"{pmcid}/fullTextXML", {}, "article")
        return _encode("europepmc", xml)
    except HttpStatusError as exc:
        if exc.status != 404:
            first = exc
    except ServiceError as exc:
        first = exc
    params = {"db": "pmc", "id": pmcid.removeprefix("PMC"), "retmode": "xml"}
    try:
        xml = await service.ask_xml("eutils", "efetch.fcgi", params, "pmc-articleset")
    except ServiceError:
        if first is not None:
            raise first from None
        raise
    return _encode("pmc", xml)


async def fetch_full_text(
    service: PubMed, record: Record, *, in_thread: bool = False
) -> FullTextOutcome:
    """The record's full text with its citations numbered, or why there is none;
    ``in_thread`` parses and links it in a worker thread (the reader's event loop keeps
    drawing meanwhile).

    Network and parse failures with no cached copy raise pubterm's own errors.
    """
    if not record.pmcid:
        return no_pmcid(record)
    pmcid = record.pmcid.upper()

    async def fetch() -> bytes:
        return await _download(service, pmcid)

    parsed = await service.cached_fetch(
        NAMESPACE, pmcid, fetch, decode, what="The full text", decode_in_thread=in_thread
    )
    if in_thread:
        return await asyncio.to_thread(_outcome, parsed, record)
    return _outcome(parsed, record)


def _outcome(parsed: FullText | MetadataOnly, record: Record) -> FullTextOutcome:
    if isinstance(parsed, MetadataOnly):
        return metadata_only(record) if parsed.known else not_in_pmc(record)
    return link_citations(parsed, record.references)


@dataclass(frozen=True, slots=True)
class KeptText:
    """A full text's raw answer as the cache keeps it, read without asking the network."""

    data: bytes
    fresh: bool  # the freshness rule would use it without asking again


async def kept_full_text(service: PubMed, record: Record) -> KeptText | None:
    """The cached answer for the record's PMC ID, fresh or not (None: none kept).

    Only the cache is read, so a reader can know a review's citation counts as soon as
    the record shows, and parse the text (:func:`read_kept`) off its event loop.
    """
    if not record.pmcid:
        return None
    found = await service.cached_copy(NAMESPACE, record.pmcid.upper())
    return None if found is None else KeptText(*found)


def read_kept(kept: KeptText, record: Record) -> FullTextOutcome | None:
    """The kept answer parsed and linked to the record's references (pure, slow for a
    long review: run it in a thread); None when the kept copy cannot be read."""
    try:
        return _outcome(decode(kept.data), record)
    except ParseError:
        return None
