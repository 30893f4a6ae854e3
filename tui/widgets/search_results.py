"""The list of search results: one entry per paper, read like the references list.

A person scanning results decides from the same few facts as in a bibliography: the
title, who wrote it, where and when it appeared, and whether it is a review, free to
read, or retracted.  Each entry is built from plain strings (record text is data, never
markup).  The list is told the whole result set each time; it appends the rows of a new
page and redraws only the rows whose mark changed, so paging never resets the cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.data.search import SearchResult
from tui.data.text import clean_text
from tui.keys import bindings
from tui.widgets.hanging import HangingIndent

MARK = "✓"
SEPARATOR = " · "


def _clean(text: str | None) -> str:
    return clean_text(text) if text else ""


def result_facts(result: SearchResult) -> Content:
    """First author et al. · journal · year · badges, the badges styled by kind."""
    summary = result.summary
    facts: list[Content] = []
    journal, year = (summary.journal, summary.year) if summary else (None, None)
    for text in (result.byline(), journal, year):
        if _clean(text):
            facts.append(Content(_clean(text)))
    for badge in result.badges:
        kind = "warning" if badge.startswith("!") else "badge"
        facts.append(Content(_clean(badge)).stylize(f".search--{kind}"))
    facts.append(Content(f"PMID {result.pmid}").stylize(".search--muted"))
    return Content(SEPARATOR).stylize(".search--muted").join(facts)


def result_prompt(result: SearchResult, width: int, *, marked: bool = False) -> HangingIndent:
    """ "12. ✓ Title", the facts on the next line; wrapped lines hang under the title."""
    rank = Content(f"{result.rank}.".rjust(width + 1)).stylize(".search--rank")
    mark = Content(f"{MARK} ").stylize(".search--mark") if marked else Content("")
    title = Content(_clean(result.title) or "(no title)").stylize(".search--title")
    body = Content.assemble(mark, title, "\n", result_facts(result), strip_control_codes=False)
    return HangingIndent(rank, body)


class SearchResults(OptionList):
    """An OptionList of SearchResult rows; option ids are the PMIDs."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll")]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "search--rank",
        "search--mark",
        "search--title",
        "search--badge",
        "search--warning",
        "search--muted",
    }
    DEFAULT_CSS = """
    SearchResults {
        height: 1fr; border: none; padding: 0; background: transparent;
        scrollbar-gutter: stable;  /* one width for measuring and drawing rows */
    }
    SearchResults:focus { border: none; background-tint: transparent; }
    SearchResults > .option-list--option { padding: 0 1; }
    SearchResults > .search--rank { color: $pubterm-muted; text-style: bold; }
    SearchResults > .search--mark { color: $pubterm-accent; text-style: bold; }
    SearchResults > .search--title { text-style: bold; }
    SearchResults > .search--badge { color: $pubterm-accent; text-style: bold; }
    SearchResults > .search--warning { color: $pubterm-error; text-style: bold; }
    SearchResults > .search--muted { color: $pubterm-muted; }
    SearchResults:ansi > .search--muted { text-style: dim; }
    SearchResults:nocolor > .option-list--option-highlighted { text-style: bold underline; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results: tuple[SearchResult, ...] = ()
        self.marks: frozenset[str] = frozenset()
        self._width = 2

    @property
    def highlighted_result(self) -> SearchResult | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.results):
            return None
        return self.results[index]

    def show(self, results: Sequence[SearchResult], marks: frozenset[str]) -> None:
        """Make the list show ``results`` with ``marks``, changing as little as it can."""
        new = tuple(results)
        old = self.results
        width = len(str(new[-1].rank)) if new else 2
        if new[: len(old)] != old or width != self._width:
            keep = self.highlighted if new[: len(old)] == old else None
            self._width = width
            self.results = new
            self.marks = marks
            self.set_options([self._option(r) for r in new])
            if new:
                self.highlighted = keep if keep is not None and keep < len(new) else 0
            return
        changed = self.marks ^ marks
        self.results, self.marks = new, marks
        for index, result in enumerate(old):
            if result.pmid in changed:
                self.replace_option_prompt_at_index(index, self._prompt(result))
        if len(new) > len(old):
            self.add_options([self._option(r) for r in new[len(old) :]])
            if self.highlighted is None:
                self.highlighted = 0

    def _prompt(self, result: SearchResult) -> HangingIndent:
        return result_prompt(result, self._width, marked=result.pmid in self.marks)

    def _option(self, result: SearchResult) -> Option:
        return Option(self._prompt(result), id=f"pmid-{result.pmid}")

    def action_cursor_down(self) -> None:
        """Down stops on the last row loaded: the next page comes after it, and wrapping
        to the first row would lose the place in a list still growing."""
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Up stops on the first row, as down stops on the last."""
        if self.highlighted is None or self.highlighted > 0:
            super().action_cursor_up()

    def action_go_top(self) -> None:
        if self.option_count:
            self.highlighted = 0

    def action_go_bottom(self) -> None:
        if self.option_count:
            self.highlighted = self.option_count - 1

    def near_end(self, within: int = 5) -> bool:
        """Whether the cursor or the scrolled view is within ``within`` rows of the end."""
        if not self.option_count:
            return False
        index = self.highlighted or 0
        if index >= self.option_count - within:
            return True
        return self.max_scroll_y > 0 and self.scroll_y >= self.max_scroll_y - 2 * within
