"""The Details view: everything about a record that the header has no room for.

The full author list with suffixes, ORCID iDs and affiliations, the book a chapter is in
with its editors, grants, language, e-publication date, chemicals, and the comments and
corrections linked to the record.  A researcher checks these before citing (who funded
it, which erratum applies), so each entry is a row the cursor can rest on, and ``enter``
on a comment or correction opens it (on an author with an ORCID iD, the ORCID page).
The view renders the record it is given and posts messages up; it never fetches.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.data.model import Record
from tui.keys import bindings
from tui.widgets.abstract import same_record
from tui.widgets.corrections import PmidChosen, UrlChosen
from tui.widgets.details_content import Row, details_rows
from tui.widgets.hanging import HangingIndent

TITLE = "Details"


def _prompt(row: Row) -> Content | HangingIndent:
    """A numbered row hangs its wrapped lines under its text, like the references."""
    return HangingIndent(row.label, row.content) if row.label is not None else row.content


class DetailsView(OptionList):
    """One pane listing the record's details; movement keys walk its rows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("scroll"),
        *(b for b in bindings("references") if b.id == "open-reference"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "details--heading",
        "details--name",
        "details--label",
        "details--value",
        "details--muted",
        "details--link",
    }

    record: reactive[Record | None] = reactive(None)
    """The record whose details are shown."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(markup=False, id=id, classes=classes)
        self.rows: list[Row] = []

    def on_mount(self) -> None:
        self.border_title = TITLE
        self._show(keep_place=False)

    def watch_record(self, old: Record | None, new: Record | None) -> None:
        # A refreshed copy of the same paper keeps the cursor where the reader left it.
        self._show(keep_place=same_record(old, new))

    def _show(self, *, keep_place: bool) -> None:
        if not self.is_mounted:
            return
        place = self.highlighted if keep_place else None
        self.rows = details_rows(self.record)
        self.set_options(Option(_prompt(row), disabled=row.heading) for row in self.rows)
        if place is not None and place < len(self.rows) and not self.rows[place].heading:
            self.highlighted = place
        else:
            self.highlighted = self._first_entry()
            self.scroll_home(animate=False)

    def _first_entry(self) -> int | None:
        return next((n for n, row in enumerate(self.rows) if not row.heading), None)

    @property
    def text(self) -> str:
        """The plain text shown, for tests and for copying."""
        return "\n".join(row.plain for row in self.rows)

    # -- movement: the shared keys, headings passed over ------------------------------

    def action_cursor_up(self) -> None:
        super().action_cursor_up()
        if self.highlighted == self._first_entry():
            self.scroll_home(animate=False)  # show the heading above the first entry

    def action_go_top(self) -> None:
        self.highlighted = self._first_entry()
        self.scroll_home(animate=False)

    def action_go_bottom(self) -> None:
        self.action_last()

    def action_open_reference(self) -> None:
        self.action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.rows[event.option_index]
        if row.target is None:
            return
        kind, value = row.target
        self.post_message(PmidChosen(value, row.correction) if kind == "pmid" else UrlChosen(value))
