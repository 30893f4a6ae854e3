"""A citing sentence in the References pane's list (`w`) and beside the text reads its
citations as the text does: "metallotherapeutics[1],[2]", not "metallotherapeutics1,2",
with the citation it is listed for marked.

Every context of every recorded JATS article is placed back in its block; one that
cannot be (a table cell's, which has no sentence) keeps its plain words.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tui.data.citations import link_citations
from tui.data.errors import ParseError
from tui.data.formats.fulltext_text import cite_shown, spliced
from tui.data.fulltext_model import Block, Context, FullText
from tui.data.jats import parse_jats
from tui.widgets.fulltext_blocks import CURRENT, sentence_content

FULLTEXT = Path(__file__).parent / "fixtures" / "fulltext"
FILES = sorted(p.name for p in FULLTEXT.iterdir())


def linked(name: str) -> FullText | None:
    try:
        full = parse_jats((FULLTEXT / name).read_bytes(), "europepmc")
    except ParseError:  # a fixture that is no article (a correction's empty set)
        return None
    return link_citations(full, ()) if isinstance(full, FullText) else None


def as_printed(block: Block, context: Context) -> str:
    """The sentence as the text format prints it: its block's citations spliced in."""
    core = context.sentence.strip("…")
    at = block.text.rfind(core, 0, context.start + len(core))
    inside = [
        replace(c, start=c.start - at, end=c.end - at)
        for c in block.cites
        if at <= c.start and c.end <= at + len(core)
    ]
    before = "…" if context.sentence.startswith("…") else ""
    after = "…" if context.sentence.endswith("…") else ""
    return before + spliced(core, inside) + after


@pytest.mark.parametrize("name", FILES)
def test_every_citing_sentence_reads_its_citations_as_the_text_does(name: str) -> None:
    full = linked(name)
    if full is None or not full.contexts:
        pytest.skip(f"{name} cites nothing")
    for context in full.contexts:
        content = sentence_content(context, full.blocks[context.block])
        if context.start < 0:  # a table cell's citation: its cell, as written
            assert content.plain == context.sentence
            continue
        block = full.blocks[context.block]
        cite = next(c for c in block.cites if c.start == context.start)
        shown = cite_shown(block.text, cite)
        marked = [
            content.plain[span.start : span.end]
            for span in content.spans
            if str(span.style) == "." + CURRENT
        ]
        assert marked == [shown], (name, context.sentence, content.plain)
        # Word for word what `--format text --full-text` prints for the same stretch.
        assert content.plain == as_printed(block, context), (name, context.sentence)


def test_a_superscript_citation_gains_the_list_brackets() -> None:
    full = linked("PMC12491691-elsevier-apsb-review.xml")
    assert full is not None
    context = full.contexts[0]
    assert context.sentence.endswith("metallotherapeutics1,2.")
    plain = sentence_content(context, full.blocks[context.block]).plain
    assert plain.endswith("metallotherapeutics[1],[2].")
