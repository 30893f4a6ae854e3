"""The corrections banner: a retraction, expression of concern or erratum, said first.

A reader must not quote a retracted review unawares, so the notice is a banner above the
panes rather than a line in the Details view; ``enter`` (or a click) on it opens the
notice itself.  One line per notice, most serious first; hidden when there are none.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.data.model import Correction, Record
from tui.keys import bindings
from tui.widgets.badges import clean, pubmed_url
from tui.widgets.corrections import NOTICE_LEADS, PmidChosen, correction_words

WARNING_MARK = "!"
"""Leads every notice, so it stands out without colour (NO_COLOR, monochrome)."""


def notice_parts(correction: Correction) -> tuple[Content, Content]:
    """ "! Retracted:" and "see Retraction in Biochim Biophys Acta … PMID 33279609"."""
    lead = NOTICE_LEADS.get(correction.type, correction_words(correction.type))
    source = clean(correction.source) or "(no source)"
    body = Content(f"see {correction_words(correction.type)} {source}").stylize(".notice--text")
    pmid = clean(correction.pmid)
    if pubmed_url(pmid):
        body = body + Content(f" PMID {pmid}").stylize(".notice--pmid")
    return Content(f"{WARNING_MARK} {lead}:").stylize(".notice--lead"), body


def notice_line(correction: Correction) -> Content:
    """The notice as one line of text."""
    lead, body = notice_parts(correction)
    return Content.assemble(lead, " ", body)


class NoticeBanner(OptionList):
    """The record's notices as a short list: ``enter`` opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll")]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"notice--lead", "notice--text", "notice--pmid"}

    DEFAULT_CSS = """
    NoticeBanner {
        height: auto;
        max-height: 4;
    }
    NoticeBanner.-empty {
        display: none;
    }
    """

    record: reactive[Record | None] = reactive(None)
    """The record whose notices are shown; None or a record without notices hides it."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(markup=False, id=id, classes=classes)
        self.notices: tuple[Correction, ...] = ()

    def on_mount(self) -> None:
        self._show()

    def watch_record(self) -> None:
        self._show()

    def _show(self) -> None:
        self.notices = self.record.notices if self.record is not None else ()
        self.set_options(Option(notice_line(c)) for c in self.notices)
        self.set_class(not self.notices, "-empty")
        if self.notices:
            self.highlighted = 0

    @property
    def text(self) -> str:
        """The plain text shown, one line per notice, for tests and for copying."""
        return "\n".join(notice_line(c).plain for c in self.notices)

    def action_go_top(self) -> None:
        self.action_first()

    def action_go_bottom(self) -> None:
        self.action_last()

    def open_notice(self, index: int | None = None) -> bool:
        """Ask to open a notice (the highlighted one by default); False when there is none.

        Public so the screen can bind a key to it: ``enter`` where no pane uses ``enter``
        opens the notice without the banner having the focus.
        """
        if index is None:
            index = self.highlighted
        if index is None or not 0 <= index < len(self.notices):
            return False
        notice = self.notices[index]
        pmid = clean(notice.pmid)
        if not pubmed_url(pmid):
            self.notify("This notice has no PMID to open", severity="warning")
            return False
        self.post_message(PmidChosen(pmid, notice))
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_notice(event.option_index)
