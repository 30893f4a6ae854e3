"""BibTeX entries, written with bibtexparser so the output is what BibTeX tools read.

Record text goes through LaTeX escaping before it reaches the writer: a title with
"50% & $5" or a literal brace must come out as text, never as LaTeX that breaks the
document (or silently swallows the rest of a line after ``%``).  Non-ASCII letters are
written as LaTeX accents where that spelling reads back to the same character, so the
file also works with 8-bit BibTeX; anything without such a spelling stays UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexencode import UnicodeToLatexEncoder

from tui.data.formats.csl_json import (
    Item,
    citation_title,
    cite_key,
    cite_keys,
    date_parts,
    page_text,
    reference_key,
)
from tui.data.formats.fields import journal_abbreviation, journal_name, notes, pages
from tui.data.model import Author, Record, Reference

_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# The ten characters LaTeX treats specially, spelled so they print as themselves.
_ASCII_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=["defaults"],
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    # Characters with no LaTeX spelling (U+237A) stay UTF-8, which biber and
    # bibtexparser read; the encoder would otherwise warn on stderr for each one.
    unknown_char_warning=False,
)
_DECODER = LatexNodes2Text(math_mode="verbatim")
# A word with a capital after its first letter (OXA-48, mRNA, CACNA1C) keeps its case.
_NEEDS_CASE_PROTECTION = re.compile(r"^.+[A-Z]|^[A-Z](?=.*\d)")
_WORD_PARTS = re.compile(r"^([(\[\"']*)(.*?)([)\]\"'.,:;!?]*)$", re.DOTALL)
_AND_WORD = re.compile(r"\band\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _latex_char(char: str) -> str:
    if char in _ASCII_SPECIALS:
        return _ASCII_SPECIALS[char]
    if char.isascii():
        return char
    encoded = _ENCODER.unicode_to_latex(char)
    # Only spellings that read back to the very same character are worth having.
    return encoded if _DECODER.latex_to_text(encoded) == char else char


def escape(text: str) -> str:
    """``text`` spelled for a BibTeX field so LaTeX prints it as written."""
    return "".join(_latex_char(c) for c in text)


def _title(text: str) -> str:
    out = []
    for word in text.split(" "):
        # Protect the word itself; punctuation around it may still be styled.
        lead, core, trail = _WORD_PARTS.match(word).groups()  # type: ignore[union-attr]
        if _NEEDS_CASE_PROTECTION.search(core):
            out.append(escape(lead) + "{" + escape(core) + "}" + escape(trail))
        else:
            out.append(escape(word))
    return " ".join(out)


def _verbatim(text: str) -> str:
    # Identifiers (DOIs) are read verbatim by biblatex; only braces could break the file.
    return text.replace("\\", "").replace("{", "").replace("}", "")


def _name(author: Author) -> str:
    if author.collective:
        # Braces make a group one "last name": BibTeX never splits or abbreviates it.
        return "{" + escape(author.collective) + "}"
    last = escape(author.last or "")
    if _AND_WORD.search(last):
        last = "{" + last + "}"
    given = escape(author.fore or author.initials or "")
    if author.suffix and last and given:
        return f"{last}, {escape(author.suffix)}, {given}"  # BibTeX's "Last, Jr, First"
    return f"{last}, {given}" if last and given else last or given


def _names(authors: tuple[Author, ...]) -> str | None:
    return " and ".join(_name(a) for a in authors) or None


def _entry_type(record: Record) -> str:
    if record.book is None:
        return "article"
    return "book" if record.book.whole else "incollection"


def entry(record: Record, key: str | None = None) -> Entry:
    """The bibtexparser entry for one record (``key`` defaults to its stable cite key)."""
    journal = record.journal
    book = record.book
    entry_type = _entry_type(record)
    parts = date_parts(record)
    fields: list[tuple[str, str | None, bool]] = [
        ("author", _names(record.authors), False),
        ("title", _title(citation_title(record.title)), False),
    ]
    if book is None:
        fields += [
            ("journal", escape(journal_name(journal) or "") or None, False),
            ("shortjournal", escape(journal_abbreviation(journal) or "") or None, False),
        ]
    else:
        if entry_type == "incollection":
            fields.append(("booktitle", escape(book.title or "") or None, False))
        fields += [
            ("editor", _names(book.editors), False),
            ("publisher", escape(book.publisher or "") or None, False),
            ("address", escape(book.location or "") or None, False),
            ("edition", escape(book.edition or "") or None, False),
            ("isbn", escape(book.isbn[0]) if book.isbn else None, False),
        ]
    fields += [
        ("year", str(parts[0]) if parts else None, False),
        ("month", _MONTH_MACROS[parts[1] - 1] if len(parts) > 1 else None, True),
        ("volume", escape(journal.volume or "") or None, False),
        ("number", escape(journal.issue or "") or None, False),
        ("pages", escape(page_text(pages(record), "--") or "") or None, False),
        ("doi", _verbatim(record.doi) if record.doi else None, False),
        ("issn", escape(journal.issn or journal.issn_linking or "") or None, False),
        ("language", escape(record.languages[0]) if record.languages else None, False),
        ("pmid", record.pmid, False),
        ("pmcid", escape(record.pmcid or "") or None, False),
        ("note", escape(" ".join(notes(record))) or None, False),
    ]
    return _make(entry_type, key or cite_key(record), fields)


def reference_entry(reference: Reference, key: str | None = None) -> Entry:
    """A reference that is not a PubMed record: ``@misc`` with its citation text as note."""
    fields: list[tuple[str, str | None, bool]] = [
        ("note", escape(reference.citation) or None, False),
        ("doi", _verbatim(reference.doi) if reference.doi else None, False),
        ("pmid", reference.pmid, False),
        ("pmcid", escape(reference.pmcid or "") or None, False),
    ]
    return _make("misc", key or reference_key(reference), fields)


def _make(entry_type: str, key: str, fields: list[tuple[str, str | None, bool]]) -> Entry:
    return Entry(
        entry_type,
        key,
        [
            Field(name, value, enclosing="no-enclosing" if macro else None)
            for name, value, macro in fields
            if value
        ],
    )


def render(records: Sequence[Item], *, style: str | None = None) -> str:
    """All records (and references) as one .bib file, keys unique within it."""
    library = Library()
    for record, key in zip(records, cite_keys(records), strict=True):
        library.add(
            entry(record, key) if isinstance(record, Record) else reference_entry(record, key)
        )
    bib_format = BibtexFormat()  # type: ignore[no-untyped-call]
    bib_format.indent = "  "
    bib_format.block_separator = "\n"
    text: str = write_string(library, bibtex_format=bib_format)
    return text if text.endswith("\n") or not text else text + "\n"
