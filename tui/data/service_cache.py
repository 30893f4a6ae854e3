"""The cache side of the data service: every kept answer, under the one freshness rule.

:class:`tui.data.service.PubMed` is the door to the network; what it may answer without
asking (fresh copies, old ones standing in when a refresh fails, only the cache offline)
is decided here, apart from the requests, so the rule and the disk thread it runs on sit
in one place whatever the network side learns to ask next.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from tui.data.cache import RecordCache, record_key
from tui.data.cache_thread import CacheThread
from tui.data.errors import OfflineError, ParseError, ServiceError
from tui.data.freshness import Freshness
from tui.data.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CachedMany(Generic[T]):
    """Many cached answers of one kind, sorted by the freshness rule."""

    fresh: dict[str, T] = field(default_factory=dict)  # use these
    stale: dict[str, T] = field(default_factory=dict)  # ask again; stand-ins on failure
    missing: list[str] = field(default_factory=list)  # ask (stale ones included), in order


class CachedAnswers:
    """The settings, the cache handle and the freshness rule of one data service."""

    def __init__(self, settings: Settings, cache: RecordCache | None) -> None:
        self.settings = settings
        self._cache = cache
        self._rule = Freshness(settings.offline, settings.refresh, settings.fresh_days)
        self._disk = CacheThread()  # every cache call runs here, off the event loop

    @property
    def offline(self) -> bool:
        """True when only the cache may answer."""
        return self.settings.offline

    @property
    def cache(self) -> RecordCache:
        """The disk cache, opened on first use (tests plant and inspect entries here)."""
        if self._cache is None:
            self._cache = RecordCache(
                self.settings.resolved_cache_dir, size_limit_mb=self.settings.cache_size_mb
            )
        return self._cache

    async def _off(self, call: Callable[[], T]) -> T:
        """``call()`` (cache work) on the cache thread, never on the event loop."""
        return await self._disk.run(call)

    def kept(self, pmid: str) -> bool:
        """False when the record was fetched but the cache could not keep it."""
        return self._cache is None or record_key(pmid) not in self._cache.unkept

    @property
    def cache_problem(self) -> str | None:
        """Why writes fail, in words that follow a count ("the cache folder is full")."""
        return self._cache.problem if self._cache is not None else None

    @property
    def cache_warning(self) -> str | None:
        """Why the cache is not doing its job (disabled, rebuilt, failing), if it is not."""
        return self._cache.warning if self._cache is not None else None

    def _close_cache(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    # -- cached answers other than records -------------------------------------------------

    async def cached_fetch(
        self,
        namespace: str,
        key: str,
        fetch: Callable[[], Awaitable[bytes]],
        decode: Callable[[bytes], T],
        *,
        what: str,
        about: str | None = None,
        fresh_days: float | None = None,
        decode_in_thread: bool = False,
    ) -> T:
        """The public cached-fetch entry point: one answer of kind ``namespace``.

        The cached copy when the freshness rule allows it (always offline); else
        ``fetch()`` (which should ask through this service's requests, so the rate limit
        and retries apply), ``decode`` it and store the bytes.  A failed ``fetch`` falls
        back to the old copy when there is one.  A cached copy ``decode`` cannot read
        (it raises ParseError) counts as none; fresh bytes it cannot read are not stored.
        ``fresh_days`` overrides the settings' freshness for kinds that age faster.
        Raises OfflineError offline without a copy, else the fetch's ServiceError.
        ``what`` names the answer for people ("Cited by", "The full text") and ``about``
        the paper it is for (default ``key``): "Cited by isn't available offline for 1".
        ``decode_in_thread`` decodes in a worker thread: a long answer (a review's full
        text) must not hold up the event loop while it is parsed.
        """

        async def read(data: bytes) -> T:
            return await asyncio.to_thread(decode, data) if decode_in_thread else decode(data)

        blob = await self._off(lambda: self.cache.get_blob(namespace, key))
        old: tuple[T] | None = None
        if blob is not None:
            try:
                old = (await read(blob.data),)
            except ParseError:
                old = None
        if (
            blob is not None
            and old is not None
            and self._rule.usable(blob.fetched, days=fresh_days)
        ):
            return old[0]
        if self.offline:
            raise OfflineError(about or key, what)
        try:
            data = await fetch()
        except ServiceError:
            if old is None:
                raise
            return old[0]
        value = await read(data)
        await self._off(lambda: self.cache.put_blob(namespace, key, data))
        return value

    async def cached_copy(
        self, namespace: str, key: str, *, fresh_days: float | None = None
    ) -> tuple[bytes, bool] | None:
        """The kept bytes of one answer and whether the freshness rule still calls them
        fresh; None when none is kept.  No request is made: a pane can show what the
        cache already knows (a full text's citation counts) without asking the network.
        """
        blob = await self._off(lambda: self.cache.get_blob(namespace, key))
        if blob is None:
            return None
        return blob.data, self._rule.usable(blob.fetched, days=fresh_days)

    async def cached_many(
        self,
        namespace: str,
        keys: Sequence[str],
        decode: Callable[[bytes], T | None],
        *,
        fresh_days: float | None = None,
    ) -> CachedMany[T]:
        """Many answers of one kind at once, for callers that batch their requests.

        ``decode`` returns None for a copy it cannot read (counted missing).  Store what
        the batch brings with :meth:`store`.
        """
        out: CachedMany[T] = CachedMany()
        blobs = await self._off(lambda: [self.cache.get_blob(namespace, k) for k in keys])
        for key, blob in zip(keys, blobs, strict=True):
            value = decode(blob.data) if blob is not None else None
            if blob is not None and value is not None:
                if self._rule.usable(blob.fetched, days=fresh_days):
                    out.fresh[key] = value
                    continue
                out.stale[key] = value
            out.missing.append(key)
        return out

    async def store(
        self, namespace: str, key: str, data: bytes, fetched: datetime | None = None
    ) -> None:
        """Keep one answer fetched for :meth:`cached_many`."""
        await self._off(lambda: self.cache.put_blob(namespace, key, data, fetched))
