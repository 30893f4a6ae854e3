"""When to try again, what to tell people meanwhile, and keeping secrets out of words.

The httpx client (:mod:`tui.data.eutils`) and the print path's plain request
(:mod:`tui.data.plain_efetch`) retry by one rule: a full-jitter exponential backoff,
``Retry-After`` honoured, a rate limit resting at least a window.  The rule and the
notice live here, apart from both, so that the plain path imports neither httpx nor
stamina.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from tui.data.answers import Failure
from tui.data.errors import RateLimitedError
from tui.data.settings import Settings


@dataclass(frozen=True, slots=True)
class RetryNotice:
    """Told to ``on_retry`` before each wait, so the reader can say what is going on."""

    reason: str  # "Rate limited by NCBI", "NCBI answered 503", "Connection dropped"...
    wait: float  # seconds until the next attempt
    attempt: int  # the attempt that just failed, from 1
    max_attempts: int = 0

    def __str__(self) -> str:
        # Sub-second waits keep a decimal: "retrying in 0 s" reads as "not waiting".
        shown = f"{self.wait:.1f}" if self.wait < 0.95 else f"{self.wait:.0f}"
        return f"{self.reason}, retrying in {shown} s"


def retry_wait(settings: Settings, attempt: int, failure: Failure) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (from 1)."""
    if failure.retry_after is not None:
        return failure.retry_after
    import random  # only once an attempt has failed

    cap = max(settings.backoff_max, 0.0)
    ceiling = min(cap, settings.backoff_initial * 2 ** (attempt - 1))
    wait = random.uniform(0, ceiling)
    if isinstance(failure.error, RateLimitedError):
        wait = max(wait, min(1.0, cap))  # a rate limit needs at least a window's rest
    return wait


def secret_forms(*values: str | None) -> tuple[str, ...]:
    """Each secret as typed and as it appears percent-encoded in a URL."""
    forms: set[str] = set()
    for value in values:
        if value:
            forms.update({value, quote(value, safe=""), quote_plus(value, safe="")})
    return tuple(sorted(forms, key=len, reverse=True))


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every form of the API key and e-mail replaced by ``***``."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text
