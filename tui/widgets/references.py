"""The references pane: a review's reference list, filterable, each entry a way onward.

Reviews cite hundreds of papers, so the list is one OptionList that renders only the
visible lines rather than a widget per reference.  Filtering keeps each reference's
original number, because that is the number the review's text cites.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.data.model import Record, Reference
from tui.keys import bindings
from tui.widgets.badges import BADGE_CLASSES, clean, id_badges

TITLE = "References"


def reference_prompt(number: int, width: int, reference: Reference) -> Content:
    """ "12. citation  DOI PMID PMC", built from plain strings only."""
    label = f"{number}.".rjust(width + 1)
    parts: list[Content] = [
        Content(label).stylize(".references--number"),
        Content(" "),
        Content(clean(reference.citation) or "(no citation text)"),
    ]
    badges = id_badges(reference.doi, reference.pmid, reference.pmcid)
    if badges:
        parts.extend([Content("  "), badges])
    return Content.assemble(*parts)


def haystack(reference: Reference) -> str:
    """What a filter matches against: the citation and every identifier, casefolded."""
    fields = (reference.citation, reference.doi, reference.pmid, reference.pmcid)
    return " ".join(clean(f) for f in fields if f).casefold()


class ReferenceList(OptionList):
    """The virtual list itself; option ids are the references' original indexes."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll"), *bindings("references")]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"references--number", *BADGE_CLASSES}

    def action_cursor_down(self) -> None:
        if self.option_count:
            current = self.highlighted
            self.highlighted = 0 if current is None else min(current + 1, self.option_count - 1)

    def action_cursor_up(self) -> None:
        if self.option_count:
            current = self.highlighted
            self.highlighted = 0 if current is None else max(current - 1, 0)

    def action_go_top(self) -> None:
        if self.option_count:
            self.highlighted = 0

    def action_go_bottom(self) -> None:
        if self.option_count:
            self.highlighted = self.option_count - 1

    def action_open_reference(self) -> None:
        self.action_select()


class ReferencesPane(Vertical):
    """A filter input over the reference list; focus goes to the list, never the frame."""

    can_focus = False

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
        self._haystacks: list[str] = []
        self._options: list[Option] = []
        self._visible: list[int] = []
        self._pmid: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter references…", id="ref-filter", disabled=True)
        yield ReferenceList(id="ref-list")

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
    def highlighted_number(self) -> int | None:
        """The original 1-based number of the highlighted reference."""
        if not self.is_mounted:
            return None
        position = self.reference_list.highlighted
        if position is None or position >= len(self._visible):
            return None
        return self._visible[position] + 1

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
        self.filter_text = ""
        self.filter_input.value = ""
        self._show_input(False)
        self.focus_list()

    def _show_input(self, shown: bool) -> None:
        # Disabled while hidden, so neither auto-focus nor tab can land on it unseen.
        self.filter_input.disabled = not shown
        self.filter_input.set_class(shown, "-shown")

    def watch_record(self, record: Record | None) -> None:
        self._load(record)

    def watch_filter_text(self, text: str) -> None:
        if not self.is_mounted:
            return
        if self.filter_input.value != text:
            # No Changed echo: a late echo would re-apply an old filter text.
            with self.filter_input.prevent(Input.Changed):
                self.filter_input.value = text
        if text:
            self._show_input(True)
        self._apply_filter(self._highlighted_index())

    def _highlighted_index(self) -> int | None:
        """The original index of the highlighted reference, from the list as shown."""
        position = self.reference_list.highlighted
        if position is None or position >= len(self._visible):
            return None
        return self._visible[position]

    def _load(self, record: Record | None) -> None:
        """Rebuild the options; a new record starts at the top, the same one stays put."""
        if not self.is_mounted:
            return
        pmid = record.pmid if record is not None else None
        same = pmid is not None and pmid == self._pmid
        keep = self._highlighted_index() if same else 0
        self._pmid = pmid
        self._references = record.references if record is not None else ()
        width = len(str(len(self._references)))
        self._options = [
            Option(reference_prompt(n, width, ref), id=str(n - 1))
            for n, ref in enumerate(self._references, 1)
        ]
        self._haystacks = [haystack(ref) for ref in self._references]
        if not same and self.filter_text:
            with self.prevent(Input.Changed):
                self.set_reactive(ReferencesPane.filter_text, "")
                self.filter_input.value = ""
            self._show_input(False)
        self._apply_filter(keep)

    def _apply_filter(self, keep: int | None) -> None:
        """Show the references matching the filter, keeping ``keep`` highlighted if shown."""
        needle = " ".join(self.filter_text.split()).casefold()
        if needle:
            self._visible = [i for i, hay in enumerate(self._haystacks) if needle in hay]
        else:
            self._visible = list(range(len(self._references)))
        references = self.reference_list
        references.set_options(self._options[i] for i in self._visible)
        if self._visible:
            position = self._visible.index(keep) if keep in self._visible else 0
            references.highlighted = position
        self._set_title()

    def _set_title(self) -> None:
        total = len(self._references)
        if self.record is None:
            self.border_title = TITLE
        elif self.filter_text:
            self.border_title = f"{TITLE} {len(self._visible)} of {total}"
        else:
            self.border_title = f"{TITLE} {total}"

    @on(OptionList.OptionSelected, "#ref-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is None:
            return
        index = int(event.option_id)
        # A selection made just before the record changed belongs to the old list.
        if index < len(self._options) and self._options[index] is event.option:
            self.post_message(self.ReferenceChosen(self._references[index]))

    @on(Input.Changed, "#ref-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value

    @on(Input.Submitted, "#ref-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self._show_input(False)
        self.focus_list()

    def on_key(self, event: events.Key) -> None:
        """Escape leaves the filter, from the Input or from the filtered list."""
        if event.key == "escape" and (self.filter_text or self.filter_input.has_focus):
            event.stop()
            event.prevent_default()
            self.clear_filter()
