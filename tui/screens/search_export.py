"""Getting results out of the search screen: identifiers to the clipboard, records to a file.

The same ways out as on the references: ``y`` copies the DOI (else the PMID) of the row
or of the marked rows, ``Y`` of all loaded rows, ``c`` copies a citation of the marked
rows (else the row), ``e`` writes the marked rows (or all loaded rows) in a citation
format to the download folder; ``c`` and ``e`` ask with the reader's chooser and its
remembered format.  Results are PMIDs already, so the records come from the cache and
one batched efetch.  One small object the screen holds, not a mixin: it needs only the
screen (for notices, the app and its workers) and the screen's state.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.clipboard import copy
from tui.data.config_write import ConfigWriteError, config_path, remember
from tui.data.errors import PubtermError
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record
from tui.data.search import SearchResult
from tui.screens.search_state import identifier, identifiers_what

if TYPE_CHECKING:
    from tui.screens.cite import CiteChoice
    from tui.screens.search import SearchScreen


def export_name(query: str, extension: str, *, marked: bool) -> str:
    """ "pubterm-search-car-t-solid-tumors.bib" (or "...-marked.bib"): the query, tamed."""
    slug = re.sub(r"[^a-z0-9]+", "-", query.casefold()).strip("-")[:40].strip("-") or "results"
    return f"pubterm-search-{slug}{'-marked' if marked else ''}{extension}"


def write_new(directory: Path, name: str, text: str) -> Path:
    """Write ``text`` to a new file of that name, or "name-2", "name-3"...: never
    overwriting, and all or nothing (ExportFileError, a sentence, when it fails)."""
    from tui.data.export_files import ensure_folder, write_export

    ensure_folder(directory)
    written = write_export(directory, name, text)
    assert written is not None  # only a cancelled write gives None, and none is asked
    return written.path


async def records_of(screen: SearchScreen, rows: list[SearchResult]) -> list[Record]:
    """The rows' records in order (cache, then one batched efetch); failures are told."""
    outcomes = await screen.service.fetch_many([ArticleId(IdKind.PMID, r.pmid) for r in rows])
    records = [o for o in outcomes if isinstance(o, Record)]
    failed = len(outcomes) - len(records)
    if failed:
        first = next(o for o in outcomes if not isinstance(o, Record))
        screen.notify(
            f"{failed} of {len(rows)} results could not be fetched ({first})",
            severity="warning" if records else "error",
            markup=False,
        )
    return records


class ResultsOut:
    """Copy and export for one search screen."""

    def __init__(self, screen: SearchScreen) -> None:
        self.screen = screen

    def _send(self, text: str, what: str) -> None:
        """Copy ``text`` and say what went where (a warning when it is likely dropped)."""
        copied = copy(self.screen.app, text)
        self.screen.notify(
            copied.sentence(what),
            severity="warning" if copied.too_large else "information",
            markup=False,
        )

    def _copy(self, rows: list[SearchResult]) -> None:
        self._send("\n".join(identifier(r)[1] for r in rows), identifiers_what(rows))

    def copy_current(self) -> None:
        """The marked rows' identifiers, else the highlighted row's."""
        marked = self.screen.state.marked_results()
        if marked:
            self._copy(marked)
            return
        result = self.screen.results_list.highlighted_result
        if result is None:
            self.screen.notify("No result is highlighted", severity="warning")
            return
        kind, value = identifier(result)
        self._send(value, f"{kind} {value}")

    def copy_all(self) -> None:
        rows = self.screen.state.marked_results() or list(self.screen.state.results)
        if not rows:
            self.screen.notify("No results to copy", severity="warning")
            return
        self._copy(rows)

    def cite(self) -> None:
        """Ask for a format and style, then copy a citation of the marked rows (else the row)."""
        rows = self.screen.state.marked_results()
        if rows:
            title = f"Cite {len(rows)} marked result{'s' if len(rows) != 1 else ''}"
        else:
            result = self.screen.results_list.highlighted_result
            if result is None:
                self.screen.notify("No result is highlighted", severity="warning")
                return
            rows, title = [result], f"Cite result {result.rank} (PMID {result.pmid})"
        from tui.screens.cite import CiteChooser

        settings: Any = getattr(self.screen.app, "settings", None)
        chooser = CiteChooser(
            title,
            fmt=getattr(settings, "last_format", None) or "cite",
            style=getattr(settings, "style", None),
        )

        def chosen(choice: CiteChoice | None) -> None:
            if choice is not None:
                self.screen.run_worker(
                    self._cite(rows, choice),
                    name="cite",
                    group="cite",
                    exclusive=True,
                    exit_on_error=False,
                )

        self.screen.app.push_screen(chooser, chosen)

    async def _cite(self, rows: list[SearchResult], choice: CiteChoice) -> None:
        from tui.data.formats import get_renderer
        from tui.export import copied_what

        screen = self.screen
        try:
            records = await records_of(screen, rows)
            if not records:
                return
            render = get_renderer(choice.format)
            text = await asyncio.to_thread(render, records, style=choice.style)
        except PubtermError as exc:
            screen.notify(str(exc), severity="error", markup=False)
            return
        except Exception as exc:  # a bug must end as a sentence, not a silent worker
            screen.notify(f"Could not cite: {exc!r}", severity="error", markup=False)
            return
        self._remember(choice)
        self._send(text, copied_what(choice.format, choice.style, records))

    def export(self) -> None:
        """Ask for a format, then write the marked rows (or all loaded rows) to a file."""
        state = self.screen.state
        marked = state.marked_results()
        rows = marked or list(state.results)
        if not rows or state.query is None:
            self.screen.notify("No results to export", severity="warning")
            return
        from tui.export import known_format
        from tui.screens.cite import CiteChooser

        settings: Any = getattr(self.screen.app, "settings", None)
        noun = "marked result" if marked else "result"
        title = f"Export {len(rows)} {noun}{'s' if len(rows) != 1 else ''}"
        chooser = CiteChooser(
            title,
            fmt=known_format(getattr(settings, "last_format", None)),
            style=getattr(settings, "style", None),
        )
        query = state.query.text

        def chosen(choice: CiteChoice | None) -> None:
            if choice is not None:
                self.screen.run_worker(
                    self._write(rows, query, bool(marked), choice),
                    name="export",
                    group="export",
                    exclusive=True,
                    exit_on_error=False,
                )

        self.screen.app.push_screen(chooser, chosen)

    async def _write(
        self, rows: list[SearchResult], query: str, marked: bool, choice: CiteChoice
    ) -> None:
        from tui.data.export_files import download_dir
        from tui.data.formats import get_renderer
        from tui.export import EXTENSIONS, what

        screen = self.screen
        try:
            records = await records_of(screen, rows)
            if not records:
                return
            render = get_renderer(choice.format)
            text = await asyncio.to_thread(render, records, style=choice.style)
            name = export_name(query, EXTENSIONS[choice.format], marked=marked)
            path = await asyncio.to_thread(write_new, download_dir(), name, text)
        except PubtermError as exc:
            screen.notify(str(exc), severity="error", markup=False)
            return
        except OSError as exc:
            reason = exc.strerror or str(exc)
            screen.notify(f"Could not write the export: {reason}", severity="error", markup=False)
            return
        except Exception as exc:  # a bug must end as a sentence, not a silent worker
            screen.notify(f"Could not export: {exc!r}", severity="error", markup=False)
            return
        self._remember(choice)
        made = what(choice.format, choice.style, len(records), counted=True)
        screen.notify(f"Exported {made} to {path}", markup=False)

    def _remember(self, choice: CiteChoice) -> None:
        """Keep the format (and style) for next time, as the reader's export does."""
        app: Any = self.screen.app
        settings = getattr(app, "settings", None)
        values = {"last_format": choice.format}
        if choice.style:
            values["style"] = choice.style
        if settings is None or all(getattr(settings, k, None) == v for k, v in values.items()):
            return
        app.settings = replace(settings, **values)
        try:
            remember(values, config_path(settings))
        except ConfigWriteError as exc:
            self.screen.notify(
                f"Could not remember the choice: {exc}", severity="warning", markup=False
            )
