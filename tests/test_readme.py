"""The README stays true: its keys table is the one generated from tui/keys.py."""

from __future__ import annotations

from pathlib import Path

from tui.keys import KEYS, markdown_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_keys_table_matches_the_bindings() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- keys:start -->\n") + len("<!-- keys:start -->\n")
    end = text.index("<!-- keys:end -->")
    assert text[start:end] == markdown_table(), "regenerate with: python -m tui.keys"


def test_every_binding_has_an_id_and_a_description() -> None:
    ids = [k.id for k in KEYS]
    assert len(ids) == len(set(ids))
    assert all(k.description and k.help for k in KEYS)


def test_readme_commands_match_ci() -> None:
    ci = (README.parent / ".ci" / "run").read_text()
    assert 'pip install -e ".[test]"' in ci and "\npytest\n" in ci
    assert 'pip install -e ".[test]" && pytest' in README.read_text()
