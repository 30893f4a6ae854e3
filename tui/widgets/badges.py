"""Badges and links shared by the record header and the references list.

A reader deciding whether to trust a paper looks first for "Review" or "Retracted", so
those publication types get their own look; identifiers become terminal hyperlinks.
Colours live in widgets.tcss: spans here name component classes (".badge--review"), which
Textual resolves against the widget that renders them, so a theme change restyles them.
Every string that comes from a record is cleaned and kept as plain data, never markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal

from textual.content import Content, Span
from textual.style import Style

from tui.data import urls
from tui.data.pubtypes import is_warning
from tui.data.text import clean_text

BadgeKind = Literal["prominent", "warning", "plain"]

PROMINENT_TYPES = frozenset({"review", "systematic review", "meta-analysis"})
"""Publication types that make a record the kind of paper pubterm is for."""

BADGE_CLASSES = frozenset(
    {
        "badge--prominent",
        "badge--warning",
        "badge--plain",
        "badge--id",
        "badge--separator",
    }
)
"""Component classes a widget must declare to render badges built here."""

_PMID = re.compile(r"^[0-9]{1,9}$")
_PMCID = re.compile(r"^PMC[0-9]{1,9}$", re.IGNORECASE)


def clean(text: str | None) -> str:
    """Record text made safe for the terminal (the parser cleans too: defence in depth)."""
    return clean_text(text) if text else ""


def badge_kind(publication_type: str) -> BadgeKind:
    """How loudly a publication type should be shown."""
    key = publication_type.strip().casefold()
    if is_warning(key):
        return "warning"
    if key in PROMINENT_TYPES:
        return "prominent"
    return "plain"


def ordered_types(publication_types: Iterable[str]) -> list[tuple[str, BadgeKind]]:
    """Warnings first, then review types, then the rest, each group in record order."""
    rank = {"warning": 0, "prominent": 1, "plain": 2}
    cleaned = [(text, badge_kind(text)) for text in map(clean, publication_types) if text]
    return sorted(cleaned, key=lambda item: rank[item[1]])


def publication_badges(publication_types: Sequence[str]) -> Content:
    """One line of publication-type badges, separated by a muted dot.

    Warnings carry a "!" so they stand out without colour (NO_COLOR, monochrome terminals).
    """
    parts: list[Content] = []
    for text, kind in ordered_types(publication_types):
        label = f"! {text}" if kind == "warning" else text
        parts.append(Content(label).stylize(f".badge--{kind}"))
    return Content(" · ").stylize(".badge--separator").join(parts)


def doi_url(doi: str) -> str:
    """The https://doi.org/ address of a DOI: the same one ``o`` opens, percent-encoded."""
    return urls.doi_url(clean(doi))


def pubmed_url(pmid: str) -> str | None:
    """The PubMed page of a PMID, or None when the value is not a PMID."""
    value = clean(pmid)
    if not _PMID.match(value):
        return None
    return urls.pubmed_url(value)


def pmc_url(pmcid: str) -> str | None:
    """The PMC article page of a PMCID, or None when the value is not a PMCID."""
    value = clean(pmcid)
    if not _PMCID.match(value):
        return None
    return urls.pmc_url(value)


def linked(text: str, url: str | None, component: str) -> Content:
    """Plain text styled by a component class and, when there is a URL, an OSC 8 link."""
    content = Content(text).stylize(component)
    if url:
        content = content.add_spans([Span(0, len(content.plain), Style(link=url))])
    return content


def id_badges(doi: str | None, pmid: str | None, pmcid: str | None) -> Content:
    """Small muted markers saying which identifiers a reference carries."""
    names = [name for name, value in (("DOI", doi), ("PMID", pmid), ("PMC", pmcid)) if value]
    if not names:
        return Content("")
    return Content(" ".join(names)).stylize(".badge--id")
