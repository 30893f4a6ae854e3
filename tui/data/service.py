"""The one door to PubMed and its neighbours, for the command line, the reader and the
rest of the data layer.

It owns the session's HTTP client (which carries the process-wide rate limit), its cache
handle and its settings; nothing else reaches them.  Records come through ``fetch`` and
``fetch_many``; every other cached answer (summaries, link lists, fallback reference
lists, full texts) comes through ``cached_fetch`` / ``cached_many``, which apply the one
freshness rule of :mod:`tui.data.freshness`: fresh copies are used, old ones stand in
when a refresh fails, and offline only the cache answers (the cache side lives in
:mod:`tui.data.service_cache`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from tui.data import urls
from tui.data.cache import RecordCache
from tui.data.early import EarlyFetch
from tui.data.efetch_outcomes import efetch_outcomes
from tui.data.errors import NotFoundError, OfflineError, PubtermError, ServiceError
from tui.data.freshness import age_in_words, stale_sentence
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record
from tui.data.parse import parse_esearch
from tui.data.records import Outcome, ParsedMemory
from tui.data.service_cache import CachedAnswers
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.eutils import EutilsClient, RetryNotice
    from tui.data.plain_efetch import PlainEfetch

Api = Literal["europepmc", "crossref"]
__all__ = ["Outcome", "PubMed", "age_in_words", "stale_sentence"]


class PubMed(CachedAnswers):
    """Records by PMID, DOI or PMCID, and every other answer, cached by one rule.

    One instance per process (or per reader session): it owns one HTTP client, which
    carries the process-wide rate limit, and one cache handle.  ``early`` is a first
    fetch started before the reader imported (``tui.data.first.start_first_fetch``);
    ``sent`` an efetch written before anything was imported (``tui.cli_early``), whose
    answer the first download of the same PMIDs reads instead of asking again.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        on_retry: Callable[[RetryNotice], None] | None = None,
        client: EutilsClient | None = None,
        cache: RecordCache | None = None,
        early: EarlyFetch | None = None,
        sent: PlainEfetch | None = None,
    ) -> None:
        super().__init__(settings, cache)
        self._sent = sent  # an efetch already written (tui.data.plain_efetch), read once
        self.on_retry = on_retry
        self._client = client
        self._early = early
        self._parsed = ParsedMemory()

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
        await self._disk.close(self._close_cache)

    async def __aenter__(self) -> PubMed:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- requests (rate-limited, retried) ----------------------------------------------------

    async def esummary(self, pmids: Sequence[str]) -> bytes:
        """esummary's XML document summaries for ``pmids`` (at most 200 a call, please)."""
        return await self.client.esummary(pmids)

    async def elink(self, pmid: str, linkname: str) -> bytes:
        """elink's JSON for one PMID and link name."""
        return await self.client.elink(pmid, linkname)

    async def ask_json(self, api: Api, path: str, params: Mapping[str, str] | None = None) -> bytes:
        """A JSON answer from Europe PMC or Crossref, ``path`` under its configured base."""
        base = self.settings.europepmc_url if api == "europepmc" else self.settings.crossref_url
        return await self.client.get_json(urls.endpoint(base, path), params)

    async def ask_eutil(
        self, name: str, params: Mapping[str, str], root: str, *, post: bool = False
    ) -> bytes:
        """An E-utility answer with any parameters (a search's sort, paging, WebEnv)."""
        return await self.client.eutil(name, params, root, post=post)

    async def ask_xml(
        self, api: Api | Literal["eutils"], path: str, params: Mapping[str, str], root: str
    ) -> bytes:
        """An XML answer (full text) from ``path`` under Europe PMC's or NCBI's base."""
        bases = {
            "europepmc": self.settings.europepmc_url,
            "crossref": self.settings.crossref_url,
            "eutils": self.settings.eutils_url,
        }
        return await self.client.get_xml(urls.endpoint(bases[api], path), params, root)

    # -- identifiers -------------------------------------------------------------------

    async def resolve(self, aid: ArticleId) -> str:
        """The PMID for an identifier: from the cache, else esearch's first hit."""
        return (await self.candidates(aid))[0]

    async def candidates(self, aid: ArticleId) -> list[str]:
        """The PMIDs that may be ``aid``: the cached one, else every esearch hit.

        esearch can rank another paper first (one citing the DOI, say), so each hit's
        own DOI or PMCID decides, not the order (see :meth:`fetch_many`).
        """
        if aid.kind is IdKind.PMID:
            return [aid.value]
        known = await self._off(lambda: self.cache.get_alias(aid.kind.value, aid.key))
        if known:
            return [known]
        if self.offline:
            raise OfflineError(str(aid))
        field = "doi" if aid.kind is IdKind.DOI else "pmcid"
        ids = parse_esearch(await self.client.esearch(f"{aid.value}[{field}]"))
        if not ids:
            raise NotFoundError(str(aid), f"No PubMed record for {aid}")
        return list(dict.fromkeys(ids))

    async def _candidates_safely(self, aid: ArticleId) -> list[str] | PubtermError:
        try:
            return await self.candidates(aid)
        except PubtermError as exc:
            return exc

    def _check_alias(self, aid: ArticleId, record: Record) -> Outcome:
        """Make sure esearch's answer really is the DOI/PMCID asked for (the caller then
        remembers it)."""
        have = record.doi if aid.kind is IdKind.DOI else record.pmcid
        if have is None or have.lower() != aid.key.lower():
            return NotFoundError(str(aid), f"No PubMed record for {aid}")
        return record

    # -- records -----------------------------------------------------------------------

    def has_cached(self, aid: ArticleId) -> bool:
        """True when the cache holds a copy of the record (fresh or not), read offline."""
        pmid = (
            aid.value if aid.kind is IdKind.PMID else self.cache.get_alias(aid.kind.value, aid.key)
        )
        return pmid is not None and self.cache.get_record(pmid) is not None

    def prepare(self, aid: ArticleId) -> None:
        """Build the HTTP client now if ``aid`` will need the network (before a burst of
        imports on other threads competes for the GIL); a no-op offline or when cached."""
        if not self.offline and not self.has_cached(aid):
            self.client  # noqa: B018

    async def record_is_fresh(self, pmid: str) -> bool:
        """True when the cached record is to be used without asking NCBI again."""
        cached = await self._off(lambda: self.cache.get_record(pmid))
        return cached is not None and self._rule.usable(cached.fetched)

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
        resolved = await asyncio.gather(*(self._candidates_safely(a) for a in ids))
        pmids = [p for found in resolved if isinstance(found, list) for p in found]
        records = await self._records_for(list(dict.fromkeys(pmids)), refresh=refresh)
        outcomes: list[Outcome] = []
        aliases: list[tuple[str, str, str]] = []
        for aid, found in zip(ids, resolved, strict=True):
            if isinstance(found, PubtermError):
                outcomes.append(found)
            elif aid.kind is IdKind.PMID:
                outcomes.append(records[found[0]])
            else:
                outcome = self._matching(aid, [records[p] for p in found])
                if isinstance(outcome, Record):
                    aliases.append((aid.kind.value, aid.key, outcome.pmid))
                outcomes.append(outcome)
        if aliases:
            await self._off(lambda: [self.cache.put_alias(*alias) for alias in aliases])
        return outcomes

    def _matching(self, aid: ArticleId, found: list[Outcome]) -> Outcome:
        """The hit that really is ``aid`` (remembered), else the first error or not found."""
        for outcome in found:
            if isinstance(outcome, Record):
                checked = self._check_alias(aid, outcome)
                if isinstance(checked, Record):
                    return checked
        errors = [o for o in found if not isinstance(o, Record)]
        return errors[0] if errors else NotFoundError(str(aid), f"No PubMed record for {aid}")

    async def _records_for(self, pmids: list[str], *, refresh: bool) -> dict[str, Outcome]:
        out: dict[str, Outcome] = {}
        stale: dict[str, tuple[bytes, datetime]] = {}
        wanted: list[str] = []
        found = await self._off(lambda: [self.cache.get_record(p) for p in pmids])
        for pmid, cached in zip(pmids, found, strict=True):
            if cached is not None:
                if self._rule.usable(cached.fetched, refresh=refresh):
                    out[pmid] = self._parsed.cached(pmid, cached.xml, cached.fetched)
                    continue
                stale[pmid] = (cached.xml, cached.fetched)
            if self.offline:
                out[pmid] = OfflineError(f"PMID {pmid}")
            else:
                wanted.append(pmid)
        if wanted:
            out.update(await self._download(wanted, stale))
        return out

    async def _download(
        self, pmids: list[str], stale: dict[str, tuple[bytes, datetime]]
    ) -> dict[str, Outcome]:
        sent, self._sent = self._sent, None
        try:
            if sent is not None and sent.pmids == tuple(pmids):
                answer: bytes | ServiceError = await asyncio.to_thread(
                    sent.result, self._notify_retry
                )
            else:
                if sent is not None:
                    sent.close()
                answer = await self.client.efetch(pmids)
        except ServiceError as exc:
            answer = exc
        fetched = datetime.now(UTC)
        out, keep = efetch_outcomes(pmids, answer, fetched, stale)
        if len(pmids) == 1:  # a record being read, not a prefetch batch
            for pmid, part in keep.items():
                record = out[pmid]
                if isinstance(record, Record):
                    self._parsed.remember(pmid, part, record)
        await self._off(lambda: [self.cache.put_record(p, x, fetched) for p, x in keep.items()])
        return out
