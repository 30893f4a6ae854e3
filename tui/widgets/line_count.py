"""How many lines word wrapping makes of one line of text, without making the lines.

A reader's first paint measures every entry of its reference list, so the height of an
entry is counted here rather than by wrapping it.  The count follows the rule Textual's
``Content`` wraps by (Rich's word wrap): a word that does not fit the rest of a line
starts the next one; a word wider than a whole line is folded across lines (or, without
folding, left to overflow).  ``tests/test_entry_heights.py`` holds it to Textual's own
wrapping on every recorded reference, at widths from 1 to 158 cells.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells

_WORD = re.compile(r"\s*\S+\s*")
"""A word with the spaces around it, as the wrap cuts text."""


def wrapped_lines(text: str, width: int, *, fold: bool = True) -> int:
    """Lines that ``text`` (one line, no tabs) takes at ``width`` cells, word-wrapped."""
    breaks = 0
    offset = 0
    for match in _WORD.finditer(text):
        start = match.start()
        word = match.group()
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:
            if fold:
                pieces = chop_cells(word, width=width)
                # Each piece starts a line, except where nothing came before it (the
                # text's start, or an empty piece of a character wider than the line).
                for piece in pieces[:-1]:
                    breaks += 1 if start else 0
                    start += len(piece)
                breaks += 1 if start else 0
                offset = cell_len(pieces[-1])
            else:
                breaks += 1 if start else 0
                offset = cell_len(word)
        elif offset and start:
            breaks += 1
            offset = cell_len(word)
    return breaks + 1
