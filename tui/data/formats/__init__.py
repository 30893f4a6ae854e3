"""Output formats, declared once in :data:`OUTPUT_FORMATS` and imported only when used.

A format is one entry here plus its module: the command line's ``--format`` choices,
the reader's citation chooser, export file names and the "Copied 3 BibTeX entries"
notices all read this table.  Every format module exposes
``render(items, *, style=None) -> str``: the whole output for the given records (and
references known only by their citation text), ending in a newline.  Importing lazily
keeps the print path fast: ``--format json`` never pays for citeproc or bibtexparser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Protocol

from tui.data.model import Record, Reference


class Renderer(Protocol):
    def __call__(
        self, records: Sequence[Record | Reference], *, style: str | None = None
    ) -> str: ...


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """One output format: how it is named, shown, saved and written."""

    name: str  # what --format takes and the config file remembers
    label: str  # what the chooser shows
    extension: str  # an exported file's suffix
    noun: tuple[str, str]  # one entry, several: "BibTeX entry", "BibTeX entries"
    module: str  # the module under tui.data.formats whose ``render`` writes it
    citation: bool = True  # offered by the reader's cite/export chooser

    def writer(self) -> Renderer:
        """The format's ``render`` function (its module is imported on first use)."""
        render: Renderer = import_module(f"tui.data.formats.{self.module}").render
        return render


OUTPUT_FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat("text", "Plain text", ".txt", ("record", "records"), "text", citation=False),
    OutputFormat(
        "json", "JSON Lines", ".jsonl", ("record", "records"), "json_lines", citation=False
    ),
    OutputFormat("cite", "Formatted citation", ".txt", ("citation", "citations"), "cite"),
    OutputFormat("bibtex", "BibTeX", ".bib", ("BibTeX entry", "BibTeX entries"), "bibtex"),
    OutputFormat("ris", "RIS", ".ris", ("RIS record", "RIS records"), "ris"),
    # .nbib is what PubMed's own "Citation manager" download is called.
    OutputFormat("medline", "MEDLINE", ".nbib", ("MEDLINE record", "MEDLINE records"), "medline"),
    OutputFormat("csl-json", "CSL-JSON", ".json", ("CSL-JSON item", "CSL-JSON items"), "csl_json"),
    # The open-access full text when there is one (the command line fetches it first).
    OutputFormat(
        "markdown", "Markdown", ".md", ("document", "documents"), "markdown", citation=False
    ),
)
BY_NAME: dict[str, OutputFormat] = {f.name: f for f in OUTPUT_FORMATS}
# Format name -> module under tui.data.formats (the older spelling of the table).
FORMATS: dict[str, str] = {f.name: f.module for f in OUTPUT_FORMATS}


def get_renderer(name: str) -> Renderer:
    """The ``render`` function of the named format; KeyError for an unknown name."""
    return BY_NAME[name].writer()
