"""The references pane: a review's reference list, filterable, each entry a way onward.

Reviews cite hundreds of papers, so the list is one OptionList that renders only the
visible lines rather than a widget per reference.  Filtering keeps each reference's
original number, because that is the number the review's text cites.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.data.model import Record, Reference
from tui.keys import bindings
from tui.widgets.badges import BADGE_CLASSES, clean, id_badges

TITLE = "References"
MATCH_STYLE = ".references--match"
NO_REFERENCES = "No references in this record."
NO_MATCH = "No reference matches the filter."


class HangingIndent(Visual):
    """A label, then text whose wrapped lines start under the text, not under the label.

    Reference numbers stay in their own column, so a long list reads like a bibliography.
    """

    def __init__(self, label: Content, body: Content) -> None:
        self.label = label
        self.body = body
        self.indent = label.cell_length + 1

    def __str__(self) -> str:
        return f"{self.label.plain} {self.body.plain}"

    def marking(self, pattern: re.Pattern[str]) -> HangingIndent:
        """The same entry with every match of ``pattern`` in the text marked."""
        return HangingIndent(self.label, self.body.highlight_regex(pattern, style=MATCH_STYLE))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.body.get_optimal_width(rules, container_width - self.indent)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.indent + 1

    def get_height(self, rules: RulesMap, width: int) -> int:
        return max(1, self.body.get_height(rules, max(1, width - self.indent)))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        body_width = width - self.indent
        if body_width < 1:  # too narrow for a hanging indent: just wrap everything
            whole = Content.assemble(self.label, " ", self.body)
            return whole.render_strips(width, height, style, options)
        label = self.label.extend_right(self.indent - self.label.cell_length)
        gutter = label.render_strips(self.indent, 1, style, options)[0]
        blank = Strip.blank(self.indent, style.rich_style)
        lines = self.body.render_strips(body_width, height, style, options) or [
            Strip.blank(body_width, style.rich_style)
        ]
        return [
            Strip.join([gutter if y == 0 else blank, line]) for y, line in enumerate(lines)
        ]


def reference_prompt(number: int, width: int, reference: Reference) -> HangingIndent:
    """ "12. citation  DOI PMID PMC", built from plain strings only."""
    label = Content(f"{number}.".rjust(width + 1)).stylize(".references--number")
    body = Content(clean(reference.citation) or "(no citation text)")
    badges = id_badges(reference.doi, reference.pmid, reference.pmcid)
    if badges:
        body = Content.assemble(body, "  ", badges)
    return HangingIndent(label, body)


def haystack(reference: Reference) -> str:
    """What a filter matches against: the citation and every identifier, casefolded."""
    fields = (reference.citation, reference.doi, reference.pmid, reference.pmcid)
    return " ".join(clean(f) for f in fields if f).casefold()


class ReferenceList(OptionList):
    """The virtual list itself; option ids are the references' original indexes."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll"), *bindings("references")]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "references--number",
        "references--match",
        *BADGE_CLASSES,
    }

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
        self._prompts: list[HangingIndent] = []
        self._options: list[Option] = []
        self._visible: list[int] = []
        self._pmid: str | None = None

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
        return []

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
        self._prompts = [
            reference_prompt(n, width, ref) for n, ref in enumerate(self._references, 1)
        ]
        self._options = [Option(prompt, id=str(i)) for i, prompt in enumerate(self._prompts)]
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
            pattern = re.compile(re.escape(needle), re.IGNORECASE)
            options = [Option(self._prompts[i].marking(pattern), id=str(i)) for i in self._visible]
        else:
            self._visible = list(range(len(self._references)))
            options = [self._options[i] for i in self._visible]
        if not options and self.record is not None:
            # Say why the list is empty; a disabled option cannot be highlighted or chosen.
            empty = NO_MATCH if needle else NO_REFERENCES
            options = [Option(Content(empty), disabled=True)]
        references = self.reference_list
        references.set_options(options)
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
        # A selection made just before the list was rebuilt belongs to the old list.
        shown = self.reference_list.options
        position = event.option_index
        if position < len(shown) and shown[position] is event.option:
            self.post_message(self.ReferenceChosen(self._references[int(event.option_id)]))

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
