"""The record header: what a reader needs to decide whether the paper is the right one.

The title (up to three lines: a longer one would push every pane off an 80×24 screen;
``t`` shows it whole), a short author line, where and when it appeared, its identifiers
as clickable terminal links, and badges that say at a glance whether it is a review, or
retracted.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tui.data.model import Author, Record
from tui.data.model_publication import Journal
from tui.keys import spec
from tui.widgets.badges import (
    BADGE_CLASSES,
    clean,
    doi_url,
    linked,
    pmc_url,
    publication_badges,
    pubmed_url,
)
from tui.widgets.line_count import wrapped_lines

MAX_AUTHORS = 5
"""Authors named before the rest are counted as "… +N"."""
TITLE_LINES = 3
"""The lines a title may take before it is cut (``t`` shows the whole title)."""


def author_line(authors: tuple[Author, ...]) -> str:
    """The first few authors, then how many more; collective names stay whole."""
    names = [name for name in (clean(a.display) for a in authors) if name]
    if len(names) <= MAX_AUTHORS:
        return ", ".join(names)
    return ", ".join(names[:MAX_AUTHORS]) + f" … +{len(names) - MAX_AUTHORS}"


def issue_text(journal: Journal) -> str:
    """volume(issue):pages with whichever parts are present."""
    volume, issue, pages = clean(journal.volume), clean(journal.issue), clean(journal.pages)
    text = volume
    if issue:
        text += f"({issue})"
    if pages:
        text += f":{pages}" if text else pages
    return text


def source_line(record: Record) -> str:
    """Journal · date · volume(issue):pages, skipping what the record lacks."""
    journal = clean(record.journal.iso_abbrev) or clean(record.journal.title)
    parts = [journal, clean(record.published), issue_text(record.journal)]
    return " · ".join(part for part in parts if part)


def id_line(record: Record) -> Content:
    """DOI, PMID and PMCID, each a hyperlink to where it resolves."""
    parts: list[Content] = []
    doi = clean(record.doi)
    if doi:
        parts.append(Content("DOI ").stylize(".header--label"))
        parts.append(linked(doi, doi_url(doi), ".header--id"))
    pmid = clean(record.pmid)
    if pmid:
        if parts:
            parts.append(Content("  "))
        parts.append(Content("PMID ").stylize(".header--label"))
        parts.append(linked(pmid, pubmed_url(pmid), ".header--id"))
    pmcid = clean(record.pmcid)
    if pmcid:
        if parts:
            parts.append(Content("  "))
        parts.append(linked(pmcid, pmc_url(pmcid), ".header--id"))
    return Content.assemble(*parts)


def cut_title(title: str, width: int, lines: int = TITLE_LINES) -> str:
    """``title`` as it fits in ``lines`` lines of ``width`` cells, cut at a word with a
    note of the key that shows the rest; unchanged when it fits."""
    if width <= 0 or wrapped_lines(title, width) <= lines:
        return title
    rest = f"… ({spec('full-title').key_display} shows the whole title)"
    low, high = 0, len(title)
    while low < high:  # the longest start of the title that fits with the note
        middle = (low + high + 1) // 2
        if wrapped_lines(title[:middle].rstrip() + rest, width) <= lines:
            low = middle
        else:
            high = middle - 1
    start = title[:low]
    if " " in start.strip():
        start = start[: start.rstrip().rindex(" ")]
    return start.rstrip() + rest


def header_content(record: Record | None, width: int = 0) -> Content:
    """The whole header as one Content, built from plain strings only; at ``width``
    cells a long title is cut to ``TITLE_LINES`` lines (0: never cut)."""
    if record is None:
        return Content("")
    title = cut_title(clean(record.title) or "(no title)", width)
    lines: list[Content] = [Content(title).stylize(".header--title")]
    authors = author_line(record.authors)
    if authors:
        lines.append(Content(authors).stylize(".header--authors"))
    source = source_line(record)
    if source:
        lines.append(Content(source).stylize(".header--source"))
    ids = id_line(record)
    if ids:
        lines.append(ids)
    badges = publication_badges(record.publication_types)
    if badges:
        lines.append(badges)
    return Content("\n").join(lines)


class RecordHeader(Widget):
    """The top of the reader; a long title is cut to a few lines until ``t`` asks for
    all of it, so the panes below always keep the screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "header--title",
        "header--authors",
        "header--source",
        "header--label",
        "header--id",
        *BADGE_CLASSES,
    }

    DEFAULT_CSS = """
    RecordHeader {
        height: auto;
    }
    RecordHeader.-empty {
        display: none;
    }
    """

    record: reactive[Record | None] = reactive(None, layout=True)
    """The record shown; None shows nothing."""
    full_title: reactive[bool] = reactive(False, layout=True)
    """True to show a long title whole (``t``); a new record starts cut again."""

    def on_mount(self) -> None:
        self.set_class(self.record is None, "-empty")

    def toggle_title(self) -> None:
        """Show a long title whole, or cut it again (the reader's ``t``)."""
        self.full_title = not self.full_title

    def watch_record(self, old: Record | None, record: Record | None) -> None:
        self.set_class(record is None, "-empty")
        if old is None or record is None or old.pmid != record.pmid:
            self.full_title = False

    def render(self) -> Content:
        # The header spans the screen: its width is known before the first layout.
        width = self.app.size.width - self.styles.gutter.width
        return header_content(self.record, 0 if self.full_title else width)
