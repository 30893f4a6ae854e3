"""How the reader names a comment or correction, and the message that opens one.

The notice banner and the Details view both list ``Correction`` links; they word them the
same way as the printed formats ("Erratum in: …") and ask the screen to open the linked
record with one message, so the screen needs a single handler for both.
"""

from __future__ import annotations

import re

from textual.message import Message

from tui.data.formats.fields import CORRECTION_WORDS
from tui.data.model import Correction
from tui.widgets.badges import clean

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

# What a banner says first for each notice type, before naming the notice itself.
NOTICE_LEADS: dict[str, str] = {
    "RetractionIn": "Retracted",
    "PartialRetractionIn": "Partly retracted",
    "ExpressionOfConcernIn": "Expression of concern",
    "ErratumIn": "Corrected",
}


def correction_words(kind: str) -> str:
    """PubMed's RefType as words: "ErratumIn" -> "Erratum in"; unknown types split too."""
    known = CORRECTION_WORDS.get(kind)
    if known:
        return known
    return _CAMEL.sub(" ", clean(kind)).capitalize() or "Linked"


def correction_text(correction: Correction) -> str:
    """ "Comment in: Antimicrob Agents Chemother. 2022 … · PMID 36094308"."""
    text = f"{correction_words(correction.type)}: {clean(correction.source) or '(no source)'}"
    pmid = clean(correction.pmid)
    return f"{text} · PMID {pmid}" if pmid else text


class PmidChosen(Message):
    """The reader asked to open a linked record (a notice, comment or update) by PMID."""

    def __init__(self, pmid: str, correction: Correction | None = None) -> None:
        super().__init__()
        self.pmid = pmid
        self.correction = correction


class UrlChosen(Message):
    """The reader asked to open an address (an author's ORCID page) in the browser."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
