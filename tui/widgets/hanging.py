"""A list entry whose wrapped lines hang under the text, not under the entry's number.

Reference lists read like a bibliography only when the numbers keep their own column;
the references pane and the cited-by / similar panes share this layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from tui.widgets.line_count import wrapped_lines

MATCH_STYLE = ".references--match"


def _wrapped_height(body: Content, rules: RulesMap, width: int) -> int:
    """``body.get_height(rules, width)``, without building the wrapped lines.

    Content wraps by cutting its plain text into lines and formatting each piece; only
    the number of pieces matters for a height, so a single line of text (an entry never
    holds tabs or line breaks) is counted by ``wrapped_lines`` alone, at about a third
    of the cost.  A reader's first paint measures every entry of the list.
    """
    plain = body.plain
    get_rule = rules.get
    if get_rule("text_wrap", "wrap") == "nowrap" or "\n" in plain or "\t" in plain:
        return body.get_height(rules, width)
    pad = get_rule("line_pad", 0)
    line_pad = pad * 2 if isinstance(pad, int) else 0
    fold = get_rule("text_overflow", "fold") == "fold"
    return wrapped_lines(plain, width - line_pad, fold=fold)


class HangingIndent(Visual):
    """A label, then text whose wrapped lines start under the text, not under the label.

    Reference numbers stay in their own column, so a long list reads like a bibliography.
    """

    def __init__(
        self,
        label: Content,
        body: Content,
        *,
        pattern: re.Pattern[str] | None = None,
        heights: dict[tuple[object, ...], int] | None = None,
        whole: Callable[[], Content] | None = None,
    ) -> None:
        self.label = label
        self.indent = label.cell_length + 1
        self._plain = body
        # Makes the full text when ``body`` is shortened (a long author list cut to
        # "et al."): a filter matching only in the part cut off shows the whole text.
        # Made on demand: a review's first paint builds hundreds of entries.
        self._whole = whole
        self._pattern = pattern
        self._marked: Content | None = None
        # Wrapping ignores styles, so an entry and its marked copies share their heights:
        # a filter keystroke then measures nothing it measured before.
        self._heights: dict[tuple[object, ...], int] = {} if heights is None else heights

    @property
    def body(self) -> Content:
        """The text, with matches marked when this is a marked copy (marked on first use,
        so only the entries a filter actually shows pay for it)."""
        if self._pattern is None:
            return self._plain
        if self._marked is None:
            self._marked = self._plain.highlight_regex(self._pattern, style=MATCH_STYLE)
        return self._marked

    def __str__(self) -> str:
        return f"{self.label.plain} {self._plain.plain}"

    def marking(self, pattern: re.Pattern[str]) -> HangingIndent:
        """The same entry with every match of ``pattern`` in the text marked."""
        whole = self._whole
        if whole is not None and not pattern.search(self._plain.plain):
            full = whole()
            if pattern.search(full.plain):
                return HangingIndent(self.label, full, pattern=pattern)
        return HangingIndent(
            self.label, self._plain, pattern=pattern, heights=self._heights, whole=whole
        )

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self._plain.get_optimal_width(rules, container_width - self.indent)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.indent + 1

    def get_height(self, rules: RulesMap, width: int) -> int:
        get_rule = rules.get
        key = (
            width,
            get_rule("line_pad", 0),
            get_rule("text_overflow", "fold"),
            get_rule("text_wrap", "wrap"),
        )
        height = self._heights.get(key)
        if height is None:
            height = max(1, _wrapped_height(self._plain, rules, max(1, width - self.indent)))
            self._heights[key] = height
        return height

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
        return [Strip.join([gutter if y == 0 else blank, line]) for y, line in enumerate(lines)]
