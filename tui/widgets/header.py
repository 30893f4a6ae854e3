"""The record header: what a reader needs to decide whether the paper is the right one.

Title in full (a cut title can hide the one word that matters), a short author line,
where and when it appeared, its identifiers as clickable terminal links, and badges that
say at a glance whether it is a review, or retracted.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tui.data.model import Author, Journal, Record
from tui.widgets.badges import (
    BADGE_CLASSES,
    clean,
    doi_url,
    linked,
    pmc_url,
    publication_badges,
    pubmed_url,
)

MAX_AUTHORS = 5
"""Authors named before the rest are counted as "… +N"."""


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


def header_content(record: Record | None) -> Content:
    """The whole header as one Content, built from plain strings only."""
    if record is None:
        return Content("")
    lines: list[Content] = [Content(clean(record.title) or "(no title)").stylize(".header--title")]
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
    """The top of the reader; grows to fit the title so nothing is ever cut off."""

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

    def on_mount(self) -> None:
        self.set_class(self.record is None, "-empty")

    def watch_record(self, record: Record | None) -> None:
        self.set_class(record is None, "-empty")

    def render(self) -> Content:
        return header_content(self.record)
