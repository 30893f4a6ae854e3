"""The article's text as a virtual list of blocks, read like a pager, stepped by citation.

The keys move through it like a pager (:mod:`tui.widgets.fulltext_pager`), a line at a
time through a block taller than the screen.  The cursor block is the reading position;
one citation in it can be *current* (``]`` / ``[`` step through them in reading order),
drawn apart so the eye finds it.  Only blocks on screen are built
(:class:`tui.widgets.vlist.VirtualList`), so 1,000 paragraphs cost what 30 do.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from textual.binding import BindingType
from textual.content import Content
from textual.geometry import Region, Spacing
from textual.strip import Strip
from textual.visual import VisualType

from tui.data.fulltext_model import Block, Cite, FullText
from tui.keys import bindings
from tui.widgets.fulltext_blocks import BLOCK_CLASSES, block_content, block_haystack
from tui.widgets.fulltext_lines import Contents, draw_ahead
from tui.widgets.fulltext_pager import PagerKeys
from tui.widgets.vlist import CURSOR, HOVER
from tui.widgets.vlist_entries import DISABLED, ENTRY

MeasureKey = tuple[int, Spacing]
"""The width and padding a list's heights are measured at."""


def reading_order(block: Block) -> list[int]:
    """Indexes into ``block.all_cites()`` in reading order: the text's citations by
    place, then those in the table's cells, row by row."""
    text = sorted(range(len(block.cites)), key=lambda i: block.cites[i].start)
    return text + [len(block.cites) + k for k in range(len(block.cell_cites))]


class Place(NamedTuple):
    """A reading position: the cursor block, its first line on screen, the current cite."""

    block: int
    row: int
    cite: int | None


class FullTextList(PagerKeys):
    """The blocks of one full text; ``place`` and ``cite`` say where the reader is."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("scroll")]
    COMPONENT_CLASSES: ClassVar[set[str]] = {ENTRY, CURSOR, HOVER, DISABLED, *BLOCK_CLASSES}
    SAMPLE: ClassVar[int] = 8  # the rest arrive measured (install_heights)

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id, placeholder=placeholder)
        self.full: FullText | None = None
        self.cite: int | None = None
        """Index into the cursor block's ``all_cites()`` of the current citation."""
        self.needle = ""
        self.contents: Contents = []
        """Each block's plain content, built once (ahead, in a thread, when given)."""
        self._places: list[tuple[int, int]] = []  # (block, rank in reading order)
        self._cite_at: dict[tuple[int, int], int] = {}  # (block, rank) -> cite index
        self._rank_of: dict[tuple[int, int], int] = {}  # (block, cite index) -> rank
        self._drawn: int | None = None  # the block built with its current citation marked
        self._haystacks: list[str] | None = None
        self._ahead_pending = False

    # ---- what is shown

    def show_text(self, full: FullText | None, contents: Contents | None = None) -> None:
        """Show ``full`` from its start (None: the placeholder alone); ``contents`` are
        its blocks built ahead (:func:`tui.widgets.fulltext_lines.prepare`)."""
        self.full = full
        self.cite = None
        self.needle = ""
        self._drawn = None
        self._haystacks = None
        self._places, self._cite_at, self._rank_of = [], {}, {}
        if full is None:
            self.contents = []
            self.set_entries([], self._build, keep=False)
            return
        count = len(full.blocks)
        self.contents = list(contents) if contents is not None and len(contents) == count else []
        self.contents = self.contents or [None] * count
        for index, block in enumerate(full.blocks):
            for rank, cite in enumerate(reading_order(block)):
                self._places.append((index, rank))
                self._cite_at[index, rank] = cite
                self._rank_of[index, cite] = rank
        self.set_entries([str(i) for i in range(count)], self._build, keep=False)

    def _build(self, position: int, marked: bool) -> VisualType:
        assert self.full is not None
        current = self.cite if position == self.highlighted else None
        if current is None and not self.needle:
            content = self.contents[position]
            if content is None:
                content = self.contents[position] = block_content(self.full.blocks[position])
            return content
        return block_content(self.full.blocks[position], current, self.needle)

    # ---- heights measured ahead

    @property
    def measure_key(self) -> MeasureKey | None:
        """The width and padding blocks are measured at now (None: not laid out yet)."""
        view = self._view
        return view.key if view.sized else None

    def install(
        self, key: MeasureKey, contents: Sequence[Content | None], heights: list[int]
    ) -> bool:
        """Take every block's content and height, measured at ``key`` in a thread: the
        total is exact from now on, so scrolling never lays the screen out again.
        False (nothing changed) when the list was resized or refilled meanwhile."""
        view = self._view
        count = len(self.entries)
        if view.key != key or not len(heights) == len(contents) == len(self.contents) == count:
            return False
        for index, content in enumerate(contents):
            if self.contents[index] is None:
                self.contents[index] = content
        pad = key[1]
        with view.kept():
            for index, height in enumerate(heights):
                view.heights.set(index, height + pad.height)
        self.refresh()
        return True

    def _show_current(self) -> None:
        """Build again the blocks whose current citation changed; everything else keeps
        the lines it was drawn with (the cursor's colour is a style, not a rebuild)."""
        wanted = self.highlighted if self.cite is not None else None
        changed = {self._drawn, wanted} - {None}
        self._drawn = wanted
        if changed:
            self.redraw(*changed)
        else:
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if not self._ahead_pending:
            self._ahead_pending = True
            self.call_after_refresh(self._draw_ahead)
        return lines

    def _draw_ahead(self) -> None:
        self._ahead_pending = False
        draw_ahead(self)

    def redraw(self, *blocks: int | None) -> None:
        """Build these blocks again (their current citation or marks changed)."""
        self.refresh_entries(b for b in blocks if b is not None)

    @property
    def current_cite(self) -> Cite | None:
        """The citation under the cursor, if one is current."""
        block, full = self.highlighted, self.full
        if full is None or block is None or self.cite is None:
            return None
        cites = full.blocks[block].all_cites()
        return cites[self.cite] if self.cite < len(cites) else None

    # ---- places

    @property
    def place(self) -> Place | None:
        """Where the reader is, to come back to it later (``b``)."""
        block = self.highlighted
        if block is None:
            return None
        return Place(block, self.heights.top(block) - self.scroll_offset.y, self.cite)

    def go(self, block: int, *, cite: int | None = None, row: int | None = None) -> None:
        """Put the cursor on ``block`` (its citation ``cite`` current), ``row`` lines from
        the top of the view (None: wherever shows it)."""
        if self.full is None or not 0 <= block < len(self.full.blocks):
            return
        self.cite = cite
        self.highlighted = block
        if row is not None:
            self._view.scroll_to(max(0, self.heights.top(block) - row))
            self._view.settle()
        else:
            self.show_cite_line(block)
        if self._drawn == block and cite is not None:
            self._drawn = None  # another citation of the same block: built once below
        self._show_current()

    def show_cite_line(self, block: int | None = None) -> None:
        """Scroll so the current citation's line of a tall block is on screen."""
        block = self.highlighted if block is None else block
        if block is None:
            return
        self.scroll_to_index(block)
        cite, full = self.current_cite, self.full
        if cite is None or full is None:
            return
        found = full.blocks[block]
        width = max(20, self.scrollable_content_region.width - 2)
        height = self.heights.height(block)
        if self.cite is not None and self.cite >= len(found.cites):
            # A table cell's citation: its row, counted up from the table's end.
            row = found.cell_cites[self.cite - len(found.cites)][0]
            below = len(found.rows) - row + (1 if found.url else 0)
            offset = max(0, height - below)
        else:
            offset = len(found.text[: cite.start]) // width
        line = self.heights.top(block) + min(height - 1, offset)
        top, page = self.scroll_offset.y, self._view.page
        if not top <= line < top + page:
            self._view.scroll_to(max(0, line - page // 3))
            self._view.settle()

    def step_cite(self, direction: int) -> bool:
        """Make the next (1) or previous (-1) citation current; False when there is none."""
        full, block = self.full, self.highlighted
        if full is None or block is None or not self._places:
            return False
        here = (block, -1) if self.cite is None else (block, self._rank_of[block, self.cite])
        if direction > 0:
            at = bisect.bisect_right(self._places, here)
        else:
            at = bisect.bisect_left(self._places, here) - 1
            if self.cite is None and block > 0:
                at = bisect.bisect_left(self._places, (block, -1)) - 1
        if not 0 <= at < len(self._places):
            return False
        target, rank = self._places[at]
        self.go(target, cite=self._cite_at[target, rank])
        return True

    def find(self, needle: str, direction: int = 1, *, here: bool = False) -> bool:
        """Move to the next block (from the cursor) holding ``needle``; mark the matches."""
        full = self.full
        if full is None or not needle:
            return False
        if self._haystacks is None:
            self._haystacks = [block_haystack(b) for b in full.blocks]
        folded = needle.casefold()
        count = len(full.blocks)
        start = self.highlighted or 0
        first = 0 if here else 1
        for step in range(first, count + first):
            index = (start + direction * step) % count
            if folded in self._haystacks[index]:
                old_needle, self.needle = self.needle, needle
                changed = [i for i, hay in enumerate(self._haystacks) if folded in hay]
                if old_needle != needle:
                    self.redraw(*changed)
                self.cite = None
                self.go(index, row=1)
                return True
        return False
