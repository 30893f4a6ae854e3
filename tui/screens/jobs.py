"""Every background job of the reader, and the sentence its failure ends as.

Fetching, resolving titles, loading linked papers, citing, prefetching and opening a
browser all run as named workers that never take the app down; when one raises, the
status banner says which job failed and why, rather than nothing being shown at all.
"""

from __future__ import annotations

from tui.data.errors import PubtermError

JOB_FAILURES: dict[str, str] = {
    "fetch": "Could not load the record",
    "references": "Could not load the reference titles",
    "links-cited-by": "Could not load the papers citing this record",
    "links-similar": "Could not load the similar articles",
    "cite": "Could not make the citation or the export",
    "prefetch": "Prefetch failed",
    "open": "Could not open the browser",
    "fulltext": "Could not load the full text",
    "fulltext-ahead": "Could not read the kept full text",
    "fulltext-lines": "Could not lay out the full text",
}
"""Worker group -> what the reader was doing, the start of its failure sentence."""


def error_sentence(error: BaseException | None) -> str:
    """The words shown for a failed fetch; unexpected errors are named, never traced."""
    if isinstance(error, PubtermError):
        return str(error)
    if error is None:
        return "Unexpected error"
    detail = str(error) or type(error).__name__
    return f"Unexpected error: {detail}"


def failure_sentence(group: str, error: BaseException | None) -> str:
    """The banner's sentence for a failed background job of ``group``."""
    doing = JOB_FAILURES.get(group, "A background job failed")
    return f"{doing}: {error_sentence(error)}"
