"""A list entry whose wrapped lines hang under the text, not under the entry's number.

Reference lists read like a bibliography only when the numbers keep their own column;
the references pane and the cited-by / similar panes share this layout.
"""

from __future__ import annotations

import re

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

MATCH_STYLE = ".references--match"


class HangingIndent(Visual):
    """A label, then text whose wrapped lines start under the text, not under the label.

    Reference numbers stay in their own column, so a long list reads like a bibliography.
    """

    def __init__(self, label: Content, body: Content) -> None:
        self.label = label
        self.body = body
        self.indent = label.cell_length + 1

    def __str__(self) -> str:
        return f"{self.label.plain} {self.body.plain}"

    def marking(self, pattern: re.Pattern[str]) -> HangingIndent:
        """The same entry with every match of ``pattern`` in the text marked."""
        return HangingIndent(self.label, self.body.highlight_regex(pattern, style=MATCH_STYLE))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.body.get_optimal_width(rules, container_width - self.indent)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.indent + 1

    def get_height(self, rules: RulesMap, width: int) -> int:
        return max(1, self.body.get_height(rules, max(1, width - self.indent)))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        body_width = width - self.indent
        if body_width < 1:  # too narrow for a hanging indent: just wrap everything
            whole = Content.assemble(self.label, " ", self.body)
            return whole.render_strips(width, height, style, options)
        label = self.label.extend_right(self.indent - self.label.cell_length)
        gutter = label.render_strips(self.indent, 1, style, options)[0]
        blank = Strip.blank(self.indent, style.rich_style)
        lines = self.body.render_strips(body_width, height, style, options) or [
            Strip.blank(body_width, style.rich_style)
        ]
        return [
            Strip.join([gutter if y == 0 else blank, line]) for y, line in enumerate(lines)
        ]
