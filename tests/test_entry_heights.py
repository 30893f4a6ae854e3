"""List entries measure their height without wrapping twice: the figures must stay exact.

A wrong height would cut an entry short or leave blank lines in the references list, so
the fast measure is checked against Textual's own wrapping on every recorded reference.
"""

from __future__ import annotations

import re
from typing import cast

import pytest
from textual.content import Content
from textual.css.styles import RulesMap

from tests.server import FIXTURES
from tui.data.parse import parse_pubmed
from tui.widgets.entries import reference_prompt
from tui.widgets.hanging import MATCH_STYLE, HangingIndent

WIDTHS = (1, 2, 3, 7, 20, 33, 54, 69, 71, 100, 158)
RULES = tuple(
    cast(RulesMap, rules)
    for rules in (
        {},
        {"text_overflow": "ellipsis"},
        {"text_overflow": "clip"},
        {"text_wrap": "nowrap"},
    )
)
NO_RULES = cast(RulesMap, {})


def _prompts() -> list[HangingIndent]:
    record = parse_pubmed((FIXTURES / "pubmed" / "32051057.xml").read_bytes())[0]
    width = len(str(len(record.references)))
    return [reference_prompt(i + 1, width, ref) for i, ref in enumerate(record.references)]


@pytest.mark.parametrize("rules", RULES)
def test_heights_match_textual_wrapping(rules: RulesMap) -> None:
    prompts = _prompts()
    assert len(prompts) == 597
    for prompt in prompts:
        for width in WIDTHS:
            expected = max(1, prompt.body.get_height(rules, max(1, width - prompt.indent)))
            assert prompt.get_height(rules, width) == expected, (str(prompt), width, rules)


def test_text_with_line_breaks_is_measured_by_textual() -> None:
    body = Content("first line\nsecond line that wraps")
    entry = HangingIndent(Content("1."), body)
    assert entry.get_height(NO_RULES, 14) == body.get_height(NO_RULES, 11) == 3


def test_a_marked_copy_shares_heights_and_marks_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    prompt = _prompts()[0]
    height = prompt.get_height(NO_RULES, 40)
    marked = prompt.marking(re.compile(re.escape(str(prompt).split()[1]), re.IGNORECASE))

    def no_wrapping(*args: object) -> int:
        raise AssertionError("a marked copy wrapped its text again")

    monkeypatch.setattr(Content, "get_height", no_wrapping)
    assert marked.get_height(NO_RULES, 40) == height
    assert str(marked) == str(prompt)
    assert any(span.style == MATCH_STYLE for span in marked.body.spans)
    assert not any(span.style == MATCH_STYLE for span in prompt.body.spans)
