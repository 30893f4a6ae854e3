"""Tie every in-text citation to a number in the reader's reference list.

The reader shows PubMed's reference list, which need not follow the article's own order
or length, so each JATS ``<ref>`` is matched to PubMed's entries by PMID, then DOI, and
only then by position (and only where the two entries cannot be told apart by their
ids).  When PubMed has no list, the article's own becomes the list.  Each citation's
sentence and section are kept as its context: the answer to "why is this cited here?".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from tui.data.fulltext_model import Block, Cite, Context, FullText, JatsReference
from tui.data.model import Reference

MAX_SENTENCE = 600
LAST_WORD_REACH = 64  # longer than any abbreviation a sentence may end on
SAME_WORDING = 0.6  # share of distinct words two citations of one work have in common
MAX_WORDING_PAIRS = 400_000
_WORD = re.compile(r"\w+")
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[A-Z0-9“\"(\[])")
_LAST_WORD = re.compile(r"(\S+)$")
_ABBREVIATIONS = frozenset(
    [
        "al",
        "e.g",
        "i.e",
        "fig",
        "figs",
        "vs",
        "ca",
        "cf",
        "approx",
        "ref",
        "refs",
        "no",
        "nos",
        "eq",
        "eqs",
        "dr",
        "mr",
        "ms",
        "st",
        "sp",
        "spp",
        "resp",
        "vol",
        "pp",
        "p.o",
        "i.v",
    ]
)


def number_map(jats: Sequence[JatsReference], pubmed: Sequence[Reference]) -> dict[str, int]:
    """JATS ref id -> 1-based number in ``pubmed`` (or in the JATS list if PubMed has none)."""
    if not pubmed:
        return {r.rid: i for i, r in enumerate(jats, 1)}
    by_pmid: dict[str, int] = {}
    by_doi: dict[str, int] = {}
    for n, ref in enumerate(pubmed, 1):
        if ref.pmid:
            by_pmid.setdefault(ref.pmid, n)
        if ref.doi:
            by_doi.setdefault(ref.doi.lower(), n)
    numbers: dict[str, int] = {}
    claimed: set[int] = set()
    for entry in jats:
        ref = entry.reference
        found = (by_pmid.get(ref.pmid) if ref.pmid else None) or (
            by_doi.get(ref.doi.lower()) if ref.doi else None
        )
        if found is not None and found not in claimed:
            numbers[entry.rid] = found
            claimed.add(found)
    # Position is evidence only while the two lists run in step: most id matches sit at
    # the same place in both.  Otherwise the remaining entries are matched by wording.
    in_step = sum(1 for p, e in enumerate(jats, 1) if numbers.get(e.rid) == p)
    if not numbers or in_step >= 0.9 * len(numbers):
        for position, entry in enumerate(jats, 1):
            if entry.rid in numbers or position > len(pubmed) or position in claimed:
                continue
            if _compatible(entry.reference, pubmed[position - 1]):
                numbers[entry.rid] = position
                claimed.add(position)
    _by_wording(jats, pubmed, numbers, claimed)
    return numbers


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if len(w) > 2)


def _by_wording(
    jats: Sequence[JatsReference],
    pubmed: Sequence[Reference],
    numbers: dict[str, int],
    claimed: set[int],
) -> None:
    """Match what is left by the words of the citations (title, journal, year)."""
    left = [e for e in jats if e.rid not in numbers]
    free = [(n, _words(r.citation)) for n, r in enumerate(pubmed, 1) if n not in claimed]
    if not left or not free or len(left) * len(free) > MAX_WORDING_PAIRS:
        return
    for entry in left:
        mine = _words(entry.reference.citation)
        if not mine:
            continue
        # A short citation ("Cancer Statistics—NCI") must match word for word.
        best, score = 0, SAME_WORDING if len(mine) >= 4 else 0.999
        for n, theirs in free:
            if n in claimed or not _compatible(entry.reference, pubmed[n - 1]):
                continue
            overlap = len(mine & theirs) / len(mine | theirs)
            if overlap > score:
                best, score = n, overlap
        if best:
            numbers[entry.rid] = best
            claimed.add(best)


def _compatible(a: Reference, b: Reference) -> bool:
    """Two entries that no id tells apart (position is the only evidence left)."""
    if a.pmid and b.pmid and a.pmid != b.pmid:
        return False
    return not (a.doi and b.doi and a.doi.lower() != b.doi.lower())


def link_citations(full: FullText, pubmed: Sequence[Reference]) -> FullText:
    """The text with every citation numbered, the list it points into, and the contexts."""
    numbers = number_map(full.jats_references, pubmed)
    blocks: list[Block] = []
    contexts: list[Context] = []
    unmatched: dict[str, None] = {}
    for index, block in enumerate(full.blocks):
        if not block.cites and not block.cell_cites:
            blocks.append(block)
            continue
        section = full.sections[block.section].display if block.section >= 0 else ""
        cites = tuple(_numbered(c, numbers, unmatched) for c in block.cites)
        cells = tuple(
            (row, col, _numbered(c, numbers, unmatched)) for row, col, c in block.cell_cites
        )
        bounds = _boundaries(block.text)
        for cite in cites:
            sentence = sentence_around(block.text, cite.start, cite.end, bounds)
            for n in dict.fromkeys(cite.numbers):
                contexts.append(Context(n, section, sentence, index, cite.start, cite.end))
        for row, col, cite in cells:
            text = block.rows[row][col] if row < len(block.rows) else ""
            where = f"{block.label}: {text}" if block.label else text
            for n in dict.fromkeys(cite.numbers):
                contexts.append(Context(n, section, where, index, -1, -1))
        blocks.append(replace(block, cites=cites, cell_cites=cells))
    if pubmed:
        refs, source = tuple(pubmed), "pubmed"
    else:
        refs, source = tuple(r.reference for r in full.jats_references), "jats"
    return replace(
        full,
        blocks=tuple(blocks),
        references=refs,
        references_source=source if refs else "none",
        contexts=tuple(contexts),
        unmatched=tuple(unmatched),
    )


def _numbered(cite: Cite, numbers: dict[str, int], unmatched: dict[str, None]) -> Cite:
    for rid in cite.all_rids:
        if rid not in numbers:
            unmatched[rid] = None
    own = tuple(numbers[r] for r in cite.rids if r in numbers)
    implied = tuple(numbers[r] for r in cite.implied if r in numbers)
    return replace(cite, numbers=own + implied, own_numbers=own)


def _boundaries(text: str) -> list[int]:
    """Offsets where a sentence ends (after its punctuation), abbreviations skipped."""
    ends: list[int] = []
    for match in _BOUNDARY.finditer(text):
        # The word before the stop, looked for just before it: searching from the start
        # of a long paragraph at every stop made a review's contexts cost a second.
        word = _LAST_WORD.search(text, max(0, match.start() - LAST_WORD_REACH), match.start())
        token = word.group(1).lower().lstrip("([") if word else ""
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        ends.append(match.end())
    return ends


def sentence_around(text: str, start: int, end: int, bounds: list[int] | None = None) -> str:
    """The sentence holding ``text[start:end]``, cut to a readable length around it."""
    bounds = _boundaries(text) if bounds is None else bounds
    i = bisect.bisect_right(bounds, start)
    first = bounds[i - 1] if i > 0 else 0
    j = bisect.bisect_left(bounds, max(end, start + 1))
    last = bounds[j] if j < len(bounds) else len(text)
    sentence = text[first:last].strip()
    if len(sentence) <= MAX_SENTENCE:
        return sentence
    left = max(first, start - MAX_SENTENCE // 2)
    right = min(last, left + MAX_SENTENCE)
    return ("…" if left > first else "") + text[left:right].strip() + ("…" if right < last else "")
