"""The reader's side of the Full text pane: when to fetch the text, and where it goes.

The text is fetched the first time the pane is shown for a record (most records are
read by their abstract alone), in a named job like every other fetch, and kept for the
last few records, so walking into a cited paper and back shows the text again at once,
on the line left.  While the pane is open at wide sizes it holds the main column;
choosing the Abstract or Keywords gives the column back.  A citation shown beside the
text also highlights its reference in the References pane when that lists every
reference.  Failures are sentences in the pane itself ("… isn't available offline").
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.data.errors import PubtermError
from tui.data.fulltext import FullTextOutcome, fetch_full_text
from tui.data.fulltext_model import Context, FullText
from tui.data.model import Record
from tui.screens.fulltext_ahead import (
    AHEAD_JOB,
    LINES_JOB,
    Ahead,
    cited_counts,
    measure_ahead,
    read_ahead,
    wrap_rules,
)
from tui.screens.restyle import restyle_for
from tui.survivors import freeze_survivors
from tui.widgets.fulltext import LOADING, FullTextPane
from tui.widgets.fulltext_lines import Contents
from tui.widgets.fulltext_view import MeasureKey, Place

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.screens.host import ReaderHost
    from tui.screens.reading_state import ReadingState

PANE = "fulltext"
OPEN_CLASS = "-fulltext-open"
KEEP = 8  # records whose text (and place in it) are kept


class FullTextReader:
    """Fetches the record's full text for the pane and keeps the main column for it."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host
        self.outcomes: OrderedDict[str, FullTextOutcome] = OrderedDict()
        self.places: dict[str, Place] = {}
        self.built: dict[str, Contents] = {}
        """Record PMID -> the blocks of its kept text, built (ahead, or as shown)."""
        self.shown_for: str | None = None
        self.ahead_for: str | None = None
        """The record whose kept text is being read ahead (its pane waits for it)."""
        self.stale: dict[str, FullTextOutcome] = {}
        """Texts read ahead from a copy too old to show without asking again: their
        counts and citing sentences are still true enough to list."""
        self.measured: tuple[FullText, MeasureKey] | None = None
        """The text last measured in a thread, and at what width."""
        self.arrival: tuple[str, Context, Callable[[], None]] | None = None
        """A jump into the text of a record, waiting for its text to be shown."""
        screen: Any = host
        self._pane = ""
        # The reader's pane lives in its reading state, replaced whole on every change.
        screen.watch(screen, "state", self._state_changed, init=False)
        screen.watch(screen, "record", self._record_changed, init=False)

    @property
    def screen(self) -> Screen[Any]:
        screen: Any = self.host
        return screen  # type: ignore[no-any-return]

    @property
    def pane(self) -> FullTextPane:
        return self.screen.query_one(f"#{PANE}", FullTextPane)

    def _state_changed(self, state: ReadingState) -> None:
        if state.pane != self._pane:
            self._pane = state.pane
            self._pane_changed(state.pane)

    def _pane_changed(self, name: str) -> None:
        if not self.screen.is_mounted:
            return
        if name == PANE:
            self._set_open(True)
            self.ensure_loaded()
            self._give_summaries()
            # A text laid in while the pane was hidden is measured once it has a width.
            pmid = self.pane.pmid
            if pmid is not None and self.pane.full is not None:
                self.screen.call_after_refresh(self._measure, pmid)
        elif name in ("abstract", "keywords"):
            self._set_open(False)

    def _set_open(self, open_: bool) -> None:
        """Give the main column to the text (or back), restyling only what the
        class's rules select, not the whole screen."""
        screen = self.screen
        if screen.has_class(OPEN_CLASS) == open_:
            return
        screen.set_class(open_, OPEN_CLASS, update=False)
        restyle_for(screen, frozenset({OPEN_CLASS}))

    def _record_changed(self, record: Record | None) -> None:
        previous = self.shown_for
        if record is None or record.pmid == previous or not self.screen.is_mounted:
            return
        pane = self.pane
        if previous is not None and pane.full is not None:
            place = pane.text_list.place
            if place is not None:
                self.places[previous] = place
        self.shown_for = None
        self.host.cancel_jobs(PANE)
        self.host.cancel_jobs(LINES_JOB)
        pane.show_message(record.pmid, LOADING)
        # After the reader has placed the focus for the new record: only a pane still
        # shown needs its text.
        self.screen.call_after_refresh(self._load_if_shown)

    def _load_if_shown(self) -> None:
        self._read_ahead()
        if getattr(self.host, "active_pane", "") == PANE:
            self.ensure_loaded()

    def _read_ahead(self) -> None:
        """Parse the text the cache keeps for the record shown, off the event loop."""
        record = self.host.record
        if record is None:
            return
        kept = self.outcomes.get(record.pmid)
        if kept is not None:
            self._count(record, kept)
            return
        self.host.cancel_jobs(AHEAD_JOB)
        self.ahead_for = None
        if record.pmcid:
            self.ahead_for = record.pmid
            app, service = self.screen.app, self.host.service

            def work() -> None:  # not a partial: a worker's name shows its work's repr
                read_ahead(app, service, record, self._ahead)

            self.host.start_job(work, AHEAD_JOB, thread=True)

    def _ahead(self, pmid: str, ahead: Ahead | None) -> None:
        if self.ahead_for != pmid:
            return
        self.ahead_for = None
        record = self.host.record
        if ahead is not None and record is not None and record.pmid == pmid:
            self._count(record, ahead.outcome)
            if ahead.fresh:
                self._keep(pmid, ahead.outcome)
                if ahead.contents is not None:
                    self.built[pmid] = ahead.contents
            else:
                self.stale = {pmid: ahead.outcome}
        if self.shown_for == pmid and self.pane.full is None:
            self.shown_for = None  # the pane waited for it: show it, or fetch it now
            self.ensure_loaded()
        elif self.shown_for is None and pmid in self.outcomes and self.pane.full is None:
            # Laid into the hidden pane now, so its key only has to show it.
            self.ensure_loaded()

    def _count(self, record: Record, outcome: FullTextOutcome) -> None:
        """Tell the reading state how often the text cites each reference."""
        counts = cited_counts(outcome, record)
        if counts is not None:
            self.host.update(lambda state: state.with_cited(record.pmid, counts))

    def _keep(self, pmid: str, outcome: FullTextOutcome) -> None:
        self.outcomes[pmid] = outcome
        self.outcomes.move_to_end(pmid)
        while len(self.outcomes) > KEEP:
            gone, _ = self.outcomes.popitem(last=False)
            self.built.pop(gone, None)

    def ensure_loaded(self) -> None:
        """Show the record's text, fetching it first unless it is kept already."""
        record = self.host.record
        if record is None or self.shown_for == record.pmid:
            return
        self.shown_for = record.pmid
        kept = self.outcomes.get(record.pmid)
        if kept is not None:
            self._show(record.pmid, kept)
            return
        self.pane.show_message(record.pmid, LOADING)
        if self.ahead_for != record.pmid:  # else the text read ahead comes first
            self.host.start_job(self._fetch(record), PANE)

    async def _fetch(self, record: Record) -> None:
        try:
            outcome = await fetch_full_text(self.host.service, record, in_thread=True)
        except PubtermError as exc:
            if self.shown_for == record.pmid:
                self.shown_for = None  # try again the next time the pane is shown
                self.pane.show_message(record.pmid, f"Full text: {exc}")
            return
        self._keep(record.pmid, outcome)
        current = self.host.record
        if current is not None and current.pmid == record.pmid:
            self._count(current, outcome)
            self._show(record.pmid, outcome)

    def _give_summaries(self) -> None:
        """The resolved titles the cited-reference panel shows, as they are now."""
        state = self.host.state
        self.pane.summaries = {
            ref.pmid: summary
            for ref in state.references
            if ref.pmid and (summary := state.summary_of(ref)) is not None
        }

    def _show(self, pmid: str, outcome: FullTextOutcome) -> None:
        pane = self.pane
        self._give_summaries()
        pane.on_cited = self.follow_cited
        contents = self.built.get(pmid)
        pane.show_outcome(pmid, outcome, self.places.pop(pmid, None), contents)
        if isinstance(outcome, FullText):
            if contents is None:
                self.built[pmid] = pane.text_list.contents
            self.screen.call_after_refresh(self._measure, pmid)
        self._arrive(pmid)

    def known(self, pmid: str) -> FullText | None:
        """The record's text when this reader knows it (shown, kept, or read ahead)."""
        found = self.outcomes.get(pmid) or self.stale.get(pmid)
        return found if isinstance(found, FullText) else None

    def open_at(self, context: Context, back: Callable[[], None]) -> None:
        """Show the Full text pane at ``context`` (``b`` in the text then calls ``back``)."""
        record = self.host.record
        if record is None:
            return
        self.arrival = (record.pmid, context, back)
        screen: Any = self.screen
        screen.action_focus_pane(PANE)
        if self.shown_for == record.pmid and self.pane.full is not None:
            self._arrive(record.pmid)

    def _arrive(self, pmid: str) -> None:
        arrival = self.arrival
        if arrival is not None and arrival[0] == pmid and self.pane.full is not None:
            self.arrival = None
            self.screen.call_after_refresh(self.pane.arrive, arrival[1], arrival[2])

    def _measure(self, pmid: str) -> None:
        """Measure every block at the pane's width in a thread (the first screen was
        measured as it was drawn)."""
        pane = self.pane
        listing, full = pane.text_list, pane.full
        key = listing.measure_key
        if full is None or pane.pmid != pmid or key is None:
            return
        if self.measured is not None and self.measured[0] is full and self.measured[1] == key:
            return
        self.measured = (full, key)
        app, contents, rules = self.screen.app, list(listing.contents), wrap_rules(listing.styles)

        def work() -> None:
            measure_ahead(app, full, contents, rules, key, self._measured)

        self.host.start_job(work, LINES_JOB, thread=True)

    def _measured(
        self, full: FullText, key: MeasureKey, built: list[Any], heights: list[int]
    ) -> None:
        pane = self.pane
        if pane.full is full and pane.text_list.install(key, built, heights):
            freeze_survivors()  # the text's blocks live as long as it shows

    def follow_cited(self, number: int) -> None:
        """Highlight the shown reference in the References pane, when it lists them all."""
        state = self.host.state
        if state.filter or not 0 < number <= len(state.references):
            return
        self.host.show_reference(number - 1)
