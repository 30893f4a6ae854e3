"""``y`` and ``o`` on a figure's or a table's line: its caption and its link.

Everywhere else in the reader those keys copy and open the record's DOI; in the Full text
pane they act on the block under the cursor when it is a figure, a table or a
supplement, and fall back to the DOI on any other line.  What a key means then depends
on the line, not on the pane: a rule of its own, apart from moving through the text.
"""

from __future__ import annotations

from textual.containers import Vertical

from tui.clipboard import copy_text
from tui.data.fulltext_model import FIGURE, SUPPLEMENT, TABLE, Block, FullText
from tui.data.text import clean_text
from tui.widgets.corrections import UrlChosen
from tui.widgets.fulltext_view import FullTextList

FIGURE_KINDS = (FIGURE, TABLE, SUPPLEMENT)


class FigureActions(Vertical):
    """Copy or open the figure (or table) under the Full text cursor."""

    full: FullText | None
    """The text shown (the pane's)."""

    @property
    def text_list(self) -> FullTextList:
        """The list of the text's blocks (the pane's)."""
        raise NotImplementedError

    def _figure(self) -> Block | None:
        full, block = self.full, self.text_list.highlighted
        if full is None or block is None or not self.text_list.has_focus:
            return None
        found = full.blocks[block]
        return found if found.kind in FIGURE_KINDS else None

    async def action_copy_figure(self) -> None:
        block = self._figure()
        if block is None:
            await self.screen.run_action("copy_doi")  # what y does everywhere else
            return
        parts = [" ".join(filter(None, (block.label, block.text)))]
        if block.url:
            parts.append(block.url)
        copy_text(self.app, clean_text("\n".join(parts)))
        self.notify(
            f"Copied {block.label or 'the caption'}" + (" and its link" if block.url else ""),
            markup=False,
        )

    async def action_open_figure(self) -> None:
        block = self._figure()
        if block is None:
            await self.screen.run_action("open_doi")  # what o does everywhere else
            return
        if not block.url:
            self.notify(
                f"{block.label or 'This figure'} has no link to open",
                severity="warning",
                markup=False,
            )
            return
        self.post_message(UrlChosen(block.url))
