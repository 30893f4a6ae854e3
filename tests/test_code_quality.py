"""The tree stays lint-clean, formatted and type-checked: a drift shows up as a red test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREES = ["tui", "tests", "benchmarks", "scripts"]


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, cwd=ROOT)


def test_ruff_lint_is_clean() -> None:
    result = _run(_tool("ruff"), "check", "--no-cache", *TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _run(_tool("ruff"), "format", "--check", "--no-cache", *TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = _run(_tool("mypy"), "--no-incremental")
    assert result.returncode == 0, result.stdout + result.stderr
