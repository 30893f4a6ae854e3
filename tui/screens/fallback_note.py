"""What the references pane says when PubMed has no list and the fallbacks gave none.

"none found" is a finding: Europe PMC and Crossref answered and had no list.  When they
could not be asked (the network down, a server error) the pane must not claim it: it
says they were unreachable and which key tries again; offline, that the list is not
kept for offline reading.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.data.errors import OfflineError, PubtermError

UNREACHABLE = "unreachable"
OFFLINE = "offline"


def fallback_source(source: str, problems: Sequence[PubtermError]) -> str:
    """``references_source`` as the pane should read it: "none" only for a real empty
    answer, else ``UNREACHABLE`` (a service failed) or ``OFFLINE`` (not in the cache)."""
    if source != "none" or not problems:
        return source
    if all(isinstance(p, OfflineError) for p in problems):
        return OFFLINE
    return UNREACHABLE
