"""How one entry of a paper list reads: a reference, or a PMID resolved by esummary.

The references pane and the cited-by / similar panes show the same facts the same way
(title · first author · journal · year, publication types, a warning for retracted
papers), so a reader learns one layout.  Everything here is built from plain strings:
record text never becomes markup.
"""

from __future__ import annotations

from textual.content import Content

from tui.data.model import Reference
from tui.data.summaries import Summary
from tui.widgets.badges import badge_kind, clean, id_badges
from tui.widgets.hanging import HangingIndent

MARK = "✓"
SEPARATOR = " · "
LOADING = "Loading…"
ENTRY_CLASSES = frozenset(
    {
        "references--number",
        "references--match",
        "references--mark",
        "references--title",
        "references--muted",
    }
)
"""Component classes a list must declare to render entries built here."""


def flag(summary: Summary | None) -> Content:
    """ "! Retracted" in the warning style, or nothing: the "!" shows without colour."""
    label = summary.flag_label if summary is not None else None
    if not label:
        return Content("")
    return Content(f"! {label}").stylize(".badge--warning")


def summary_body(summary: Summary) -> Content:
    """Title · first author · journal · year, then the telling publication types."""
    title = Content(clean(summary.title) or "(no title)").stylize(".references--title")
    facts: list[Content] = [title]
    author = clean(summary.first_author)
    if author:
        facts.append(Content(author + (" et al." if len(summary.authors) > 1 else "")))
    facts.extend(Content(clean(v)) for v in (summary.journal, summary.year) if clean(v))
    types = [clean(t) for t in summary.pub_types]
    # Warnings are said by the flag already; "Journal Article" says nothing.
    facts.extend(
        Content(t).stylize(f".badge--{badge_kind(t)}")
        for t in types
        if t and badge_kind(t) != "warning" and t.casefold() != "journal article"
    )
    return Content(SEPARATOR).stylize(".badge--separator").join(facts)


def _assemble(*parts: Content) -> Content:
    """The parts that say something, a space apart.  Every part is Content already (its
    control codes stripped), so the text is not scanned again: hundreds of entries are
    built before a review's first paint."""
    shown = [part for part in parts if part.plain]
    if len(shown) == 1:
        return shown[0]
    spaced: list[Content | str] = []
    for part in shown:
        spaced += [" ", part] if spaced else [part]
    return Content.assemble(*spaced, strip_control_codes=False)


def number_label(number: int, width: int) -> Content:
    """The right-aligned "12." column."""
    return Content(f"{number}.".rjust(width + 1)).stylize(".references--number")


def reference_prompt(
    number: int,
    width: int,
    reference: Reference,
    summary: Summary | None = None,
    *,
    marked: bool = False,
) -> HangingIndent:
    """ "12. citation  DOI PMID PMC", or the resolved facts once esummary answered."""
    mark = Content(MARK).stylize(".references--mark") if marked else Content("")
    if summary is not None:
        text = summary_body(summary)
    else:
        text = Content(clean(reference.citation) or "(no citation text)")
    body = _assemble(mark, flag(summary), text)
    badges = id_badges(
        reference.doi or (summary.doi if summary else None),
        reference.pmid,
        reference.pmcid or (summary.pmcid if summary else None),
    )
    if badges.plain:
        body = Content.assemble(body, "  ", badges, strip_control_codes=False)
    return HangingIndent(number_label(number, width), body)


def pmid_prompt(
    number: int, width: int, pmid: str, summary: Summary | None, *, pending: bool
) -> HangingIndent:
    """An entry of a PMID list: "Loading…" until esummary answers, then its facts."""
    if summary is not None:
        body = _assemble(flag(summary), summary_body(summary))
        badges = id_badges(summary.doi, pmid, summary.pmcid)
        body = Content.assemble(body, "  ", badges)
    else:
        note = LOADING if pending else "no summary available"
        body = Content.assemble(
            Content(f"PMID {pmid}"), " ", Content(note).stylize(".references--muted")
        )
    return HangingIndent(number_label(number, width), body)


def haystack(reference: Reference, summary: Summary | None = None) -> str:
    """What a filter matches against: the citation, resolved title and ids, casefolded."""
    fields = [reference.citation, reference.doi, reference.pmid, reference.pmcid]
    if summary is not None:
        fields += [summary.title, summary.first_author, summary.journal, summary.flag_label]
    return " ".join(clean(f) for f in fields if f).casefold()
