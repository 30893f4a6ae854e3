"""Citation actions of the reader (``c`` cite, ``e`` export), as one composed object.

It relies only on the reader host: the record, the references pane, the service and the
app.  References are resolved to full records (cache first, one batched efetch) in a
job, so the screen answers keys meanwhile and a new ``c`` or ``e`` replaces an
unfinished one.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from textual import events
from textual.message import Message

from tui.clipboard import copy_text
from tui.data.config_write import ConfigWriteError, config_path, remember
from tui.data.errors import PubtermError
from tui.data.formats import get_renderer
from tui.data.model import Record, Reference
from tui.screens.host import ReaderHost

# The export helpers, the citation data they pull in and the chooser screen are imported
# when c or e is first pressed: a reader's start-up never pays for them.
if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from tui.screens.cite import CiteChoice

DELIVERY_NAME = "pubterm-export"


@dataclass(frozen=True, slots=True)
class CiteJob:
    """What ``c`` or ``e`` acts on: the record itself, or references to resolve first."""

    mode: Literal["cite", "export"]
    record: Record
    references: tuple[Reference, ...] = ()
    itself: bool = False  # the record, not its references
    marked: bool = False


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Citer:
    """The ``cite`` and ``export`` actions of one reader screen."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host
        self._deliveries: dict[str, str] = {}

    @property
    def app(self) -> Any:
        return self.host.app

    def notify(self, message: str, **kwargs: Any) -> None:
        self.host.notify(message, **kwargs)

    def _current(self) -> Record | None:
        record = self.host.record
        if record is None:
            self.notify("No record loaded yet", severity="warning")
        return record

    def _settings(self) -> Any:
        return getattr(self.app, "settings", None)

    # -- choosing ----------------------------------------------------------------------

    def cite(self) -> None:
        """Open the citation chooser (format, then style) and copy the result."""
        record = self._current()
        if record is None:
            return
        state = self.host.state
        marked = tuple(state.marked_entries())
        if marked:
            job = CiteJob("cite", record, marked, marked=True)
            title = f"Cite {_plural(len(marked), 'marked reference')}"
        elif self.host.focused_pane() == "references":
            reference = state.highlighted_reference()
            if reference is None:
                self.notify("No reference is highlighted", severity="warning")
                return
            job = CiteJob("cite", record, (reference,))
            number = state.highlighted_number
            title = f"Cite reference {number}"
        else:
            job = CiteJob("cite", record, itself=True)
            title = f"Cite PMID {record.pmid}"
        from tui.screens.cite import CiteChooser

        settings = self._settings()
        chooser = CiteChooser(
            title,
            fmt=getattr(settings, "last_format", None) or "cite",
            style=getattr(settings, "style", None),
        )
        self.app.push_screen(chooser, partial(self._chosen, job))

    def export(self) -> None:
        """Write the reference list (or the marked set) to a file in the download folder."""
        record = self._current()
        if record is None:
            return
        marked = tuple(self.host.state.marked_entries())
        references = marked or record.references
        if not references:
            self.notify("This record has no references to export", severity="warning")
            return
        job = CiteJob("export", record, references, marked=bool(marked))
        what_ = "marked reference" if marked else "reference"
        from tui.export import DEFAULT_EXPORT_FORMAT, known_format
        from tui.screens.cite import CiteChooser

        settings = self._settings()
        chooser = CiteChooser(
            f"Export {_plural(len(references), what_)} of PMID {record.pmid}",
            fmt=known_format(getattr(settings, "last_format", None) or DEFAULT_EXPORT_FORMAT),
            style=getattr(settings, "style", None),
        )
        self.app.push_screen(chooser, partial(self._chosen, job))

    def _chosen(self, job: CiteJob, choice: CiteChoice | None) -> None:
        if choice is not None:
            self.host.start_job(self._cite_work(job, choice), "cite")

    def _remember(self, choice: CiteChoice) -> None:
        """Keep the choice for next time: in the running app and in the config file."""
        settings = self._settings()
        values = {"last_format": choice.format}
        if choice.style:
            values["style"] = choice.style
        if settings is not None:
            same = all(getattr(settings, k, None) == v for k, v in values.items())
            if same:
                return
            self.app.settings = replace(settings, **values)
        try:
            remember(values, config_path(settings))
        except ConfigWriteError as exc:
            self.notify(f"Could not remember the choice: {exc}", severity="warning", markup=False)

    # -- doing -------------------------------------------------------------------------

    async def _cite_work(self, job: CiteJob, choice: CiteChoice) -> None:
        from tui.export import copied_sentence, download_dir

        directory: Path | None = None
        if job.mode == "export" and not self.app.is_web:
            # Before resolving anything: a folder that cannot exist fails the export anyway.
            directory = download_dir()
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.notify(
                    f"Could not create {directory}: {exc.strerror}", severity="error", markup=False
                )
                return
        try:
            text, records = await self._cite_text(job, choice)
        except PubtermError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if not records:
            return
        self._remember(choice)
        if job.mode == "cite":
            copy_text(self.app, text)
            self.notify(copied_sentence(choice.format, choice.style, records), markup=False)
        else:
            self._deliver(job, choice, text, len(records), directory)

    async def _cite_text(self, job: CiteJob, choice: CiteChoice) -> tuple[str, list[Record]]:
        """The rendered text and the records it holds (none: nothing to show)."""
        problem: str | None = None
        if job.itself:
            records = [job.record]
        else:
            if len(job.references) > 1:
                self.notify(f"Resolving {_plural(len(job.references), 'reference')}…")
            from tui.export import resolve_references

            resolution = await resolve_references(self.host.service, job.references)
            records, problem = resolution.records, resolution.problem()
        if problem:
            self.notify(problem, severity="warning" if records else "error", markup=False)
        if not records:
            if not problem:
                self.notify("Nothing to cite", severity="warning")
            return "", []
        render = get_renderer(choice.format)
        text = await asyncio.to_thread(render, records, style=choice.style)
        return text, records

    def _deliver(
        self, job: CiteJob, choice: CiteChoice, text: str, count: int, directory: Path | None
    ) -> None:
        """Hand the text to Textual, which saves it (terminal) or downloads it (browser)."""
        from tui.export import export_filename, free_filename, what

        name = export_filename(job.record.pmid, choice.format, marked=job.marked)
        if directory is not None:
            name = free_filename(directory, name)
        pending = self._deliveries
        if not pending:
            # The screen subscribes: the signal holds nodes of the DOM, and the screen
            # is this object's node.
            node = cast("MessagePump", self.host)
            self.app.message_signal.subscribe(node, self._delivery_message, immediate=True)
        key = self.app.deliver_text(
            io.StringIO(text),
            save_directory=directory,
            save_filename=name,
            mime_type="text/plain",
            encoding="utf-8",
            name=DELIVERY_NAME,
        )
        if key is None:
            self.notify("Export is not possible here", severity="error")
            return
        pending[key] = f"Exported {what(choice.format, choice.style, count, counted=True)}"

    def _delivery_message(self, message: Message) -> None:
        """Say where an export went once Textual reports it saved (or failed)."""
        if not isinstance(message, events.DeliveryComplete | events.DeliveryFailed):
            return
        pending = self._deliveries
        done = pending.pop(message.key, None)
        if done is None:
            return
        if not pending:
            self.app.message_signal.unsubscribe(cast("MessagePump", self.host))
        if isinstance(message, events.DeliveryFailed):
            self.notify(f"Export failed: {message.exception}", severity="error", markup=False)
        elif message.path is not None:
            self.notify(f"{done} to {message.path}", markup=False)
        else:
            self.notify(f"{done}: download started", markup=False)
