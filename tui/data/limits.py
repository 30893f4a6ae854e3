"""How much one answer may hold and how long one attempt may take, for every client.

Both ways pubterm asks a service, httpx on an event loop (:mod:`tui.data.fetching`) and
the print path's plain ``http.client`` request (:mod:`tui.data.plain_http`), apply the
same nets; they live here, apart from either, so that the plain path imports no httpx.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

MAX_ANSWER_MB = 64.0  # unpacked; a 20,000-reference efetch batch is well below
DEADLINE_SECONDS = 60.0  # for one attempt, redirects and the whole body included
MAX_REDIRECTS = 5
SECRET_PARAMS = ("api_key", "email", "mailto")  # never sent to a host other than the one asked
ENV_MAX_MB, ENV_DEADLINE = "PUBTERM_MAX_ANSWER_MB", "PUBTERM_DEADLINE"


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one answer may unpack to, and how long one attempt may take in all."""

    max_bytes: int = int(MAX_ANSWER_MB * 1024 * 1024)
    deadline: float = DEADLINE_SECONDS
    max_redirects: int = MAX_REDIRECTS

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, or ``PUBTERM_MAX_ANSWER_MB`` / ``PUBTERM_DEADLINE`` when set.

        A value that is not a positive number is ignored rather than fatal: these are
        safety nets, and the default net is better than none.
        """
        env = os.environ if environ is None else environ
        mb, deadline = _positive(env.get(ENV_MAX_MB)), _positive(env.get(ENV_DEADLINE))
        return cls(
            max_bytes=int((mb or MAX_ANSWER_MB) * 1024 * 1024),
            deadline=deadline or DEADLINE_SECONDS,
        )


def _positive(value: str | None) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and number > 0 else None
