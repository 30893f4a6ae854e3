"""Download many records into the cache, so a review and its references read offline.

Records go out in batched efetch calls under the shared NCBI rate limit.  The work is
cancellable between batches and safe to cancel at any point: a batch's records are
stored only after its whole answer arrived and parsed, with no await in between, so a
cancelled prefetch leaves every completed batch cached and nothing of the one in flight.
A record the cache could not keep (the folder is full, or another process holds it) is
not counted as fetched: it is counted once, with the reason, as not kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.data.errors import NotFoundError, OfflineError, PubtermError, UnreachableError
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record

if TYPE_CHECKING:
    from tui.data.service import PubMed

PREFETCH_BATCH = 200
NOT_KEPT_EXIT = 4  # the service's exit code: no cached copy to read offline


@dataclass(frozen=True, slots=True)
class PrefetchResult:
    """Which PMIDs were downloaded, which the cache already held, which failed.

    ``already_cached`` includes old copies kept because their refresh failed: they still
    read offline, which is what a prefetch is for.  ``not_kept`` were downloaded but
    could not be written to the cache, for the reason ``cache_problem`` gives.
    """

    fetched: tuple[str, ...] = ()
    already_cached: tuple[str, ...] = ()
    failed: Mapping[str, PubtermError] = field(default_factory=dict)
    not_kept: tuple[str, ...] = ()
    cache_problem: str | None = None

    @property
    def total(self) -> int:
        return len(self.fetched) + len(self.already_cached) + len(self.failed) + len(self.not_kept)

    @property
    def exit_code(self) -> int:
        """The command-line exit code: the worst failure's, or 0; 4 when records that
        were downloaded could not be kept (what a prefetch is for was lost)."""
        worst = max((e.exit_code for e in self.failed.values()), default=0)
        return max(worst, NOT_KEPT_EXIT) if self.not_kept else worst

    @property
    def reasons(self) -> tuple[tuple[int, str], ...]:
        """(count, why) for the failures, most common first: (243, "not cached while offline")."""
        counts = Counter(failure_reason(e) for e in self.failed.values())
        return tuple((n, why) for why, n in counts.most_common())

    def __str__(self) -> str:
        """One sentence: "12 fetched, 3 already cached, 243 not cached while offline";
        with "; the cache folder is full: 530 of 600 not kept" when writes failed."""
        done = f"{len(self.fetched)} fetched, {len(self.already_cached)} already cached"
        parts = [f"{n} {why}" for n, why in self.reasons]
        if not parts and not self.not_kept:
            parts = ["0 failed"]
        sentence = done
        if parts:
            failures = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
            sentence += f", {failures}"
        if self.not_kept:
            why = self.cache_problem or "the cache could not write"
            sentence += f"; {why}: {len(self.not_kept)} of {self.total} not kept"
        return sentence


def failure_reason(error: PubtermError) -> str:
    """Why one PMID could not be prefetched, as words that follow a count."""
    if isinstance(error, OfflineError):
        return "not cached while offline"
    if isinstance(error, NotFoundError):
        return "not in PubMed"
    return f"not fetched ({error})"


async def prefetch(
    service: PubMed,
    pmids: Sequence[str],
    *,
    on_progress: Callable[[int, int], None] | None = None,
    batch: int = PREFETCH_BATCH,
) -> PrefetchResult:
    """Cache every PMID in ``pmids`` that is not cached and fresh already.

    ``on_progress(done, total)`` is called after each batch (once when nothing needs
    downloading); ``done`` counts the PMIDs dealt with so far, cached ones included.  A
    batch that fails as a whole because NCBI is unreachable ends the run: the remaining
    PMIDs are reported failed with the same error instead of waiting out more retries.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    wanted = list(dict.fromkeys(p.strip() for p in pmids if p and p.strip().isdigit()))
    cached: list[str] = []
    todo: list[str] = []
    for pmid in wanted:
        (cached if await service.record_is_fresh(pmid) else todo).append(pmid)
    fetched: list[str] = []
    not_kept: list[str] = []
    failed: dict[str, PubtermError] = {}
    if service.offline:
        failed.update((p, OfflineError(f"PMID {p}")) for p in todo)
        todo = []
    total = len(wanted)
    if not todo and on_progress is not None:
        on_progress(total, total)
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        outcomes = await service.fetch_many([ArticleId(IdKind.PMID, p) for p in chunk])
        for pmid, outcome in zip(chunk, outcomes, strict=True):
            if isinstance(outcome, Record):
                # An old copy served because its refresh failed still reads offline.
                if outcome.cached:
                    cached.append(pmid)
                else:
                    (fetched if service.kept(pmid) else not_kept).append(pmid)
            else:
                failed[pmid] = outcome
        if on_progress is not None:
            on_progress(len(cached) + len(fetched) + len(failed) + len(not_kept), total)
        if _unreachable(chunk, failed):
            error = failed[chunk[0]]
            failed.update((p, error) for p in todo[start + batch :])
            if on_progress is not None and start + batch < len(todo):
                on_progress(total, total)
            break
    problem = service.cache_problem if not_kept else None
    return PrefetchResult(tuple(fetched), tuple(cached), failed, tuple(not_kept), problem)


def _unreachable(chunk: list[str], failed: Mapping[str, PubtermError]) -> bool:
    """True when the whole batch failed because the service could not be reached."""
    return all(isinstance(failed.get(p), UnreachableError) for p in chunk)
