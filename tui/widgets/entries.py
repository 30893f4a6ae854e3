"""How one entry of a paper list reads: a reference, or a PMID resolved by esummary.

The references pane and the cited-by / similar panes show the same facts the same way
(title · first author · journal · year, publication types, a warning for retracted
papers), so a reader learns one layout.  Everything here is built from plain strings:
record text never becomes markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
        "references--cited",
    }
)
"""Component classes a list must declare to render entries built here."""


def times(count: int) -> str:
    """ "cited 3×", the count of in-text citations of one reference."""
    return f"cited {count}×"


LIST_AUTHORS = 3
"""Authors a citation shows in the list before "et al." (copies keep the full text)."""

# "Murray CJ", "Robles Aguilar G", "van der Zee A", "Láinez‐Ramos‐Bossini AJ": name
# words, then the initials.  Citations in other shapes are shown as they are.
_AUTHOR = re.compile(
    r"[^\W\d_][^\s,.;]*(?: [^\s,.;]+)*? [A-Z](?:-?[A-Z]){0,3}"
    r"(?: (?:Jr|Sr|2nd|3rd|4th|II|III|IV))?(?=$|[\s,.;(])"
)
_ET_AL = re.compile(r"\bet al\b[\s.]*", re.IGNORECASE)
_DOUBLE_DOT = re.compile(r"\bet al\.(?:\s*\.)+", re.IGNORECASE)
_DOI_PREFIX = r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?"


def _after_authors(piece: str) -> str | None:
    """What follows the author list in the piece holding its end, or None when the
    piece does not look like one ("Hope W. 2022. Title…", "Dokova K, et al.. 2022…")."""
    et_al = _ET_AL.match(piece)
    if et_al:
        return piece[et_al.end() :]
    author = _AUTHOR.match(piece)
    if author is None:
        return None
    rest = piece[author.end() :]
    if rest.startswith(" & "):  # "Thierry B & de Waal FBM (2012)": one more name
        author = _AUTHOR.match(rest, 3)
        if author is None:
            return None
        rest = rest[author.end() :]
    et_al = _ET_AL.match(rest.lstrip())
    if et_al:
        return rest.lstrip()[et_al.end() :]
    if re.match(r"\.+ | \(", rest):
        return rest.lstrip(". ")
    if rest.startswith("; "):  # a group author follows the people: keep it
        return rest
    return None


def short_authors(citation: str, limit: int = LIST_AUTHORS) -> str:
    """The citation with its author list cut to ``limit`` names and "et al.".

    A consortium paper's 40 authors would otherwise fill the screen before its title.
    Anything that does not parse as "Name AB, Name CD, …" is left whole.
    """
    pieces = citation.split(", ")
    count = 0
    while count < len(pieces) - 1 and _AUTHOR.fullmatch(pieces[count]):
        count += 1
    if count <= limit:
        return citation
    rest = _after_authors(pieces[count])
    if rest is None:
        return citation
    tail = ", ".join([rest, *pieces[count + 1 :]]).strip()
    joint = "" if not tail or tail.startswith(";") else " "
    return ", ".join(pieces[:limit]) + ", et al." + joint + tail


def without_doi(citation: str, doi: str | None) -> str:
    """The citation without its DOI when a DOI badge follows it: the DOI shows once."""
    if not doi:
        return citation
    pattern = re.compile(r"\s*" + _DOI_PREFIX + re.escape(doi) + r"\.?", re.IGNORECASE)
    shorter = pattern.sub("", citation).strip()
    return shorter or citation


def citation_line(reference: Reference, text: str | None = None) -> str:
    """How an unresolved reference reads in a list: short author list, "et al." with one
    dot, the DOI left to its badge.  Copies and citations use ``reference.citation``.

    ``text`` is the citation already cleaned, when the caller has it."""
    text = clean(reference.citation) if text is None else text
    text = _DOUBLE_DOT.sub("et al.", text)
    return short_authors(without_doi(text, clean(reference.doi)))


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
    cited: int | None = None,
) -> HangingIndent:
    """ "12. citation  DOI PMID PMC", or the resolved facts once esummary answered;
    ``cited`` is how often the record's full text cites it ("cited 3×"), once known."""
    mark = Content(MARK).stylize(".references--mark") if marked else Content("")
    badges = id_badges(
        reference.doi or (summary.doi if summary else None),
        reference.pmid,
        reference.pmcid or (summary.pmcid if summary else None),
    )

    def entry(text: Content) -> Content:
        body = _assemble(mark, flag(summary), text)
        if badges.plain:
            body = Content.assemble(body, "  ", badges, strip_control_codes=False)
        if cited is not None:
            body = Content.assemble(body, "  ", (times(cited), ".references--cited"))
        return body

    whole: Callable[[], Content] | None = None
    if summary is not None:
        text = summary_body(summary)
    else:
        full = clean(reference.citation)
        line = citation_line(reference, full)
        text = Content(line or "(no citation text)")
        if line != full:

            def whole() -> Content:
                return entry(Content(full))

    return HangingIndent(number_label(number, width), entry(text), whole=whole)


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
