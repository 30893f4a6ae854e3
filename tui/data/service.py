"""The one door the command line and the reader use to get records.

It ties the identifier resolver, the E-utilities client, the parser and the disk cache
together so that both front ends behave identically: the same freshness rule, the same
stale-copy fallback, the same errors.  Only raw efetch bytes are cached, so a parser fix
applies to records cached before it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.data.cache import RecordCache
from tui.data.early import EarlyFetch
from tui.data.errors import (
    NotFoundError,
    OfflineError,
    ParseError,
    PubtermError,
    ServiceError,
    UnreachableError,
)
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record
from tui.data.parse import parse_esearch, parse_pubmed, split_pubmed
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.eutils import EutilsClient, RetryNotice

Outcome = Record | PubtermError
PARSED_KEPT = 32  # parsed records kept in memory per session


def age_in_words(fetched: datetime, now: datetime | None = None) -> str:
    """'41 days ago', 'yesterday', '3 hours ago': how old a cached copy is, for people."""
    seconds = ((now or datetime.now(UTC)) - fetched).total_seconds()
    days = int(seconds // 86400)
    if days >= 2:
        return f"{days} days ago"
    if days == 1:
        return "yesterday"
    hours = int(seconds // 3600)
    if hours >= 1:
        return f"{hours} hour{'s' if hours > 1 else ''} ago"
    return "less than an hour ago"


def stale_sentence(error: PubtermError, fetched: datetime) -> str:
    """The warning shown when an old cached copy stands in for a failed refresh."""
    why = "PubMed unreachable" if isinstance(error, UnreachableError) else str(error)
    return f"{why} — showing the copy cached {age_in_words(fetched)}"


class PubMed:
    """Records by PMID, DOI or PMCID, from the cache when fresh, else from NCBI.

    One instance per process (or per reader session): it owns one HTTP client, which
    carries the process-wide rate limit, and one cache handle.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        on_retry: Callable[[RetryNotice], None] | None = None,
        client: EutilsClient | None = None,
        cache: RecordCache | None = None,
        early: EarlyFetch | None = None,
    ) -> None:
        self.settings = settings
        self._early = early
        self.on_retry = on_retry
        self._client = client
        self._cache = cache
        # PMID -> (raw bytes, parsed record) of the records read this session: walking
        # back to a review does not parse its hundreds of references again.
        self._parsed: dict[str, tuple[bytes, Record]] = {}

    @property
    def cache(self) -> RecordCache:
        """The disk cache, opened on first use."""
        if self._cache is None:
            self._cache = RecordCache(
                self.settings.resolved_cache_dir, size_limit_mb=self.settings.cache_size_mb
            )
        return self._cache

    @property
    def cache_warning(self) -> str | None:
        """Why the cache is not doing its job (disabled, rebuilt, failing), if it is not."""
        return self._cache.warning if self._cache is not None else None

    @property
    def client(self) -> EutilsClient:
        """The HTTP client, created on first use so offline runs never import httpx."""
        if self._client is None:
            from tui.data.eutils import EutilsClient

            self._client = EutilsClient(self.settings, on_retry=self._notify_retry)
        return self._client

    def _notify_retry(self, notice: RetryNotice) -> None:
        if self.on_retry is not None:
            self.on_retry(notice)

    async def aclose(self) -> None:
        """Close the HTTP client and the cache; safe to call twice."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    async def __aenter__(self) -> PubMed:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- identifiers -------------------------------------------------------------------

    async def resolve(self, aid: ArticleId) -> str:
        """The PMID for an identifier: from the cache, else with one esearch."""
        if aid.kind is IdKind.PMID:
            return aid.value
        known = self.cache.get_alias(aid.kind.value, aid.key)
        if known:
            return known
        if self.settings.offline:
            raise OfflineError(str(aid))
        field = "doi" if aid.kind is IdKind.DOI else "pmcid"
        ids = parse_esearch(await self.client.esearch(f"{aid.value}[{field}]"))
        if not ids:
            raise NotFoundError(str(aid), f"No PubMed record for {aid}")
        return ids[0]

    # -- records -----------------------------------------------------------------------

    def has_cached(self, aid: ArticleId) -> bool:
        """True when the cache holds a copy of the record (fresh or not), read offline."""
        pmid = (
            aid.value if aid.kind is IdKind.PMID else self.cache.get_alias(aid.kind.value, aid.key)
        )
        return pmid is not None and self.cache.get_record(pmid) is not None

    async def fetch(self, aid: ArticleId, *, refresh: bool = False) -> Record:
        """One record, or the error that stopped it.

        The first fetch adopts the early fetch handed to the constructor when it is of
        the same ID (and not a refresh); any first fetch uses up that chance.
        """
        early, self._early = self._early, None
        if early is not None and early.aid == aid and not refresh:
            return await early.result(self._notify_retry)
        (outcome,) = await self.fetch_many([aid], refresh=refresh)
        if isinstance(outcome, PubtermError):
            raise outcome
        return outcome

    async def fetch_many(self, ids: Sequence[ArticleId], *, refresh: bool = False) -> list[Outcome]:
        """Records in the order asked for; all network fetches share one batched efetch."""
        refresh = refresh or self.settings.refresh
        resolved = await asyncio.gather(*(self._resolve_safely(a) for a in ids))
        pmids = [p for p in resolved if isinstance(p, str)]
        records = await self._records_for(list(dict.fromkeys(pmids)), refresh=refresh)
        outcomes: list[Outcome] = []
        for aid, pmid in zip(ids, resolved, strict=True):
            if isinstance(pmid, PubtermError):
                outcomes.append(pmid)
                continue
            outcome = records[pmid]
            if isinstance(outcome, Record) and aid.kind is not IdKind.PMID:
                outcome = self._check_alias(aid, outcome)
            outcomes.append(outcome)
        return outcomes

    async def _resolve_safely(self, aid: ArticleId) -> str | PubtermError:
        try:
            return await self.resolve(aid)
        except PubtermError as exc:
            return exc

    def _check_alias(self, aid: ArticleId, record: Record) -> Outcome:
        """Make sure esearch's answer really is the DOI/PMCID asked for, then remember it."""
        have = record.doi if aid.kind is IdKind.DOI else record.pmcid
        if have is None or have.lower() != aid.key.lower():
            return NotFoundError(str(aid), f"No PubMed record for {aid}")
        self.cache.put_alias(aid.kind.value, aid.key, record.pmid)
        return record

    async def _records_for(self, pmids: list[str], *, refresh: bool) -> dict[str, Outcome]:
        out: dict[str, Outcome] = {}
        stale: dict[str, tuple[bytes, datetime]] = {}
        wanted: list[str] = []
        now = datetime.now(UTC)
        for pmid in pmids:
            cached = self.cache.get_record(pmid)
            if cached is not None:
                age_days = (now - cached.fetched).total_seconds() / 86400
                usable = self.settings.offline or (
                    not refresh and age_days <= self.settings.fresh_days
                )
                if usable:
                    out[pmid] = self._remembered(pmid, cached.xml, cached.fetched)
                    continue
                stale[pmid] = (cached.xml, cached.fetched)
            if self.settings.offline:
                out[pmid] = OfflineError(f"PMID {pmid}")
            else:
                wanted.append(pmid)
        if wanted:
            out.update(await self._download(wanted, stale))
        return out

    async def _download(
        self, pmids: list[str], stale: dict[str, tuple[bytes, datetime]]
    ) -> dict[str, Outcome]:
        out: dict[str, Outcome] = {}
        try:
            body = await self.client.efetch(pmids)
            parts = split_pubmed(body)
            fetched = datetime.now(UTC)
            for pmid in pmids:
                part = parts.get(pmid)
                if part is None:
                    missing = NotFoundError(pmid, f"No PubMed record {pmid}")
                    out[pmid] = self._stale_or(missing, pmid, stale)
                    continue
                record = self._from_bytes(pmid, part, fetched, cached=False)
                if isinstance(record, Record):
                    self.cache.put_record(pmid, part, fetched)
                    if len(pmids) == 1:  # a record being read, not a prefetch batch
                        self._remember(pmid, part, record)
                out[pmid] = record
        except ServiceError as exc:
            for pmid in pmids:
                out[pmid] = self._stale_or(exc, pmid, stale)
        return out

    def _stale_or(
        self, error: PubtermError, pmid: str, stale: dict[str, tuple[bytes, datetime]]
    ) -> Outcome:
        """The old cached copy with a warning when there is one, else the error itself."""
        if pmid not in stale:
            return error
        xml, when = stale[pmid]
        record = self._from_bytes(pmid, xml, when, cached=True)
        if not isinstance(record, Record):
            return error
        return replace(record, stale=stale_sentence(error, when))

    def _remembered(self, pmid: str, xml: bytes, fetched: datetime) -> Outcome:
        """A cached record, parsed once per session (while its bytes stay the same)."""
        known = self._parsed.get(pmid)
        if known is not None and known[0] == xml:
            return replace(known[1], fetched=fetched, cached=True)
        outcome = self._from_bytes(pmid, xml, fetched, cached=True)
        if isinstance(outcome, Record):
            self._remember(pmid, xml, outcome)
        return outcome

    def _remember(self, pmid: str, xml: bytes, record: Record) -> None:
        self._parsed.pop(pmid, None)
        if len(self._parsed) >= PARSED_KEPT:
            self._parsed.pop(next(iter(self._parsed)))
        self._parsed[pmid] = (xml, record)

    @staticmethod
    def _from_bytes(pmid: str, xml: bytes, fetched: datetime, *, cached: bool) -> Outcome:
        try:
            records = parse_pubmed(xml)
        except ParseError as exc:
            return exc
        for record in records:
            if record.pmid == pmid:
                return replace(record, fetched=fetched, cached=cached)
        return NotFoundError(pmid, f"No PubMed record {pmid}")


def start_first_fetch(settings: Settings, aid: ArticleId) -> EarlyFetch:
    """Start fetching the reader's first record on a thread, before the reader imports.

    Hand the result to ``PubMed(..., early=...)`` (the reader's app does): its first
    ``fetch`` of the same ID adopts the outcome instead of asking NCBI again.
    """

    async def job(on_retry: Callable[[RetryNotice], None], underway: Callable[[], None]) -> Record:
        async with PubMed(settings, on_retry=on_retry) as service:
            if not settings.offline and not service.has_cached(aid):
                # Built now, while the reader's imports are not yet competing for the GIL.
                service.client  # noqa: B018
            underway()
            # Settled before the client and cache close: the reader waits for this.
            return await service.fetch(aid)

    return EarlyFetch.start(aid, job)
