"""When a cached copy may stand in for asking again, and how its age is told.

One rule for every kind of cached answer (records, summaries, link lists, fallback
reference lists, and whatever is cached next): offline, any copy will do; with
``refresh``, none; otherwise a copy younger than its kind's freshness in days.  A copy
that is too old is still kept as the stand-in for a refresh that fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tui.data.errors import PubtermError, UnreachableError


@dataclass(frozen=True, slots=True)
class Freshness:
    """The rule, with the session's settings in it."""

    offline: bool
    refresh: bool
    fresh_days: float

    def usable(
        self,
        fetched: datetime,
        *,
        days: float | None = None,
        refresh: bool = False,
        now: datetime | None = None,
    ) -> bool:
        """True when a copy fetched at ``fetched`` is to be used without asking again."""
        if self.offline:
            return True
        if refresh or self.refresh:
            return False
        age = ((now or datetime.now(UTC)) - fetched).total_seconds() / 86400
        return age <= (self.fresh_days if days is None else days)


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
