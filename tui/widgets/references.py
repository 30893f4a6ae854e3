"""The references pane: a review's reference list, filterable, each entry a way onward.

Reviews cite hundreds of papers, so the list is one OptionList that renders only the
visible lines rather than a widget per reference.  Filtering keeps each reference's
original number, because that is the number the review's text cites.  Titles resolved
in the background replace entries in place, so the cursor and the scroll stay put.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.data.model import Record, Reference
from tui.data.summaries import Summary
from tui.keys import bindings
from tui.widgets.entries import haystack, reference_prompt
from tui.widgets.hanging import MATCH_STYLE, HangingIndent
from tui.widgets.paper_list import ReferenceList

__all__ = ["MATCH_STYLE", "HangingIndent", "ReferenceList", "ReferencesPane"]

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


class ReferencesPane(Vertical):
    """A filter input over the reference list; focus goes to the list, never the frame."""

    can_focus = False
    BINDINGS: ClassVar[list[BindingType]] = [*bindings("references-filter")]

    DEFAULT_CSS = """
    ReferencesPane > #ref-filter {
        display: none;
    }
    ReferencesPane > #ref-filter.-shown {
        display: block;
    }
    """

    record: reactive[Record | None] = reactive(None, always_update=True)
    """The record whose references are listed."""

    filter_text: reactive[str] = reactive("")
    """Case-insensitive text the shown references must contain; "" shows all."""

    class ReferenceChosen(Message):
        """The reader picked a reference to open (enter, or a click on an option)."""

        def __init__(self, reference: Reference) -> None:
            super().__init__()
            self.reference = reference

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._references: tuple[Reference, ...] = ()
        # What the filter matches, made when a filter is first typed (not at every load).
        self._haystacks: list[str] | None = None
        self._prompts: list[HangingIndent] = []
        self._options: list[Option] = []
        self._visible: list[int] = []
        self._pmid: str | None = None
        self._searching = False
        # PMID -> summary, kept across records: the same papers recur between reviews.
        self._summaries: dict[str, Summary] = {}
        # Record PMID -> indexes of its marked references: marks belong to one record.
        self._marks: dict[str, set[int]] = {}
        # Every text the Input reported since the pane last wrote into it.
        self._typed: set[str] = {""}

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter references…", id="ref-filter", disabled=True)
        yield ReferenceList(id="ref-list", markup=False)

    def on_mount(self) -> None:
        self._set_title()
        self._load(self.record)

    @property
    def reference_list(self) -> ReferenceList:
        """The OptionList holding the references."""
        return self.query_one("#ref-list", ReferenceList)

    @property
    def filter_input(self) -> Input:
        """The filter Input (hidden unless filtering)."""
        return self.query_one("#ref-filter", Input)

    @property
    def references(self) -> tuple[Reference, ...]:
        """All references of the record, filtered or not."""
        return self._references

    @property
    def visible_references(self) -> list[Reference]:
        """The references the filter lets through, in their original order."""
        return [self._references[i] for i in self._visible]

    @property
    def highlighted_reference(self) -> Reference | None:
        """The reference under the cursor, if any is shown."""
        index = self.highlighted_number
        return None if index is None else self._references[index - 1]

    @property
    def marked_references(self) -> list[Reference]:
        """The references marked with space, in list order (empty when none is marked)."""
        return [self._references[i] for i in sorted(self._marked)]

    def summary_of(self, reference: Reference) -> Summary | None:
        """The resolved facts of a reference, once esummary has answered for its PMID."""
        return self._summaries.get(reference.pmid) if reference.pmid else None

    @property
    def highlighted_number(self) -> int | None:
        """The original 1-based number of the highlighted reference."""
        if not self.is_mounted:
            return None
        position = self.reference_list.highlighted
        if position is None or position >= len(self._visible):
            return None
        return self._visible[position] + 1

    @property
    def _marked(self) -> set[int]:
        return self._marks.setdefault(self._pmid, set()) if self._pmid else set()

    def focus(self, scroll_visible: bool = True) -> ReferencesPane:
        """Focusing the pane focuses the filter while it is being typed, else the list."""
        if self.is_mounted:
            target = self.filter_input if self.filter_input.has_focus else self.reference_list
            target.focus(scroll_visible)
        return self

    def focus_list(self) -> None:
        """Put the keyboard on the list."""
        self.reference_list.focus()

    def start_filter(self) -> None:
        """Show the filter Input and type into it."""
        self._show_input(True)
        self.filter_input.focus()

    def clear_filter(self) -> None:
        """Drop the filter, hide the Input and go back to the list."""
        self._write_input("")
        self.filter_text = ""
        self._show_input(False)
        self.focus_list()

    def _write_input(self, text: str) -> None:
        """Put ``text`` in the Input; what it typed before that is forgotten."""
        self._typed = {text}
        if self.filter_input.value != text:
            with self.filter_input.prevent(Input.Changed):
                self.filter_input.value = text

    def _show_input(self, shown: bool) -> None:
        # Disabled while hidden, so neither auto-focus nor tab can land on it unseen.
        self.filter_input.disabled = not shown
        self.filter_input.set_class(shown, "-shown")

    def watch_record(self, record: Record | None) -> None:
        self._load(record)

    def watch_filter_text(self, text: str) -> None:
        if not self.is_mounted:
            return
        if text not in self._typed:
            # Set from outside, not typed: the Input shows it.  A text the Input itself
            # reported is never written back: by the time its Changed arrives the Input
            # may hold later keys, and writing the older text would scramble them.
            self._write_input(text)
        if text:
            self._show_input(True)
        self._apply_filter(self._highlighted_index())

    def _highlighted_index(self) -> int | None:
        """The original index of the highlighted reference, from the list as shown."""
        position = self.reference_list.highlighted
        if position is None or position >= len(self._visible):
            return None
        return self._visible[position]

    def _prompt(self, index: int) -> HangingIndent:
        reference = self._references[index]
        width = len(str(len(self._references)))
        return reference_prompt(
            index + 1, width, reference, self.summary_of(reference), marked=index in self._marked
        )

    def _load(self, record: Record | None) -> None:
        """Rebuild the options; a new record starts at the top, the same one stays put."""
        if not self.is_mounted:
            return
        pmid = record.pmid if record is not None else None
        same = pmid is not None and pmid == self._pmid
        keep = self._highlighted_index() if same else 0
        self._pmid = pmid
        self._references = record.references if record is not None else ()
        self._prompts = [self._prompt(i) for i in range(len(self._references))]
        self._options = [Option(prompt, id=str(i)) for i, prompt in enumerate(self._prompts)]
        self._haystacks = None
        self.border_subtitle = SOURCE_NOTES.get(record.references_source, "") if record else ""
        self._searching = False
        if not same and self.filter_text:
            self._write_input("")
            self.set_reactive(ReferencesPane.filter_text, "")
            self._show_input(False)
        self._apply_filter(keep)
        if self._references:
            # After the paint, so the list shows first and the first filter key is quick.
            self.call_after_refresh(self._haystack_list)

    def _apply_filter(self, keep: int | None) -> None:
        """Show the references matching the filter, keeping ``keep`` highlighted if shown."""
        needle = self._needle
        if needle:
            self._visible = [i for i, hay in enumerate(self._haystack_list()) if needle in hay]
            pattern = re.compile(re.escape(needle), re.IGNORECASE)
            prompts = self._prompts
            options = [Option(prompts[i].marking(pattern), id=str(i)) for i in self._visible]
        else:
            self._visible = list(range(len(self._references)))
            options = [self._options[i] for i in self._visible]
        if not options and self.record is not None:
            # Say why the list is empty; a disabled option cannot be highlighted or chosen.
            empty = NO_MATCH if needle else SEARCHING if self._searching else NO_REFERENCES
            if not needle:
                empty = EMPTY_NOTES.get(self.record.references_source, empty)
            options = [Option(Content(empty), disabled=True)]
        references = self.reference_list
        shown = references.scrollable_content_region.height
        if 0 < shown < len(options) and not references.show_vertical_scrollbar:
            # More entries than lines: the scrollbar will show.  Showing it first has the
            # list measure its entries once, at the width they will be shown at.
            references.show_vertical_scrollbar = True
        references.set_options(options)
        if self._visible:
            position = self._visible.index(keep) if keep in self._visible else 0
            references.highlighted = position
        self._set_title()

    def _haystack_list(self) -> list[str]:
        if self._haystacks is None:
            self._haystacks = [haystack(ref, self.summary_of(ref)) for ref in self._references]
        return self._haystacks

    @property
    def _needle(self) -> str:
        return " ".join(self.filter_text.split()).casefold()

    def _shown_prompt(self, index: int) -> HangingIndent:
        needle = self._needle
        if not needle:
            return self._prompts[index]
        return self._prompts[index].marking(re.compile(re.escape(needle), re.IGNORECASE))

    def _refresh_entries(self, indexes: list[int]) -> None:
        """Rebuild these entries' prompts in place: same options, same cursor, same scroll."""
        positions = {index: position for position, index in enumerate(self._visible)}
        listing = self.reference_list
        for index in indexes:
            self._prompts[index] = self._prompt(index)
            self._options[index] = Option(self._prompts[index], id=str(index))
            if self._haystacks is not None:
                self._haystacks[index] = haystack(
                    self._references[index], self.summary_of(self._references[index])
                )
            position = positions.get(index)
            if position is not None and position < listing.option_count:
                listing.replace_option_prompt_at_index(position, self._shown_prompt(index))
        self._set_title()

    def add_summaries(self, summaries: Mapping[str, Summary]) -> None:
        """Show resolved titles (and retraction flags) for the references they cover."""
        self._summaries.update(summaries)
        if not self.is_mounted or not summaries:
            return
        self._refresh_entries(
            [i for i, ref in enumerate(self._references) if ref.pmid and ref.pmid in summaries]
        )

    def show_searching(self) -> None:
        """Say that other sources are being asked for the list PubMed lacks."""
        self._searching = True
        self.border_subtitle = "searching…"
        self._apply_filter(None)

    def toggle_mark(self) -> None:
        """Mark or unmark the highlighted reference (y, Y, c and e then use the marks)."""
        index = self._highlighted_index()
        if index is None or self._pmid is None:
            return
        marked = self._marked
        marked.symmetric_difference_update({index})
        self._refresh_entries([index])

    def _set_title(self) -> None:
        total = len(self._references)
        if self.record is None:
            self.border_title = TITLE
            return
        if self.filter_text:
            title = f"{TITLE} {len(self._visible)} of {total}"
        else:
            title = f"{TITLE} {total}"
        marked = len(self._marked)
        flagged = sum(1 for r in self._references if (s := self.summary_of(r)) and s.retracted)
        if marked:
            title += f" · {marked} marked"
        if flagged:
            title += f" · {flagged} retracted"
        self.border_title = title

    @on(OptionList.OptionSelected, "#ref-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is None:
            return
        # A selection made just before the list was rebuilt belongs to the old list.
        shown = self.reference_list.options
        position = event.option_index
        if position < len(shown) and shown[position] is event.option:
            self.post_message(self.ReferenceChosen(self._references[int(event.option_id)]))

    @on(Input.Changed, "#ref-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        # The Input is the source of truth for what is typed: its values are remembered
        # so that none of them, arriving late, is ever written back into it.
        self._typed.add(event.value)
        self.filter_text = event.value

    @on(Input.Submitted, "#ref-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self._show_input(False)
        self.focus_list()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape leaves the filter, from the Input or from the filtered list; otherwise
        it goes on to the screen (and, from a search result, back to the results)."""
        if action == "clear_filter":
            return bool(self.filter_text or self.filter_input.has_focus)
        return True

    def action_clear_filter(self) -> None:
        self.clear_filter()

    def clear_marks(self) -> int:
        """Unmark every reference of the record; how many were marked."""
        marked = sorted(self._marked)
        self._marked.clear()
        self._refresh_entries(marked)
        return len(marked)
