"""A full text's blocks built and measured ahead, off the event loop.

A 1,000-paragraph review is too long to build on the event loop when its pane opens,
and a list that only guesses the heights of blocks not yet seen changes its total at
every page, which makes Textual lay out the whole screen again.  So the blocks are
built once in a worker thread (Content is immutable, and a Content measured there keeps
its height for the list), the first screen shows as soon as its blocks exist, and the
heights of every block arrive in one piece once measured: after that a page down only
draws the lines newly in view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.content import Content

from tui.data.fulltext_model import FullText
from tui.widgets.fulltext_blocks import block_content

Contents = list[Content | None]
"""Each block's plain content (no current citation, no search marks), None until built."""


def prepare(full: FullText) -> Contents:
    """Every block of ``full`` built (call it in a thread for a long text)."""
    return [block_content(block) for block in full.blocks]


def measure(
    full: FullText, contents: Sequence[Content | None], rules: Mapping[str, Any], width: int
) -> tuple[list[Content], list[int]]:
    """Every block built (the ones not built yet) and its line count at ``width``,
    wrapped by ``rules`` (the list's own text-wrap rules, copied)."""
    built = [
        content if content is not None else block_content(block)
        for content, block in zip(contents, full.blocks, strict=True)
    ]
    wrap: Any = rules
    return built, [content.get_height(wrap, max(1, width)) for content in built]
