"""What the reader's cite and export actions produce: records, text, sentences, file names.

Kept free of Textual so it can be tested as plain functions: the reader screen only asks
for a choice, calls these, and shows the sentences they return (the file itself is
written by :mod:`tui.data.export_files`).  References are turned into full records first
(cache, then batched efetch), because a reference's one-line citation text is not enough
for a good BibTeX or RIS entry; a reference that cannot be resolved still goes out, made
from its citation text, so an export never shrinks the bibliography.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tui.data.bibliography import Bibliography, reference_ids
from tui.data.errors import NotFoundError, OfflineError, PubtermError
from tui.data.formats import OUTPUT_FORMATS
from tui.data.model import Record, Reference
from tui.data.service import PubMed

# Read from the one table of output formats (tui.data.formats.OUTPUT_FORMATS).
FORMAT_LABELS: dict[str, str] = {f.name: f.label for f in OUTPUT_FORMATS if f.citation}
FORMAT_ORDER = tuple(FORMAT_LABELS)
DEFAULT_EXPORT_FORMAT = "bibtex"
EXTENSIONS: dict[str, str] = {f.name: f.extension for f in OUTPUT_FORMATS}
# The styles offered first; the rest are found by typing.  Name -> what people call it.
FAVOURITE_STYLES: dict[str, str] = {
    "apa": "APA",
    "american-medical-association": "AMA",
    "modern-language-association": "MLA",
    "nature": "Nature",
    "vancouver": "Vancouver",
}
# An entry's noun in "Copied 3 BibTeX entries" for each format.
NOUNS: dict[str, tuple[str, str]] = {f.name: f.noun for f in OUTPUT_FORMATS}
NO_ID = "no PMID or DOI"
NOT_IN_PUBMED = "not in PubMed"
NOT_CACHED = "not cached, offline"
RESOLVE_BATCH = 200  # references looked up per batched efetch (and per progress step)
# Why a reference went out as its citation text, as a verb phrase: (one, several).
_PHRASES: dict[str, tuple[str, str]] = {
    NO_ID: ("has no PMID or DOI", "have no PMID or DOI"),
    NOT_IN_PUBMED: ("is not in PubMed", "are not in PubMed"),
    NOT_CACHED: ("is not cached while offline", "are not cached while offline"),
}
OnProgress = Callable[[int, int], None]


def style_label(style: str | None) -> str:
    """ "APA" for the favourites, else the style's own name."""
    name = style or "apa"
    return FAVOURITE_STYLES.get(name, name)


def known_format(name: str | None) -> str:
    """The format to preselect: the remembered one when still offered, else BibTeX."""
    return name if name in FORMAT_LABELS else DEFAULT_EXPORT_FORMAT


def what(fmt: str, style: str | None, count: int, *, counted: bool = False) -> str:
    """ "APA citation", "3 BibTeX entries": the thing made, for notices."""
    one, many = NOUNS[fmt]
    prefix = f"{style_label(style)} " if fmt == "cite" else ""
    if count == 1:
        return f"1 {prefix}{one}" if counted else f"{prefix}{one}"
    return f"{count} {prefix}{many}"


def copied_what(fmt: str, style: str | None, items: Sequence[Record | Reference]) -> str:
    """ "APA citation of PMID 35856662", "3 BibTeX entries (2 full entries, 1 from citation
    text)": what a copy holds, for the clipboard's sentence."""
    if len(items) == 1:
        item = items[0]
        if isinstance(item, Record):
            return f"{what(fmt, style, 1)} of PMID {item.pmid}"
        return f"{what(fmt, style, 1)} made from the reference's citation text"
    return what(fmt, style, len(items)) + breakdown(items)


def exported_sentence(
    fmt: str, style: str | None, items: Sequence[Record | Reference], where: str
) -> str:
    """ "Exported 597 BibTeX entries (148 full entries, 449 from citation text) to PATH"."""
    made = what(fmt, style, len(items), counted=True)
    return f"Exported {made}{breakdown(items)} to {where}"


def breakdown(items: Sequence[Record | Reference]) -> str:
    """ " (148 full entries, 449 from citation text)", or "" when every item is a record."""
    from_text = sum(1 for item in items if not isinstance(item, Record))
    if not from_text:
        return ""
    full = len(items) - from_text
    return f" ({_count(full, 'full entry', 'full entries')}, {from_text} from citation text)"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def export_filename(pmid: str, fmt: str, *, marked: bool = False) -> str:
    """ "pubterm-35856662-references.bib" (or "...-marked-references...")."""
    safe = "".join(ch for ch in pmid if ch.isalnum()) or "record"
    part = "marked-references" if marked else "references"
    return f"pubterm-{safe}-{part}{EXTENSIONS[fmt]}"


@dataclass
class Resolution:
    """Every reference, in list order, as its record or (when that failed) itself, and why.

    ``items`` holds one entry per reference: the writers turn a record into a full entry
    and a :class:`Reference` into one made from its citation text.
    """

    total: int
    items: list[Record | Reference] = field(default_factory=list)
    failures: list[tuple[Reference, str]] = field(default_factory=list)

    @property
    def records(self) -> list[Record]:
        """The references that resolved to PubMed records."""
        return [item for item in self.items if isinstance(item, Record)]

    def problem(self) -> str | None:
        """One sentence on the references that go out as their citation text, or None.

        "449 of 597 references go out as their citation text: 361 are not in PubMed,
        87 have no PMID or DOI and 1 is not cached while offline".
        """
        failed = len(self.failures)
        if not failed:
            return None
        if self.total == 1:
            head, subject = "The reference goes out as its citation text", "it"
        elif failed == 1:
            head, subject = f"1 of {self.total} references goes out as its citation text", "it"
        else:
            head = f"{failed} of {self.total} references go out as their citation text"
            subject = "they"
        reasons = Counter(reason for _, reason in self.failures).most_common()
        if len(reasons) == 1:
            return f"{head}: {subject} {_phrase(reasons[0][0], failed)}"
        parts = [f"{n} {_phrase(why, n)}" for why, n in reasons]
        return f"{head}: {', '.join(parts[:-1])} and {parts[-1]}"


def _phrase(reason: str, count: int) -> str:
    """ "is not in PubMed" / "are not in PubMed"; other failures are named as they are."""
    one, many = _PHRASES.get(reason, (f"could not be fetched ({reason})",) * 2)
    return one if count == 1 else many


def _reason(error: PubtermError) -> str:
    if isinstance(error, NotFoundError):
        return NOT_IN_PUBMED
    if isinstance(error, OfflineError):
        return NOT_CACHED
    return str(error)


async def resolve_references(
    service: PubMed,
    references: Sequence[Reference],
    *,
    on_progress: OnProgress | None = None,
    batch: int = RESOLVE_BATCH,
) -> Resolution:
    """Each reference's PubMed record, in list order: by PMID, else DOI, else PMC ID.

    The cache answers first and the rest share one batched efetch per ``batch``
    references; a reference whose first identifier leads nowhere gets a second chance
    through its other identifiers.  A reference that resolves to nothing stays in the
    result as itself, with the reason beside it.  ``on_progress(done, total)`` is called
    after each batch and after each second chance (those take a request each).
    """
    result = Resolution(total=len(references))
    bibliography = Bibliography(service)
    done = 0
    for start in range(0, len(references), max(batch, 1)):
        wanted = [(ref, reference_ids(ref)) for ref in references[start : start + batch]]
        firsts = [ids[0] for _, ids in wanted if ids]
        outcomes = iter(await service.fetch_many(firsts) if firsts else [])
        for ref, ids in wanted:
            done += 1
            if not ids:
                result.items.append(ref)
                result.failures.append((ref, NO_ID))
                continue
            outcome = next(outcomes)
            if isinstance(outcome, NotFoundError) and len(ids) > 1:
                try:
                    outcome = await bibliography.record_for_ids(ids[1:])
                except PubtermError as exc:
                    outcome = exc
                if on_progress is not None:
                    on_progress(done, result.total)
            if isinstance(outcome, Record):
                result.items.append(outcome)
            else:
                result.items.append(ref)
                result.failures.append((ref, _reason(outcome)))
        if on_progress is not None:
            on_progress(done, result.total)
    return result
