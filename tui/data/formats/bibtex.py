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
    citation_title,
    cite_key,
    cite_keys,
    date_parts,
    page_text,
)
from tui.data.model import Author, Record

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
    return f"{last}, {given}" if last and given else last or given


def entry(record: Record, key: str | None = None) -> Entry:
    """The bibtexparser entry for one record (``key`` defaults to its stable cite key)."""
    journal = record.journal
    is_book = record.book
    if is_book:
        entry_type = "incollection" if journal.title and journal.title != record.title else "book"
    else:
        entry_type = "article"
    parts = date_parts(record)
    fields: list[tuple[str, str | None, bool]] = [
        ("author", " and ".join(_name(a) for a in record.authors) or None, False),
        ("title", _title(citation_title(record.title)), False),
        ("booktitle" if is_book else "journal", escape(journal.title or "") or None, False),
        ("year", str(parts[0]) if parts else None, False),
        ("month", _MONTH_MACROS[parts[1] - 1] if len(parts) > 1 else None, True),
        ("volume", escape(journal.volume or "") or None, False),
        ("number", escape(journal.issue or "") or None, False),
        ("pages", escape(page_text(journal.pages, "--") or "") or None, False),
        ("doi", _verbatim(record.doi) if record.doi else None, False),
        ("issn", escape(journal.issn or "") or None, False),
        ("pmid", record.pmid, False),
        ("pmcid", escape(record.pmcid or "") or None, False),
    ]
    if entry_type == "book":
        fields = [f for f in fields if f[0] != "booktitle"]
    return Entry(
        entry_type,
        key or cite_key(record),
        [
            Field(name, value, enclosing="no-enclosing" if macro else None)
            for name, value, macro in fields
            if value
        ],
    )


def render(records: Sequence[Record], *, style: str | None = None) -> str:
    """All records as one .bib file, keys unique within it."""
    library = Library()
    for record, key in zip(records, cite_keys(records), strict=True):
        library.add(entry(record, key))
    bib_format = BibtexFormat()  # type: ignore[no-untyped-call]
    bib_format.indent = "  "
    bib_format.block_separator = "\n"
    text: str = write_string(library, bibtex_format=bib_format)
    return text if text.endswith("\n") or not text else text + "\n"
