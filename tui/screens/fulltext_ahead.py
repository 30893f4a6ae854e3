"""The full text read ahead of its pane: from the cache, parsed and built in a thread.

Parsing a 600-reference review and building its blocks takes longer than a frame many
times over, so none of it runs on the event loop.  When a record shows, the text the
cache already keeps (no request is made) is parsed in a worker thread: the References
pane can then say how often the text cites each entry, and the pane's key shows the
text at once.  Once the text is on screen, another thread measures every block at the
pane's width, so that scrolling never changes the list's height again.  Both run as the
reader's named jobs; they only hand their results back to the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from tui.data.fulltext import FullTextOutcome, KeptText, kept_full_text, read_kept
from tui.data.fulltext_model import FullText
from tui.data.model import Record
from tui.survivors import handing_back
from tui.widgets.fulltext_lines import Contents, measure, prepare
from tui.widgets.fulltext_view import MeasureKey

if TYPE_CHECKING:
    from textual.app import App
    from textual.content import Content

    from tui.data.service import PubMed

AHEAD_JOB = "fulltext-ahead"
LINES_JOB = "fulltext-lines"
WRAP_RULES = ("line_pad", "text_overflow", "text_wrap")
"""The style rules wrapping reads (copied for the measuring thread)."""


@dataclass(frozen=True, slots=True)
class Ahead:
    """A kept full text, parsed: the outcome, its blocks built, and whether it is fresh."""

    outcome: FullTextOutcome
    contents: Contents | None
    fresh: bool


Delivery = Callable[[str, Ahead | None], None]
Measured = Callable[[FullText, MeasureKey, list["Content"], list[int]], None]


def cited_counts(outcome: FullTextOutcome, record: Record) -> dict[int, int] | None:
    """How often the text cites each of the record's references (by number), when its
    numbers are those of the record's own list (None otherwise, or without a text)."""
    if not isinstance(outcome, FullText) or outcome.references_source != "pubmed":
        return None
    if outcome.references != record.references:
        return None
    return outcome.cited_times()


def read_ahead(app: App[Any], service: PubMed, record: Record, deliver: Delivery) -> None:
    """In a worker thread: the kept text of ``record`` parsed and built, handed to
    ``deliver`` on the event loop (None when the cache keeps none it can read)."""
    ahead: Ahead | None = None
    try:
        ask: Callable[[], Any] = partial(kept_full_text, service, record)  # on the loop
        kept: KeptText | None = app.call_from_thread(ask)
        if kept is not None and not get_current_worker().is_cancelled:
            with handing_back():
                outcome = read_kept(kept, record)
                if outcome is not None:
                    contents = prepare(outcome) if isinstance(outcome, FullText) else None
                    ahead = Ahead(outcome, contents, kept.fresh)
    finally:
        if not get_current_worker().is_cancelled:
            app.call_from_thread(deliver, record.pmid, ahead)


def wrap_rules(styles: Any) -> dict[str, Any]:
    """The list's wrapping rules, copied so a thread reads no live styles."""
    return {name: getattr(styles, name) for name in WRAP_RULES}


def measure_ahead(
    app: App[Any],
    full: FullText,
    contents: Contents,
    rules: Mapping[str, Any],
    key: MeasureKey,
    done: Measured,
) -> None:
    """In a worker thread: every block of ``full`` built and measured at ``key``."""
    width, pad = key
    with handing_back():
        built, heights = measure(full, contents, rules, width - pad.width)
    if not get_current_worker().is_cancelled:
        app.call_from_thread(done, full, key, built, heights)
