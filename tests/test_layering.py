"""The data layer and the print path stay free of Textual, proven in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

DATA_MODULES = [
    "tui.data.ids",
    "tui.data.model",
    "tui.data.errors",
    "tui.data.settings",
    "tui.data.parse",
    "tui.data.text",
    "tui.data.cache",
    "tui.data.eutils",
    "tui.data.service",
    "tui.data.formats.text",
    "tui.data.formats.json_lines",
    "tui.cli",
    "tui.demo",
]


@pytest.mark.parametrize("module", DATA_MODULES)
def test_module_imports_no_textual(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'})\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
