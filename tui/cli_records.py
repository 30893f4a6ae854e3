"""The print path's records: straight from the cache when it holds them all, else fetched.

A warm ``pubterm --format json PMID`` reads one cache entry and parses it; the service
would add an event loop, a thread and ``asyncio``'s imports (a third of such a start)
to do the same.  So when every ID is a PMID whose cached copy is to be used as it is,
the records are read here, by the service's own rule (:class:`Freshness`) and parser
(:func:`from_bytes`).  Anything else, a DOI to resolve, a missing or stale copy, a
refresh, goes through the service on a thread (:class:`tui.data.ahead.Ahead`), while
the parser and the chosen format import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tui.data.formats import Renderer, get_renderer
from tui.data.ids import ArticleId, IdKind
from tui.data.records import Outcome
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.eutils import RetryNotice

Fetched = tuple[list[Outcome], str | None]  # the outcomes in order, the cache's warning


def records_to_print(
    settings: Settings,
    ids: Sequence[ArticleId],
    fmt: str,
    on_retry: Callable[[RetryNotice], None],
) -> tuple[Fetched, Renderer]:
    """The outcomes for ``ids`` (with any cache warning) and the format's writer."""
    found = from_cache(settings, ids)
    if found is not None:
        return found, get_renderer(fmt)
    from tui.data.ahead import Ahead
    from tui.data.parse import preload

    # The request goes out first; the format and the parser import while it is away.
    ahead = Ahead.start(settings, ids, on_retry)
    render = get_renderer(fmt)
    preload()
    return ahead.result(), render


def from_cache(settings: Settings, ids: Sequence[ArticleId]) -> Fetched | None:
    """Every record from the cache, or None when any needs the service."""
    from tui.data.cache import RecordCache
    from tui.data.cache_files import DB_FILES

    folder = settings.resolved_cache_dir
    if settings.refresh or not ids or any(a.kind is not IdKind.PMID for a in ids):
        return None
    if not (folder / DB_FILES[0]).exists():
        return None
    from tui.data.freshness import Freshness
    from tui.data.records import from_bytes

    rule = Freshness(settings.offline, settings.refresh, settings.fresh_days)
    cache = RecordCache(folder, size_limit_mb=settings.cache_size_mb)
    try:
        copies = [cache.get_record(aid.value) for aid in ids]
        warning = cache.warning
    finally:
        cache.close()
    outcomes: list[Outcome] = []
    for aid, copy in zip(ids, copies, strict=True):
        if copy is None or not rule.usable(copy.fetched):
            return None
        outcomes.append(from_bytes(aid.value, copy.xml, copy.fetched, cached=True))
    return outcomes, warning
