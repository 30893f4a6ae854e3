"""What the references pane says about a reading state: its entries, title and notes.

Plain functions of the state, so the pane itself is only Textual plumbing: which
entries the list holds, how one entry reads, and the border's title and subtitle.
"""

from __future__ import annotations

import re

from tui.screens.reading_state import ReadingState
from tui.widgets.entries import reference_prompt
from tui.widgets.hanging import HangingIndent

TITLE = "References"
NO_REFERENCES = "No references in this record."
SEARCHING = "PubMed has no reference list: looking in Europe PMC and Crossref…"
NO_MATCH = "No reference matches the filter."
SOURCE_NOTES = {
    "europepmc": "from Europe PMC",
    "crossref": "from Crossref",
    "none": "none found",
    "unreachable": "unreachable — r retries",
    "offline": "not kept offline",
}
"""The pane's subtitle when PubMed had no list and another source was asked."""
EMPTY_NOTES = {
    "unreachable": "Europe PMC and Crossref unreachable — r retries",
    "offline": "No reference list kept for offline reading: open it once online",
}
"""Why the list is empty when the fallbacks could not be asked (not "none found")."""


def entry(
    state: ReadingState, index: int, marked: bool, pattern: re.Pattern[str] | None
) -> HangingIndent:
    """Reference ``index`` as the list shows it, the filter's matches marked."""
    references = state.references
    reference = references[index]
    width = len(str(len(references)))
    summary = state.summary_of(reference)
    counts = state.cited_counts
    cited = None if counts is None else counts.get(index + 1, 0)
    prompt = reference_prompt(index + 1, width, reference, summary, marked=marked, cited=cited)
    return prompt if pattern is None else prompt.marking(pattern)


def match_pattern(needle: str) -> re.Pattern[str] | None:
    """What the entries underline for a filter (None: no filter)."""
    return re.compile(re.escape(needle), re.IGNORECASE) if needle else None


def empty_text(state: ReadingState, needle: str) -> str:
    """Why the list is empty (nothing before a record is shown)."""
    if state.record is None:
        return ""
    if needle:
        return NO_MATCH
    if state.searching:
        return SEARCHING
    return EMPTY_NOTES.get(state.record.references_source, NO_REFERENCES)


def title(state: ReadingState, shown: int, filtered: bool) -> str:
    """The border title: how many references (of how many), marked, retracted."""
    total = len(state.references)
    if state.record is None:
        return TITLE
    text = f"{TITLE} {shown} of {total}" if filtered else f"{TITLE} {total}"
    marked = len(state.marked)
    # Through the few retracted summaries first: no walk of 20,000 references when none is.
    retracted = {pmid for pmid, summary in state.summaries.items() if summary.retracted}
    flagged = sum(1 for r in state.references if r.pmid in retracted) if retracted else 0
    if marked:
        text += f" · {marked} marked"
    if flagged:
        text += f" · {flagged} retracted"
    return text


def subtitle(state: ReadingState) -> str:
    """Where the list came from, when not from PubMed (or that it is being sought)."""
    if state.searching:
        return "searching…"
    record = state.record
    return SOURCE_NOTES.get(record.references_source, "") if record else ""


def resolved_since(old: ReadingState, new: ReadingState) -> list[int]:
    """Indexes of the references whose summary (or citation count) changed between two
    states."""
    if old.cited_counts is not new.cited_counts:
        return list(range(len(new.references)))
    before, after = old.summaries, new.summaries
    if before is after:
        return []
    return [
        i
        for i, ref in enumerate(new.references)
        if ref.pmid and after.get(ref.pmid) is not before.get(ref.pmid)
    ]
