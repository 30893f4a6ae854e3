"""A record's bibliography: resolved reference titles, fallback lists, opening a reference.

The reader shows a reference list of hundreds of entries; fetching each record would
take minutes under NCBI's 3 requests a second.  esummary gives what the list needs for
200 PMIDs per request, and the answers are cached like records.  When PubMed has no
reference list at all, Europe PMC and then Crossref fill it, and the record says which.

Failures of these extras never stop the reader: methods return what they could get and
leave the errors in ``last_errors`` (reset at the start of each call) for the UI to show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from tui.data.errors import NotFoundError, OfflineError, PubtermError, ServiceError
from tui.data.fallback import crossref_references, europepmc_references
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record, Reference
from tui.data.service import PubMed
from tui.data.summaries import Summary, parse_esummary, summary_from_bytes, summary_to_bytes

SUMMARY_NAMESPACE = "summary"
SUMMARY_BATCH = 200  # NCBI's advice: at most 200 ids per request (the client POSTs above)

OnBatch = Callable[[dict[str, Summary]], None]


class Bibliography:
    """Summaries, fallback reference lists and reference opening for one PubMed service.

    Shares the service's HTTP client (so its rate limit) and cache.  Not meant for
    concurrent calls on one instance: ``last_errors`` belongs to the latest call.
    """

    def __init__(self, service: PubMed) -> None:
        self.service = service
        self.last_errors: list[PubtermError] = []

    # -- summaries -------------------------------------------------------------------------

    async def summaries(
        self, pmids: Sequence[str], *, on_batch: OnBatch | None = None
    ) -> dict[str, Summary]:
        """PMID -> Summary for every PMID that has one, cache first, then by esummary.

        Fresh cached summaries are reported in one ``on_batch`` call before any request;
        then uncached PMIDs go out in batches of 200, each followed by an ``on_batch``
        call with what it resolved (possibly nothing), so the list fills in as answers
        arrive.  A batch that fails after the client's retries does not raise: its error
        goes to ``last_errors``, old cached copies stand in where there are any, and the
        remaining batches still run.  PMIDs PubMed has no summary for are simply absent.
        """
        self.last_errors = []
        settings = self.service.settings
        wanted = list(dict.fromkeys(p.strip() for p in pmids if p and p.strip().isdigit()))
        found: dict[str, Summary] = {}
        stale: dict[str, Summary] = {}
        missing: list[str] = []
        now = datetime.now(UTC)
        for pmid in wanted:
            blob = self.service.cache.get_blob(SUMMARY_NAMESPACE, pmid)
            summary = summary_from_bytes(blob.data) if blob is not None else None
            if blob is not None and summary is not None:
                age = (now - blob.fetched).total_seconds() / 86400
                if settings.offline or (not settings.refresh and age <= settings.fresh_days):
                    found[pmid] = summary
                    continue
                stale[pmid] = summary
            missing.append(pmid)
        if found and on_batch is not None:
            on_batch(dict(found))
        if missing and settings.offline:
            self.last_errors.append(OfflineError(f"{len(missing)} reference summaries"))
            missing = []
        for start in range(0, len(missing), SUMMARY_BATCH):
            batch = missing[start : start + SUMMARY_BATCH]
            got = await self._summary_batch(batch, stale)
            found.update(got)
            if on_batch is not None:
                on_batch(got)
        return found

    async def _summary_batch(
        self, batch: list[str], stale: dict[str, Summary]
    ) -> dict[str, Summary]:
        try:
            parsed = parse_esummary(await self.service.client.esummary(batch))
        except ServiceError as exc:
            self.last_errors.append(exc)
            return {p: stale[p] for p in batch if p in stale}
        fetched = datetime.now(UTC)
        got: dict[str, Summary] = {}
        for pmid in batch:
            summary = parsed.get(pmid)
            if summary is None:
                continue
            got[pmid] = summary
            self.service.cache.put_blob(SUMMARY_NAMESPACE, pmid, summary_to_bytes(summary), fetched)
        return got

    # -- reference lists -------------------------------------------------------------------

    async def references_for(self, record: Record) -> Record:
        """The record with a reference list from the best source that has one.

        PubMed's own list wins; without one, Europe PMC (by PMID), then Crossref (by DOI).
        ``references_source`` says which: "pubmed", "europepmc", "crossref", or "none"
        when nobody has a list or the services failed (errors in ``last_errors``).
        """
        self.last_errors = []
        if record.references:
            return replace(record, references_source="pubmed")
        if record.pmid.isdigit():
            refs = await self._try(europepmc_references(self.service, record.pmid))
            if refs:
                return replace(record, references=refs, references_source="europepmc")
        if record.doi:
            refs = await self._try(crossref_references(self.service, record.doi))
            if refs:
                return replace(record, references=refs, references_source="crossref")
        return replace(record, references_source="none")

    async def _try(self, pending: Awaitable[tuple[Reference, ...]]) -> tuple[Reference, ...]:
        try:
            refs: tuple[Reference, ...] = await pending
        except ServiceError as exc:
            self.last_errors.append(exc)
            return ()
        return refs

    # -- opening a reference ---------------------------------------------------------------

    async def record_for_reference(self, ref: Reference) -> Record:
        """The PubMed record a reference points to: by PMID, else by DOI, else PMCID.

        A reference known only by DOI goes through the service's DOI resolution (esearch,
        checked against the record's own DOI).  NotFoundError when no identifier leads to
        a PubMed record; service failures raise as they do for ``PubMed.fetch``.
        """
        self.last_errors = []
        tries = [ArticleId(IdKind.PMID, ref.pmid)] if ref.pmid else []
        if ref.doi:
            tries.append(ArticleId(IdKind.DOI, ref.doi))
        if ref.pmcid:
            tries.append(ArticleId(IdKind.PMCID, ref.pmcid))
        if not tries:
            raise NotFoundError(
                ref.citation[:60] or "reference",
                "This reference has no PMID, DOI or PMCID to look up",
            )
        last: NotFoundError | None = None
        for aid in tries:
            try:
                return await self.service.fetch(aid)
            except NotFoundError as exc:
                last = exc
        assert last is not None
        raise last
