"""Make record text safe to put on a terminal, whatever the service sent.

Titles, abstracts and citations come from thousands of publishers; some carry stray
control characters, and a hostile record could carry terminal escape sequences or bidi
overrides that rewrite what the reader sees.  Every string the parser produces passes
through :func:`clean_text`, and the plain-text printer passes it through again, so no
layer has to trust the one before it.
"""

from __future__ import annotations

import re

# Escape sequences, removed whole (introducer, parameters and payload):
#   CSI  ESC [ params intermediates final      (and the 8-bit form U+009B)
#   OSC  ESC ] ... BEL | ST                     (and U+009D)
#   DCS/SOS/PM/APC  ESC P|X|^|_ ... ST          (and U+0090, U+0098, U+009E, U+009F)
#   other ESC sequences: ESC intermediates* final
# An unterminated string sequence swallows the rest of the text, as a terminal would.
_ST = r"(?:\x1b\\|\x9c)"
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    rf"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|{_ST})?"
    rf"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*{_ST}?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]",
    re.DOTALL,
)
_ESCAPE_STARTS = frozenset("\x1b\x9b\x9d\x90\x98\x9e\x9f")

# Characters that become a space (then collapse) and characters that vanish.
_AS_SPACE = "\t\n\v\f\r\x85\u2028\u2029"
_DROPPED = (
    [chr(c) for c in range(0x00, 0x20) if chr(c) not in _AS_SPACE]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0) if chr(c) not in _AS_SPACE]
    # bidi embeddings, overrides, isolates and marks
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
    # zero-width and invisible characters; not the joiners ZWNJ and ZWJ (U+200C, U+200D),
    # which Persian, Indic scripts and emoji sequences need and which hide nothing
    + ["\u200b", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064"]
    + ["\ufeff", "\u180e"]
)
_TABLE: dict[int, str | None] = {ord(c): None for c in _DROPPED}
_TABLE.update({ord(c): " " for c in _AS_SPACE})
# One scan in C for the rare text that needs more than collapsing its spaces: every escape
# introducer is also a dropped character, and every _AS_SPACE character is one that
# str.split() splits on anyway.
_NEEDS_TABLE = re.compile("[" + "".join(re.escape(c) for c in _DROPPED) + "]")


def clean_text(s: str) -> str:
    """The text with escapes, controls and invisible characters gone, spaces collapsed.

    Record text is data, never instructions to the terminal; collapsing whitespace also
    undoes the indentation of pretty-printed XML.  Letters of every script are kept, and
    so are the zero-width joiners their spelling needs.
    """
    if not s:
        return ""
    if s.isprintable():
        # No control, invisible or bidi character and no space but " " (every character
        # the table drops or turns into a space is unprintable): most record text, left
        # as it is when its spaces are single already.
        if "  " in s or s[0] == " " or s[-1] == " ":
            return " ".join(s.split())
        return str(s)  # the same object for a str; never a subclass tied to a tree
    if _NEEDS_TABLE.search(s) is not None:
        if not _ESCAPE_STARTS.isdisjoint(s):
            s = _ESCAPES.sub("", s)
        s = s.translate(_TABLE)
    # str.split() splits on every Unicode space (NBSP, thin and ideographic spaces too).
    return " ".join(s.split())


def clean_or_none(s: str | None) -> str | None:
    """Like :func:`clean_text`, but None when nothing readable is left.

    Optional record fields are null in the JSON shape rather than empty strings.
    """
    if s is None:
        return None
    return clean_text(s) or None


def clean_run(raw: str) -> tuple[str, str, str]:
    """A run of text between two inline pieces (citations), cleaned, with the single
    space it had on either side: (before, cleaned, after).  ``clean_text`` alone trims
    them, and "Guo et al.49 developed" would read "Guo et al.[49]developed"."""
    core = clean_text(raw)
    if not core:
        return (" " if raw[:1].isspace() else ""), "", ""
    return (" " if raw[:1].isspace() else ""), core, (" " if raw[-1:].isspace() else "")
