"""Output formats, one module each, looked up by name and imported only when used.

Every format module exposes ``render(records, *, style=None) -> str``: the whole output
for the given records, ending in a newline.  Importing lazily keeps the print path fast:
``--format json`` never pays for citeproc or bibtexparser.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import Protocol

from tui.data.model import Record

# Format name -> module under tui.data.formats.
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_lines",
    "bibtex": "bibtex",
    "ris": "ris",
    "medline": "medline",
    "csl-json": "csl_json",
    "cite": "cite",
    "markdown": "markdown",
}


class Renderer(Protocol):
    def __call__(self, records: Sequence[Record], *, style: str | None = None) -> str: ...


def get_renderer(name: str) -> Renderer:
    """The ``render`` function of the named format; KeyError for an unknown name."""
    module = import_module(f"tui.data.formats.{FORMATS[name]}")
    render: Renderer = module.render
    return render
