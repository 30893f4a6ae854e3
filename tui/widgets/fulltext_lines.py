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
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from tui.data.fulltext_model import FullText
from tui.widgets.fulltext_blocks import block_content
from tui.widgets.vlist import CURSOR, VirtualList
from tui.widgets.vlist_entries import ENTRY, draw
from tui.widgets.vlist_heights import HeightMap

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


def draw_ahead(listing: VirtualList) -> None:
    """Draw the page below the view and the page above it, and the blocks a key puts
    the cursor on in the cursor's colours, before they are needed: ``j``, ``pgdn`` and
    ``pgup`` then show lines already drawn (each block's lines are kept per look)."""
    entries, heights = listing.entries, listing.heights
    if not entries or not heights.count:
        return
    width = listing.scrollable_content_region.width
    top = listing.scroll_offset.y
    page = max(1, listing.scrollable_content_region.height)
    plain = listing.get_visual_style(ENTRY)
    cursor = listing.get_visual_style(ENTRY, CURSOR)
    below = heights.locate(top + page)[0]
    wanted = [(index, plain) for index in _blocks(heights, top + page, top + 2 * page)]
    if top > 0:
        wanted += [(index, plain) for index in _blocks(heights, top - page, top - 1)]
    current = listing.highlighted
    if current is not None:
        wanted += [(current + 1, cursor), (current - 1, cursor), (current, plain)]
    step = max(1, page - 1)  # where pgdn and pgup put the cursor
    wanted += [(heights.locate(top + step)[0], cursor), (below, cursor)]
    wanted += [(heights.locate(top - step)[0], cursor)]
    for index, style in wanted:
        if 0 <= index < len(entries):

            def render(visual: Visual, index: int = index, style: Style = style) -> list[Strip]:
                return draw(listing, visual, style, width, index)

            entries.strips(listing, index, listing.strip_key(style, width), render)


def _blocks(heights: HeightMap, first: int, last: int) -> range:
    """The blocks holding lines ``first`` to ``last`` (clamped to the list)."""
    return range(heights.locate(first)[0], heights.locate(last)[0] + 1)
