"""The print path's records: straight from the cache when it holds them all, else fetched.

A warm ``pubterm --format json PMID`` reads one cache entry and parses it; the service
would add an event loop, a thread and ``asyncio``'s imports (a third of such a start)
to do the same.  So when every ID is a PMID whose cached copy is to be used as it is,
the records are read here, by the service's own rule (:class:`Freshness`) and parser
(:func:`from_bytes`).  PMIDs the cache lacks (or holds too old), asked of an ``http://``
E-utilities address, are fetched by one plain request (:mod:`tui.data.plain_efetch`),
written before the parser and the format import and read after, and kept in the cache
as any efetch is.  Anything else, a DOI to resolve, an ``https://`` address, goes
through the service on a thread (:class:`tui.data.ahead.Ahead`), while the parser and
the chosen format import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.data.errors import ServiceError
from tui.data.formats import Renderer, get_renderer
from tui.data.freshness import Freshness
from tui.data.ids import ArticleId, IdKind
from tui.data.records import Outcome
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.cache import CachedRecord
    from tui.data.eutils import RetryNotice
    from tui.data.plain_efetch import PlainEfetch

Fetched = tuple[list[Outcome], str | None]  # the outcomes in order, the cache's warning
Copies = dict[str, "CachedRecord | None"]  # PMID -> its cached copy, read once


def records_to_print(
    settings: Settings,
    ids: Sequence[ArticleId],
    fmt: str,
    on_retry: Callable[[RetryNotice], None],
    *,
    started: PlainEfetch | None = None,
) -> tuple[Fetched, Renderer]:
    """The outcomes for ``ids`` (with any cache warning) and the format's writer.

    ``started`` is a plain efetch the command sent before its imports
    (:mod:`tui.cli_early`); it is used when it asks for just these records, else closed.
    """
    pmids = [a.value for a in ids] if all(a.kind is IdKind.PMID for a in ids) else None
    if started is not None and (pmids is None or not started.serves(settings, _unique(pmids))):
        started.close()
        started = None
    copies: Copies = {}
    if started is None:
        found, copies = _from_cache(settings, ids)
        if found is not None:
            return found, get_renderer(fmt)
        if pmids is not None:
            started = _plain_start(settings, pmids, copies)
    if started is not None:
        assert pmids is not None
        render = get_renderer(fmt)
        return _plain_records(settings, pmids, started, copies, on_retry), render
    from tui.data.ahead import Ahead
    from tui.data.parse import preload

    # The request goes out first; the format and the parser import while it is away.
    ahead = Ahead.start(settings, ids, on_retry)
    render = get_renderer(fmt)
    preload()
    return ahead.result(), render


def _unique(pmids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(pmids))


def _plain_start(settings: Settings, pmids: list[str], copies: Copies) -> PlainEfetch | None:
    """The plain efetch of the PMIDs the cache cannot answer, sent; None where it does
    not apply (an https:// address, offline, too many for one GET)."""
    from tui.data.plain_efetch import PlainEfetch, plain_applies

    rule = Freshness(settings.offline, settings.refresh, settings.fresh_days)
    wanted = [p for p in _unique(pmids) if not _usable(copies.get(p), rule)]
    if not plain_applies(settings, wanted):
        return None
    return PlainEfetch.start(settings, wanted)


def _usable(copy: CachedRecord | None, rule: Freshness) -> bool:
    return copy is not None and rule.usable(copy.fetched)


def _plain_records(
    settings: Settings,
    pmids: list[str],
    started: PlainEfetch,
    copies: Copies,
    on_retry: Callable[[RetryNotice], None],
) -> Fetched:
    """Read the sent efetch's answer (after the imports it overlapped), keep it, parse it."""
    from tui.data.cache import RecordCache
    from tui.data.efetch_outcomes import efetch_outcomes
    from tui.data.parse import preload
    from tui.data.records import from_bytes

    preload()
    # The cache (its folder and database made on a cold start) opens while the answer is
    # away; the record is written to it raw, as the service writes any efetch.
    cache = RecordCache(settings.resolved_cache_dir, size_limit_mb=settings.cache_size_mb)
    try:
        if not copies:  # sent before the cache was read: its copies stand in on failure
            copies = {p: cache.get_record(p) for p in _unique(pmids)}
        wanted = list(started.pmids)
        stale = {p: (c.xml, c.fetched) for p, c in copies.items() if c is not None}
        try:
            answer: bytes | ServiceError = started.result(on_retry)
        except ServiceError as exc:
            answer = exc
        fetched = datetime.now(UTC)
        found, keep = efetch_outcomes(wanted, answer, fetched, stale)
        for pmid, part in keep.items():
            cache.put_record(pmid, part, fetched)
        outcomes: list[Outcome] = []
        for pmid in pmids:
            copy = copies.get(pmid)
            if pmid not in found and copy is not None:  # fresh in the cache: not asked
                found[pmid] = from_bytes(pmid, copy.xml, copy.fetched, cached=True)
            outcomes.append(found[pmid])
        return outcomes, cache.warning
    finally:
        cache.close()


def from_cache(settings: Settings, ids: Sequence[ArticleId]) -> Fetched | None:
    """Every record from the cache, or None when any needs the service."""
    return _from_cache(settings, ids)[0]


def _from_cache(settings: Settings, ids: Sequence[ArticleId]) -> tuple[Fetched | None, Copies]:
    """Every record from the cache (or None), and the copies it read on the way."""
    from tui.data.cache_files import DB_FILES

    folder = settings.resolved_cache_dir
    if not ids or any(a.kind is not IdKind.PMID for a in ids):
        return None, {}
    if not (folder / DB_FILES[0]).exists():
        return None, {}
    from tui.data.cache import RecordCache
    from tui.data.records import from_bytes

    rule = Freshness(settings.offline, settings.refresh, settings.fresh_days)
    cache = RecordCache(folder, size_limit_mb=settings.cache_size_mb)
    try:
        copies: Copies = {aid.value: cache.get_record(aid.value) for aid in ids}
        warning = cache.warning
    finally:
        cache.close()
    outcomes: list[Outcome] = []
    for aid in ids:
        copy = copies[aid.value]
        if copy is None or not rule.usable(copy.fetched):  # a refresh uses none
            return None, copies
        outcomes.append(from_bytes(aid.value, copy.xml, copy.fetched, cached=True))
    return (outcomes, warning), copies
