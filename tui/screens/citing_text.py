"""The text one ``c`` or ``e`` of the reader makes: its items resolved, then rendered.

Kept apart from the actions (:mod:`tui.screens.citing`), which choose what to act on,
show the progress line, take ``escape`` and deliver the text (the clipboard, a file, a
browser download): making the text needs only the service and a way to tell the user
what went wrong, whatever then becomes of it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tui.data.errors import PubtermError
from tui.data.model import Record, Reference

# For the checker only: the export helpers and the citation formats are imported inside
# cite_text, when c or e first runs, so a reader's start-up never pays for them.
if TYPE_CHECKING:
    from tui.screens.cite import CiteChoice
    from tui.screens.host import ReaderHost
    from tui.widgets.progress import PrefetchProgress

Item = Record | Reference


@dataclass(frozen=True, slots=True)
class CiteJob:
    """What ``c`` or ``e`` acts on: the record itself, or references to resolve first."""

    mode: Literal["cite", "export"]
    record: Record
    references: tuple[Reference, ...] = ()
    itself: bool = False  # the record, not its references
    marked: bool = False


async def cite_text(
    host: ReaderHost, job: CiteJob, choice: CiteChoice, progress: PrefetchProgress
) -> tuple[str, list[Item]] | None:
    """The rendered text and what it holds, every reference included (None: failed)."""
    items: list[Item]
    if job.itself:
        items = [job.record]
    else:
        from tui.export import resolve_references

        on_progress = progress.advance if len(job.references) > 1 else None
        try:
            resolution = await resolve_references(
                host.service, job.references, on_progress=on_progress
            )
        except PubtermError as exc:
            host.notify(str(exc), severity="error", markup=False)
            return None
        items = list(resolution.items)
        problem = resolution.problem()
        if problem:
            host.notify(problem, severity="warning", markup=False)
    if not items:
        host.notify("Nothing to cite", severity="warning")
        return None
    if len(job.references) > 1:
        progress.say(f"Formatting {len(items)} entries…")
    from tui.data.formats import get_renderer

    render = get_renderer(choice.format)
    text = await asyncio.to_thread(render, items, style=choice.style)
    return text, items
