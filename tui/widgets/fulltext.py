"""The Full text pane: the review itself, its citations linked to the reference list.

The pane shows what it is given (the text, or the sentence saying why there is none)
and turns keys into moves within it; fetching is the reader's job
(:mod:`tui.screens.fulltext_reader`).  Every jump inside the text (to a citing
sentence, a section, a search match) first remembers the line it leaves, so ``b``
comes back to it; only with nothing to come back to does ``b`` reach the reader's
own back.  The cited reference opens beside the text at wide sizes and below it at
narrow ones (``fulltext.tcss``).  The outline and the search
(:mod:`tui.widgets.fulltext_search`) and ``y`` / ``o`` on a figure
(:mod:`tui.widgets.fulltext_figures`) are the pane's too, kept in modules of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.data.fulltext import NoFullText
from tui.data.fulltext_model import Context, FullText
from tui.data.summaries import Summary
from tui.data.text import clean_text
from tui.keys import bindings
from tui.widgets import vlist_messages
from tui.widgets.fulltext_blocks import cite_numbers, cite_of
from tui.widgets.fulltext_cited import CitedPanel
from tui.widgets.fulltext_figures import FigureActions
from tui.widgets.fulltext_lines import Contents
from tui.widgets.fulltext_search import TextSearch
from tui.widgets.fulltext_view import FullTextList, Place
from tui.widgets.references import ReferencesPane

TITLE = "Full text"
LOADING = "Fetching the full text…"
MAX_PLACES = 50


def no_text_sentence(pmid: str, why: NoFullText) -> str:
    """ "No open-access full text for PMID 123: the record has no PMC ID"."""
    head = "No open-access full text"
    sentence = str(why)
    rest = sentence[len(head) :].lstrip(":") if sentence.startswith(head) else " " + sentence
    return f"{head} for PMID {pmid}:{rest}"


class FullTextPane(TextSearch, FigureActions, can_focus=True):
    """The text list, the cited-reference panel and the search field of one full text."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("fulltext")]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.full: FullText | None = None
        self.pmid: str | None = None
        self.summaries: dict[str, Summary] = {}
        self.places: list[Place] = []
        self._pending: Place | None = None
        self._drawn_title = self._drawn_subtitle = ""
        self.on_cited: Callable[[int], None] | None = None
        """Told the first number of every citation shown (the reader follows along)."""
        self.return_to: Callable[[], None] | None = None
        """What ``b`` does once no place in the text is left to come back to: go back
        to where a jump into the text came from (the References pane)."""

    def compose(self) -> ComposeResult:
        yield Static(LOADING, id="ft-message", markup=False)
        with Horizontal(id="ft-body"):
            yield FullTextList(id="ft-text")
            yield CitedPanel(id="ft-cited")
        yield Input(placeholder="Search the text…", id="ft-search")

    def on_mount(self) -> None:
        self._set_title(None)

    @property
    def text_list(self) -> FullTextList:
        return self.query_one("#ft-text", FullTextList)

    @property
    def cited(self) -> CitedPanel:
        return self.query_one("#ft-cited", CitedPanel)

    @property
    def message(self) -> str:
        """What the pane says instead of a text ("" while it shows one)."""
        return str(self.query_one("#ft-message", Static).content) if self.full is None else ""

    # ---- what the reader hands over

    def show_message(self, pmid: str | None, sentence: str) -> None:
        """Say ``sentence`` (loading, no open-access text, offline) instead of a text."""
        self.pmid, self.full = pmid, None
        self.places = []
        self.return_to = None
        self.set_class(False, "-has-text")
        self.set_class(False, "-cited-shown")
        self.query_one("#ft-message", Static).update(sentence)
        self.text_list.show_text(None)
        self.refresh_bindings()
        self._set_title(None)

    def show_outcome(
        self,
        pmid: str,
        outcome: FullText | NoFullText,
        place: Place | None,
        contents: Contents | None = None,
    ) -> None:
        """Show the text (at ``place`` when coming back to it) or why there is none;
        ``contents`` are its blocks when built ahead."""
        if isinstance(outcome, NoFullText):
            self.show_message(pmid, no_text_sentence(pmid, outcome))
            return
        self.pmid, self.full = pmid, outcome
        self.places = []
        self.return_to = None
        self.set_class(True, "-has-text")
        self.set_class(False, "-cited-shown")
        self.text_list.show_text(outcome, contents)
        self.refresh_bindings()
        self._pending = place
        if self.display:  # else on_show restores it, once the pane has a size
            self.call_after_refresh(self._restore)
        if self.has_focus:
            self.text_list.focus()
        self._set_title(0)

    def _restore(self) -> None:
        place, self._pending = self._pending, None
        if place is not None and self.full is not None:
            self.text_list.go(place.block, cite=place.cite, row=place.row)

    def on_show(self) -> None:
        if self._pending is not None:
            self.call_after_refresh(self._restore)

    @property
    def focus_target(self) -> Widget:
        """What the pane's key focuses: the text itself, once there is one."""
        return self.text_list if self.full is not None else self

    def on_focus(self) -> None:
        if self.full is not None:
            self.screen.set_focus(self.text_list)

    def _set_title(self, block: int | None) -> None:
        """The section the cursor is in, in the border; drawn again only when it
        changes (a border drawn again is a frame of its own after a scroll)."""
        full = self.full
        section = full.section_at(block) if full is not None and block is not None else None
        title = f"{TITLE} · {clean_text(section.display)}" if section else TITLE
        if title != self._drawn_title:
            self._drawn_title = title
            self.border_title = Content(title)  # a section's title is data, never markup
        subtitle = ""
        if full is not None:
            source = "Europe PMC" if full.source == "europepmc" else "PMC"
            subtitle = f"{source} · {clean_text(full.license)}" if full.license else source
        if subtitle != self._drawn_subtitle:
            self._drawn_subtitle = subtitle
            self.border_subtitle = Content(subtitle)

    @on(FullTextList.Highlighted, "#ft-text")
    def _moved(self, event: vlist_messages.Highlighted) -> None:
        event.stop()
        self._set_title(event.index)

    # ---- jumping, and coming back

    def remember(self) -> None:
        """Keep the line the reader is on, for ``b``."""
        place = self.text_list.place
        if place is not None:
            self.places = [*self.places, place][-MAX_PLACES:]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Without a text the keys reach the reader's own bindings (``o`` the publisher)."""
        if self.full is None:
            return False
        if action == "text_back":
            return bool(self.places) or self.return_to is not None
        if action in ("copy_figure", "open_figure"):
            # Enabled on every line, so moving onto a figure leaves the footer as it is.
            return True
        if action == "leave_search":
            return self.query_one("#ft-search", Input).has_focus
        return True

    def action_text_back(self) -> None:
        if self.places:
            *self.places, place = self.places
            self.text_list.go(place.block, cite=place.cite, row=place.row)
            self.text_list.focus()
            self.refresh_bindings()
        elif self.return_to is not None:
            back, self.return_to = self.return_to, None
            self.refresh_bindings()
            back()

    def arrive(self, context: Context, back: Callable[[], None]) -> None:
        """Jump to where ``context`` was taken from, coming from outside the text;
        ``b`` then calls ``back`` (once every jump made in the text is undone)."""
        if self.full is None or not 0 <= context.block < len(self.full.blocks):
            return
        self.places = []
        self.return_to = back
        self.text_list.go(
            context.block, cite=cite_of(self.full.blocks[context.block], context), row=1
        )
        self.text_list.focus()
        self.refresh_bindings()

    def jump(self, block: int, *, cite: int | None = None) -> None:
        """Go to ``block`` (a section, a citing sentence), remembering where the reader was."""
        self.remember()
        self.text_list.go(block, cite=cite, row=1)
        self.text_list.focus()
        self.refresh_bindings()

    # ---- citations

    def action_next_cite(self) -> None:
        self._step(1)

    def action_previous_cite(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        if self.full is None:
            return
        if not self.text_list.step_cite(direction):
            where = "after" if direction > 0 else "before"
            self.notify(f"No citation {where} this one", severity="information")
        elif self.has_class("-cited-shown"):
            self.action_show_cite(focus=False)

    @on(FullTextList.Selected, "#ft-text")
    def _selected(self, event: vlist_messages.Selected) -> None:
        event.stop()
        self.action_show_cite()

    def action_show_cite(self, focus: bool = True) -> None:
        """Show the references the current citation cites (the block's first, else)."""
        listing, full = self.text_list, self.full
        if full is None or listing.highlighted is None:
            return
        block = full.blocks[listing.highlighted]
        if listing.current_cite is None and block.all_cites():
            listing.go(
                listing.highlighted, cite=0, row=listing.place.row if listing.place else None
            )
        cite = listing.current_cite
        if cite is None:
            self.notify("No citation here: ] moves to the next one", severity="information")
            return
        numbers = cite_numbers(cite)
        if not numbers:
            self.notify("This citation matches no reference in the list", severity="warning")
            return
        self.cited.show_references(full, numbers, self.summaries)
        self.set_class(True, "-cited-shown")
        if self.on_cited is not None:
            self.on_cited(numbers[0])
        # The panel takes lines from the text when narrow: keep the citation in sight.
        self.call_after_refresh(listing.show_cite_line)
        if focus:
            self.call_after_refresh(self.cited.refs_list.focus)

    @on(CitedPanel.ContextChosen)
    def _context_chosen(self, event: CitedPanel.ContextChosen) -> None:
        event.stop()
        context, full = event.context, self.full
        if full is None:
            return
        self.jump(context.block, cite=cite_of(full.blocks[context.block], context))

    @on(CitedPanel.Closed)
    def _cited_closed(self, event: CitedPanel.Closed) -> None:
        event.stop()
        self.set_class(False, "-cited-shown")
        self.text_list.focus()

    @on(CitedPanel.OpenReference)
    def _open_reference(self, event: CitedPanel.OpenReference) -> None:
        event.stop()
        self.post_message(ReferencesPane.ReferenceChosen(event.reference))
