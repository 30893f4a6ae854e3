"""What the reader's cite and export actions produce: records, text, sentences, file names.

Kept free of Textual so it can be tested as plain functions: the reader screen only asks
for a choice, calls these, and shows the sentences they return.  References are turned
into full records first (cache, then one batched efetch), because a reference's one-line
citation text is not enough for a BibTeX or RIS entry.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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


def copied_sentence(fmt: str, style: str | None, records: Sequence[Record]) -> str:
    """ "Copied APA citation of PMID 35856662", "Copied 3 BibTeX entries"."""
    if len(records) == 1:
        return f"Copied {what(fmt, style, 1)} of PMID {records[0].pmid}"
    return f"Copied {what(fmt, style, len(records))}"


def export_filename(pmid: str, fmt: str, *, marked: bool = False) -> str:
    """ "pubterm-35856662-references.bib" (or "...-marked-references...")."""
    safe = "".join(ch for ch in pmid if ch.isalnum()) or "record"
    part = "marked-references" if marked else "references"
    return f"pubterm-{safe}-{part}{EXTENSIONS[fmt]}"


def free_filename(directory: Path, name: str) -> str:
    """``name``, or "name-2.ext", "name-3.ext"... so an earlier export is never overwritten.

    Any entry counts as taken, a dangling symlink too: writing through it would land the
    export wherever the link points.
    """
    path = Path(name)
    candidate, number = name, 1
    while os.path.lexists(directory / candidate):
        number += 1
        candidate = f"{path.stem}-{number}{path.suffix}"
    return candidate


def download_dir() -> Path:
    """The user's download folder (``~/Downloads`` or the XDG setting), as Textual uses."""
    from platformdirs import user_downloads_path

    return user_downloads_path()


@dataclass
class Resolution:
    """References turned into records, and why the others could not be."""

    total: int
    records: list[Record] = field(default_factory=list)
    failures: list[tuple[Reference, str]] = field(default_factory=list)

    def problem(self) -> str | None:
        """ "2 of 5 references could not be resolved (no PMID or DOI)", or None."""
        if not self.failures:
            return None
        reasons = Counter(reason for _, reason in self.failures)
        if len(reasons) == 1:
            detail = next(iter(reasons))
        else:
            detail = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common())
        noun = "reference" if self.total == 1 else "references"
        return f"{len(self.failures)} of {self.total} {noun} could not be resolved ({detail})"


def _reason(error: PubtermError) -> str:
    if isinstance(error, NotFoundError):
        return NOT_IN_PUBMED
    if isinstance(error, OfflineError):
        return NOT_CACHED
    return str(error)


async def resolve_references(
    service: PubMed,
    references: Sequence[Reference],
) -> Resolution:
    """Each reference's PubMed record, in list order: by PMID, else DOI, else PMC ID.

    The cache answers first and all the rest share one batched efetch; a reference whose
    first identifier leads nowhere gets a second chance through its other identifiers.
    """
    result = Resolution(total=len(references))
    wanted = [(ref, reference_ids(ref)) for ref in references]
    firsts = [ids[0] for _, ids in wanted if ids]
    outcomes = iter(await service.fetch_many(firsts) if firsts else [])
    bibliography = Bibliography(service)
    for ref, ids in wanted:
        if not ids:
            result.failures.append((ref, NO_ID))
            continue
        outcome = next(outcomes)
        if isinstance(outcome, NotFoundError) and len(ids) > 1:
            try:
                outcome = await bibliography.record_for_ids(ids[1:])
            except PubtermError as exc:
                outcome = exc
        if isinstance(outcome, Record):
            result.records.append(outcome)
        else:
            result.failures.append((ref, _reason(outcome)))
    return result
