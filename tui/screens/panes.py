"""The reader's panes, declared once: id, title, number key, side and loader.

Tab labels, the number keys and the help text all come from this table, so adding a pane
is one entry here plus its widget; nothing else lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Side = Literal["left", "right"]
Loader = Literal["record", "references", "cited-by", "similar", "fulltext"]
Move = Literal["visit", "back", "stay"]


@dataclass(frozen=True, slots=True)
class PaneSpec:
    """One pane: ``key`` focuses it; ``loader`` names what fills it (the record itself,
    the resolved reference list, or an elink list loaded when the pane is first shown)."""

    id: str
    title: str
    key: str
    side: Side
    loader: Loader


PANE_TABLE: tuple[PaneSpec, ...] = (
    PaneSpec("abstract", "Abstract", "1", "left", "record"),
    PaneSpec("keywords", "Keywords", "2", "left", "record"),
    PaneSpec("references", "References", "3", "right", "references"),
    PaneSpec("cited-by", "Cited by", "4", "right", "cited-by"),
    PaneSpec("similar", "Similar", "5", "right", "similar"),
    PaneSpec("details", "Details", "6", "right", "record"),
    PaneSpec("fulltext", "Full text", "7", "left", "fulltext"),
)

PANES = tuple(p.id for p in PANE_TABLE)
LEFT_PANES = tuple(p.id for p in PANE_TABLE if p.side == "left")
RIGHT_PANES = tuple(p.id for p in PANE_TABLE if p.side == "right")
LINK_PANES = tuple(p.id for p in PANE_TABLE if p.loader in ("cited-by", "similar"))
PANE_TITLES = {p.id: p.title for p in PANE_TABLE}
