"""An efetch batch that does not parse as a whole, read article by article.

One byte that is not UTF-8 (or any other flaw) in one article of a 200-record answer
makes the whole document invalid XML, and without this every record of the batch would
fail for one.  The articles of a PubmedArticleSet are siblings that never nest, so the
answer can be cut at their tags and each piece read on its own: the good ones are kept
and the bad ones are named.
"""

from __future__ import annotations

import re

from tui.data.errors import ParseError
from tui.data.parse import split_pubmed

_ARTICLE = re.compile(rb"<(PubmedArticle|PubmedBookArticle)>.*?</\1>", re.DOTALL)
_PMID = re.compile(rb"<PMID[^>]*>\s*(\d+)\s*</PMID>")
_SET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>'
_SET_TAIL = b"</PubmedArticleSet>\n"


def split_each(xml: bytes) -> tuple[dict[str, bytes], dict[str, ParseError]]:
    """PMID -> one-article set (as :func:`split_pubmed`), and PMID -> why it is unreadable.

    The whole answer is tried first; only when it fails are its articles read one by
    one.  Raises the whole answer's ParseError when no article can be told apart in it
    (an answer that is not an article set at all).
    """
    try:
        return split_pubmed(xml), {}
    except ParseError as whole:
        failure = whole
    pieces = [m.group(0) for m in _ARTICLE.finditer(xml)]
    if not pieces:
        raise failure
    parts: dict[str, bytes] = {}
    broken: dict[str, ParseError] = {}
    for piece in pieces:
        found = _PMID.search(piece)
        try:
            parts.update(split_pubmed(_SET_HEAD + piece + _SET_TAIL))
        except ParseError as exc:
            if found is None:
                continue  # an article without a PMID answers nobody's request
            pmid = found.group(1).decode()
            broken.setdefault(
                pmid, ParseError(f"PubMed's copy of PMID {pmid} is unreadable: {exc}")
            )
    return parts, broken
