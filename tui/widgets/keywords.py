"""The keywords pane: the authors' own keywords, then the MeSH indexing.

MeSH major topics say what a paper is *about* rather than merely mentions, which is how a
reader judges relevance quickly; they are starred and bold so they stand out without
colour too.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content

from tui.data.model import MeshHeading, Record
from tui.widgets.abstract import RecordTextPane
from tui.widgets.badges import clean

EMPTY_TEXT = "No keywords or MeSH terms."
MAJOR_MARK = "★"
KEYWORDS_HEADING = "Author keywords"
MESH_HEADING = "MeSH terms"


def mesh_line(heading: MeshHeading) -> Content | None:
    """One MeSH heading as PubMed writes it, ``Liver/drug effects/*enzymology``.

    The star sits on the part that is major (the descriptor, or only a qualifier), and a
    ★ in the margin marks any major heading so a reader can scan the column.
    """
    descriptor = clean(heading.descriptor)
    if not descriptor:
        return None
    # A heading marked major with no major qualifier is major on its descriptor.
    on_descriptor = heading.major_descriptor or (heading.major and not heading.major_qualifiers)
    parts: list[Content] = [
        Content.assemble(
            (f"{MAJOR_MARK} " if heading.major else "  ", ".keywords--major"),
            part(descriptor, on_descriptor, ".keywords--descriptor"),
        )
    ]
    for qualifier in heading.qualifiers:
        text = clean(qualifier)
        if text:
            major = qualifier in heading.major_qualifiers
            parts.append(part(text, major, ".keywords--qualifier"))
    return Content("/").stylize(".keywords--separator").join(parts)


def part(text: str, major: bool, component: str) -> Content:
    """A descriptor or qualifier; a major one starred and bold, as PubMed stars it."""
    return (
        Content("*" + text).stylize(".keywords--major")
        if major
        else Content(text).stylize(component)
    )


def keywords_content(record: Record | None) -> Content:
    """Both lists with headings, built from plain strings only."""
    if record is None:
        return Content("")
    blocks: list[Content] = []
    keywords = [k for k in map(clean, record.keywords) if k]
    if keywords:
        separator = Content(" · ").stylize(".keywords--separator")
        blocks.append(
            Content("\n").join(
                [
                    Content(KEYWORDS_HEADING).stylize(".keywords--heading"),
                    separator.join(Content(k) for k in keywords),
                ]
            )
        )
    mesh = [line for line in map(mesh_line, record.mesh) if line is not None]
    if mesh:
        heading = Content.assemble(
            (MESH_HEADING, ".keywords--heading"),
            (f"  ({MAJOR_MARK} major topic, * on its major part)", ".keywords--qualifier"),
        )
        blocks.append(Content("\n").join([heading, *mesh]))
    if not blocks:
        return Content(EMPTY_TEXT).stylize(".keywords--empty")
    return Content("\n\n").join(blocks)


class KeywordsPane(RecordTextPane):
    """Scrollable keywords and MeSH terms; focusable so the movement keys scroll it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keywords--heading",
        "keywords--major",
        "keywords--descriptor",
        "keywords--qualifier",
        "keywords--separator",
        "keywords--empty",
    }

    TITLE = "Keywords"
    BODY_ID = "keywords-text"
    content = staticmethod(keywords_content)
