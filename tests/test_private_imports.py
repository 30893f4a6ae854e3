"""pubterm leans on Rich and Textual only through their public modules.

A private module (``rich._wrap``, ``textual.widgets._option_list``) may change or vanish
in any release; the test walks every module under ``tui/`` and fails on such an import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.content import Content
from textual.css.styles import RulesMap

from tui.widgets.line_count import wrapped_lines

TUI = Path(__file__).resolve().parent.parent / "tui"
GUARDED = ("rich", "textual")


def private_imports(source: str) -> list[str]:
    """The private Rich or Textual modules (or names) that ``source`` imports."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] in GUARDED and any(p.startswith("_") for p in parts[1:]):
                found.append(module)
    return found


def test_the_check_sees_each_way_of_importing_a_private_module() -> None:
    source = (
        "from rich._wrap import divide_line\n"
        "import textual._xterm_parser\n"
        "from textual.widgets import _option_list\n"
        "from textual.widgets import OptionList\n"
        "from tui.data.parse import _load\n"
    )
    assert private_imports(source) == [
        "rich._wrap.divide_line",
        "textual._xterm_parser",
        "textual.widgets._option_list",
    ]


def test_no_module_under_tui_imports_a_private_rich_or_textual_module() -> None:
    offenders = {
        str(path.relative_to(TUI.parent)): found
        for path in sorted(TUI.rglob("*.py"))
        if (found := private_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


NO_RULES = RulesMap()


@pytest.mark.parametrize(
    "text",
    [
        "a b c",
        "word " * 40,
        "supercalifragilisticexpialidocious and then some more words",
        "  leading spaces then words",
        "東京大学の研究者による抗菌薬耐性の総説 and English after it",
        "https://doi.org/10.1128/aac.00216-22/a-very-long-unbroken-link-to-fold",
        "x",
    ],
)
@pytest.mark.parametrize("width", [1, 2, 3, 5, 8, 13, 40])
def test_counted_lines_match_textual_wrapping(text: str, width: int) -> None:
    assert wrapped_lines(text, width) == Content(text).get_height(NO_RULES, width)
