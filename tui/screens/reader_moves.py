"""The reader's small moves: go to reference N, open another ID, unmark all, and putting
away a walk that failed.

A walk into a reference can fail (not in PubMed, offline, the network down) while the
record it started from is still on screen.  The reader then stays on that record: the
banner says what went wrong and what would work, ``b`` or escape put it away, and ``r``
refetches the record on screen, never the reference that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from tui.data.errors import OfflineError
from tui.data.ids import ArticleId, IdKind
from tui.keys import spec
from tui.screens.jobs import error_sentence
from tui.screens.reading_state import ReadingState

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

    from tui.data.model import Record
    from tui.widgets.references import ReferencesPane
    from tui.widgets.status import StatusBanner

OFFLINE_HINT = "pubterm is offline: start it without --offline to fetch it"
"""What would work when an offline fetch finds no cached copy (retrying cannot)."""


class MovesHost(Protocol):
    """The reader screen, as these moves see it."""

    request: Any

    @property
    def record(self) -> Record | None: ...

    @property
    def app(self) -> App[Any]: ...

    @property
    def references(self) -> ReferencesPane: ...

    @property
    def state(self) -> ReadingState: ...

    def update(self, change: Callable[[ReadingState], ReadingState]) -> None: ...

    @property
    def banner(self) -> StatusBanner: ...

    @property
    def prefetching(self) -> bool: ...

    def load(self, aid: ArticleId) -> None: ...

    def cancel_prefetch(self) -> None: ...

    def action_focus_pane(self, name: str) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


def failure_hint(error: BaseException | None, *, walk: bool) -> str:
    """What the reader can do about a failed fetch, said as keys that would work."""
    back = f"{spec('back').keys.split(',')[-1].strip()} or {spec('dismiss').key_display}"
    if isinstance(error, OfflineError):
        return f"{OFFLINE_HINT} · {back} goes back to the record" if walk else OFFLINE_HINT
    if walk:
        return f"enter tries again · {back} goes back to the record"
    return f"press {spec('refresh').key_display} to retry"


class ReaderMoves:
    """``:``, ``i``, ``u``, escape, and what a failed fetch leaves on screen."""

    def __init__(self, host: MovesHost) -> None:
        self.host = host
        self.failed_walk: ArticleId | None = None
        """The ID a walk failed to open while the record stayed on screen."""

    # -- a failed fetch ---------------------------------------------------------------

    def fetch_failed(self, error: BaseException | None) -> None:
        """Say why the fetch failed; a failed walk leaves the record on screen as it was."""
        host = self.host
        record = host.record
        request = host.request
        here = ArticleId(IdKind.PMID, record.pmid) if record is not None else None
        walk = here is not None and request is not None and request.aid != here
        self.failed_walk = request.aid if walk else None
        if walk:
            # r refetches what is on screen; the reference is tried again with enter.
            host.request = replace(request, aid=here, move="stay", refresh=False)
        host.banner.error(error_sentence(error), hint=failure_hint(error, walk=walk))

    def can_put_away(self) -> bool:
        """True while an error about a record that did not open shows over a record."""
        return self.host.record is not None and self.host.banner.kind == "error"

    def put_away(self) -> bool:
        """Hide the error of a fetch that failed, back to the record on screen."""
        if not self.can_put_away():
            return False
        self.failed_walk = None
        record = self.host.record
        if record is not None and record.stale:
            self.host.banner.notice(record.stale)
        else:
            self.host.banner.clear()
        return True

    def back_from_failed_walk(self) -> bool:
        """``b`` after a failed walk: back to the record it started from (it never left)."""
        return self.failed_walk is not None and self.put_away()

    # -- escape -------------------------------------------------------------------------

    def can_dismiss(self) -> bool:
        """Whether escape has something to do here (else it goes on to the app)."""
        return self.host.prefetching or self.can_put_away()

    def dismiss(self) -> None:
        """Escape: stop a running prefetch, else put away the error banner."""
        if self.host.prefetching:
            self.host.cancel_prefetch()
        else:
            self.put_away()

    # -- keys ---------------------------------------------------------------------------

    def clear_marks(self) -> None:
        """Unmark every reference of the record."""
        count = len(self.host.state.marked)
        self.host.update(lambda state: state.unmarking_all())
        if count:
            noun = "reference" if count == 1 else "references"
            self.host.notify(f"Unmarked {count} {noun}")
        else:
            self.host.notify("No reference is marked")

    def go_to_reference(self) -> None:
        """Ask for a reference number, then put the cursor on that reference."""
        count = len(self.host.state.references)
        if not count:
            self.host.notify("This record has no reference list", severity="warning")
            return
        from tui.screens.prompt import number_prompt  # at the key: start never needs it

        self.host.app.push_screen(number_prompt(count), self._go_to)

    def _go_to(self, number: int | None) -> None:
        host = self.host
        pane = host.references
        if number is None or number > len(pane.references):
            return
        host.action_focus_pane("references")
        if pane.filter_text:
            pane.clear_filter()  # the number is the review's: it may be filtered out
        pane.reference_list.highlighted = number - 1

    def open_id(self) -> None:
        """Ask for another PMID, DOI or link, and open it."""
        from tui.screens.prompt import id_prompt

        self.host.app.push_screen(id_prompt(), self._open)

    def _open(self, aid: ArticleId | None) -> None:
        if aid is not None:
            self.host.load(aid)
