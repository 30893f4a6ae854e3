"""A record's bibliography: resolved reference titles, fallback lists, opening a reference.

The reader shows a reference list of hundreds of entries; fetching each record would
take minutes under NCBI's 3 requests a second.  esummary gives what the list needs for
200 PMIDs per request, and the answers are cached like records.  When PubMed has no
reference list at all, Europe PMC and then Crossref fill it, and the record says which.

Failures of these extras never stop the reader: each call returns what it could get as
a :class:`Partial`, with the problems it met beside it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from tui.data.errors import NotFoundError, OfflineError, Partial, PubtermError, ServiceError
from tui.data.fallback import crossref_references, europepmc_references
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record, Reference
from tui.data.service import PubMed
from tui.data.summaries import Summary, parse_esummary, summary_from_bytes, summary_to_bytes

SUMMARY_NAMESPACE = "summary"
SUMMARY_BATCH = 200  # NCBI's advice: at most 200 ids per request (the client POSTs above)

OnBatch = Callable[[dict[str, Summary]], None]
# ``Record.references_source`` values as people call the source.
SOURCE_NAMES = {"pubmed": "PubMed", "europepmc": "Europe PMC", "crossref": "Crossref"}


def reference_ids(ref: Reference) -> list[ArticleId]:
    """The identifiers to open a reference by, best first: PMID, else DOI, else PMCID."""
    ids = [ArticleId(IdKind.PMID, ref.pmid)] if ref.pmid else []
    if ref.doi:
        ids.append(ArticleId(IdKind.DOI, ref.doi))
    if ref.pmcid:
        ids.append(ArticleId(IdKind.PMCID, ref.pmcid))
    return ids


class Bibliography:
    """Summaries, fallback reference lists and reference opening, through one service.

    Shares the service's HTTP client (so its rate limit) and cache; holds no state of
    its own, so calls may overlap.
    """

    def __init__(self, service: PubMed) -> None:
        self.service = service

    # -- summaries -------------------------------------------------------------------------

    async def summaries(
        self, pmids: Sequence[str], *, on_batch: OnBatch | None = None
    ) -> Partial[dict[str, Summary]]:
        """PMID -> Summary for every PMID that has one, cache first, then by esummary.

        Fresh cached summaries are reported in one ``on_batch`` call before any request;
        then uncached PMIDs go out in batches of 200, each followed by an ``on_batch``
        call with what it resolved (possibly nothing), so the list fills in as answers
        arrive.  A batch that fails after the client's retries does not raise: its error
        is one of the result's problems, old cached copies stand in where there are any,
        and the remaining batches still run.  PMIDs PubMed has no summary for are absent.
        """
        wanted = list(dict.fromkeys(p.strip() for p in pmids if p and p.strip().isdigit()))
        cached = await self.service.cached_many(SUMMARY_NAMESPACE, wanted, summary_from_bytes)
        found = dict(cached.fresh)
        problems: list[PubtermError] = []
        if found and on_batch is not None:
            on_batch(dict(found))
        missing = cached.missing
        if missing and self.service.offline:
            noun = "reference" if len(missing) == 1 else "references"
            problems.append(OfflineError(f"{len(missing)} {noun}", "Titles", many=True))
            missing = []
        for start in range(0, len(missing), SUMMARY_BATCH):
            batch = missing[start : start + SUMMARY_BATCH]
            try:
                got = await self._summary_batch(batch)
            except ServiceError as exc:
                problems.append(exc)
                got = {p: cached.stale[p] for p in batch if p in cached.stale}
            found.update(got)
            if on_batch is not None:
                on_batch(got)
        return Partial(found, tuple(problems))

    async def _summary_batch(self, batch: list[str]) -> dict[str, Summary]:
        parsed = parse_esummary(await self.service.esummary(batch))
        fetched = datetime.now(UTC)
        got: dict[str, Summary] = {}
        for pmid in batch:
            summary = parsed.get(pmid)
            if summary is not None:
                got[pmid] = summary
                await self.service.store(
                    SUMMARY_NAMESPACE, pmid, summary_to_bytes(summary), fetched
                )
        return got

    # -- reference lists -------------------------------------------------------------------

    async def references_for(self, record: Record) -> Partial[Record]:
        """The record with a reference list from the best source that has one.

        PubMed's own list wins; without one, Europe PMC (by PMID), then Crossref (by DOI).
        ``references_source`` says which: "pubmed", "europepmc", "crossref", or "none"
        when nobody has a list or the services failed (the failures are the problems).
        """
        if record.references:
            return Partial(replace(record, references_source="pubmed"))
        problems: list[PubtermError] = []
        if record.pmid.isdigit():
            refs = await _collect(europepmc_references(self.service, record.pmid), problems)
            if refs:
                filled = replace(record, references=refs, references_source="europepmc")
                return Partial(filled, tuple(problems))
        if record.doi:
            refs = await _collect(crossref_references(self.service, record.doi), problems)
            if refs:
                filled = replace(record, references=refs, references_source="crossref")
                return Partial(filled, tuple(problems))
        return Partial(replace(record, references_source="none"), tuple(problems))

    # -- opening a reference ---------------------------------------------------------------

    async def record_for_reference(self, ref: Reference) -> Record:
        """The PubMed record a reference points to: by PMID, else by DOI, else PMCID.

        A reference known only by DOI goes through the service's DOI resolution (esearch,
        checked against the record's own DOI).  NotFoundError when no identifier leads to
        a PubMed record; service failures raise as they do for ``PubMed.fetch``.
        """
        ids = reference_ids(ref)
        if not ids:
            raise NotFoundError(
                ref.citation[:60] or "reference",
                "This reference has no PMID, DOI or PMCID to look up",
            )
        return await self.record_for_ids(ids)

    async def record_for_ids(self, ids: Sequence[ArticleId]) -> Record:
        """The record of the first of ``ids`` PubMed knows (NotFoundError of the last)."""
        last: NotFoundError | None = None
        for aid in ids:
            try:
                return await self.service.fetch(aid)
            except NotFoundError as exc:
                last = exc
        raise last or NotFoundError("reference", "This reference has no identifier to look up")


async def _collect(
    pending: Awaitable[tuple[Reference, ...]], problems: list[PubtermError]
) -> tuple[Reference, ...]:
    try:
        return await pending
    except ServiceError as exc:
        problems.append(exc)
        return ()
