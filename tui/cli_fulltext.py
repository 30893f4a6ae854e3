"""Printing records with their open-access full text: ``--format markdown`` and
``--full-text`` with ``--format text`` or ``json``.

Kept apart from ``tui.cli`` so the ordinary print path pays nothing for it.  A record
without full text still prints (its abstract), and stderr says why in the same sentence
the reader shows; a full-text fetch that fails prints the record, warns, and exits 4.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from tui.data.errors import PubtermError, ServiceError
from tui.data.fulltext import FullTextOutcome, NoFullText, fetch_full_text
from tui.data.fulltext_model import FullText
from tui.data.ids import ArticleId
from tui.data.model import Record
from tui.data.settings import Settings

if TYPE_CHECKING:
    from tui.data.service import PubMed

FULL_TEXT_FORMATS = ("markdown", "text", "json")
EXIT_SERVICE = 4
Fetched = tuple[Record | PubtermError, FullTextOutcome | PubtermError | None]


async def gather(settings: Settings, ids: Sequence[ArticleId]) -> list[Fetched]:
    """Each record with its full text (or why not), fetched through one service."""
    from tui.data.service import PubMed

    def retry(notice: object) -> None:
        print(f"pubterm: {notice}", file=sys.stderr)

    found: list[Fetched] = []
    async with PubMed(settings, on_retry=retry) as service:
        for outcome in await service.fetch_many(list(ids)):
            if isinstance(outcome, PubtermError):
                found.append((outcome, None))
                continue
            try:
                text: FullTextOutcome | PubtermError = await fetch_full_text(service, outcome)
            except PubtermError as exc:
                text = exc
            found.append((outcome, text))
    return found


async def prefetch_full_text(service: PubMed, record: Record) -> str:
    """Cache the review's full text too, for reading offline; says what happened."""
    try:
        found = await fetch_full_text(service, record)
    except PubtermError as exc:
        reason = str(exc)
        if reason[1:2].islower():  # "The full text …" reads on; "NCBI answered …" stays
            reason = reason[:1].lower() + reason[1:]
        return f"full text not kept: {reason}"
    if isinstance(found, NoFullText):
        return str(found)
    return f"full text cached ({len(found.blocks)} blocks, {found.cite_count} citations)"


def render_one(fmt: str, record: Record, full: FullText | None) -> str:
    if fmt == "markdown":
        from tui.data.formats.markdown import document

        return document(record, full)
    if fmt == "json":
        obj = record.to_dict()
        obj["full_text"] = full.to_dict() if full is not None else None
        return json.dumps(obj, ensure_ascii=False) + "\n"
    if full is not None:
        from tui.data.formats.fulltext_text import document as text_document

        return text_document(record, full)
    from tui.data.formats.text import render

    return render([record])


def print_with_full_text(
    settings: Settings, fmt: str, raw_ids: Sequence[str], ids: Sequence[ArticleId], out: TextIO
) -> int:
    """Print every record with its full text in ``fmt``; returns the exit code."""
    code = 0
    pieces: list[str] = []
    for raw, (record, text) in zip(raw_ids, asyncio.run(gather(settings, ids)), strict=True):
        if isinstance(record, PubtermError):
            print(f"pubterm: {raw}: {record}", file=sys.stderr)
            code = max(code, record.exit_code)
            continue
        if record.stale:
            print(f"pubterm: warning: {raw}: {record.stale}", file=sys.stderr)
        full = text if isinstance(text, FullText) else None
        if isinstance(text, NoFullText):
            print(f"pubterm: {raw}: {text}", file=sys.stderr)
        elif isinstance(text, PubtermError):
            print(f"pubterm: {raw}: full text: {text}", file=sys.stderr)
            if isinstance(text, ServiceError):
                code = max(code, EXIT_SERVICE)
        pieces.append(render_one(fmt, record, full))
    separator = (
        "\n---\n\n" if fmt == "markdown" else "" if fmt == "json" else "\n" + "-" * 80 + "\n\n"
    )
    if pieces:
        out.write(separator.join(pieces))
        out.flush()
    return code
