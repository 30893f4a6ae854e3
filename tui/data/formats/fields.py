"""What every citation format derives from a record beyond its plain fields.

Journal names as manuscripts print them, the notes a reference manager should keep
(grants, errata, retractions), and the data for a reference that is not a PubMed record,
written once so BibTeX, RIS and CSL agree.
"""

from __future__ import annotations

import re

from tui.data.model import Record, Reference
from tui.data.model_publication import Grant, Journal

# Words a title-cased journal name keeps in lower case unless they start it.
_SMALL_WORDS = frozenset(
    (
        "a", "an", "and", "as", "at", "by", "de", "del", "der", "des", "di", "du", "e", "et",
        "for", "from", "in", "la", "le", "les", "of", "on", "or", "the", "to", "und", "von",
        "with", "y",
    )
)  # fmt: skip
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# RefType -> the words a note uses ("Erratum in: J Foo. 2001;1:2.").
CORRECTION_WORDS: dict[str, str] = {
    "ErratumIn": "Erratum in",
    "ErratumFor": "Erratum for",
    "RetractionIn": "Retraction in",
    "RetractionOf": "Retraction of",
    "PartialRetractionIn": "Partial retraction in",
    "PartialRetractionOf": "Partial retraction of",
    "ExpressionOfConcernIn": "Expression of concern in",
    "ExpressionOfConcernFor": "Expression of concern for",
    "CommentIn": "Comment in",
    "CommentOn": "Comment on",
    "UpdateIn": "Update in",
    "UpdateOf": "Update of",
    "CorrectedandRepublishedIn": "Corrected and republished in",
    "CorrectedandRepublishedFrom": "Corrected and republished from",
    "RetractedandRepublishedIn": "Retracted and republished in",
    "RetractedandRepublishedFrom": "Retracted and republished from",
    "RepublishedIn": "Republished in",
    "RepublishedFrom": "Republished from",
    "SummaryForPatientsIn": "Summary for patients in",
    "OriginalReportIn": "Original report in",
}


def title_case(text: str) -> str:
    """ "Nurse educator" -> "Nurse Educator"; words with capitals or digits stay as written."""
    words = text.split(" ")
    out = []
    for n, word in enumerate(words):
        if word != word.lower() or any(c.isdigit() for c in word) or (n and word in _SMALL_WORDS):
            out.append(word)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(out)


def journal_name(journal: Journal) -> str | None:
    """The journal's full name for a citation: NLM's title before its first " : ".

    NLM titles carry subtitles and translations after " : " ("Europace : European
    pacing, arrhythmias, …") and are in sentence case; manuscripts want "Europace".
    """
    if not journal.title:
        return None
    return title_case(journal.title.split(" : ")[0].strip().rstrip(".")) or None


def journal_abbreviation(journal: Journal) -> str | None:
    """The ISO abbreviation, else NLM's MEDLINE abbreviation (the same in most cases)."""
    return journal.iso_abbrev or journal.medline_ta


def pages(record: Record) -> str | None:
    """The pages, else the article number (eLife's "e42692"), where Zotero puts it too."""
    return record.journal.pages or record.article_number


def grant_line(grant: Grant) -> str:
    """MEDLINE's GR spelling, which every note uses too: "CA53453/CA/NCI NIH HHS/United States"."""
    return "/".join(p for p in (grant.id, grant.acronym, grant.agency, grant.country) if p)


def grant_text(record: Record) -> str | None:
    if not record.grants:
        return None
    return "Grants: " + "; ".join(grant_line(g) for g in record.grants) + "."


def correction_texts(record: Record) -> list[str]:
    """ "Erratum in: Source. PMID: 123." for each linked notice, retractions first."""
    ordered = sorted(record.corrections, key=lambda c: not c.type.startswith("Retraction"))
    out = []
    for correction in ordered:
        words = CORRECTION_WORDS.get(correction.type)
        if words:
            text = f"{words}: {correction.source}".rstrip()
            if correction.pmid:
                text = f"{text.rstrip('.')}. PMID: {correction.pmid}"
            out.append(text if text.endswith(".") else text + ".")
    return out


def notes(record: Record) -> list[str]:
    """What a reference manager should keep in the record's note: notices, then grants."""
    grant = grant_text(record)
    return correction_texts(record) + ([grant] if grant else [])


def reference_year(reference: Reference) -> str | None:
    match = _YEAR.search(reference.citation)
    return match.group(1) if match else None
