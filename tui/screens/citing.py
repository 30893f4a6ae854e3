"""Citation actions of the reader (``c`` cite, ``e`` export), as one composed object.

It relies only on the reader host: the record, the references pane, the service and the
app.  References are resolved to full records (cache first, batched efetch) in a job,
so the screen answers keys meanwhile and a new ``c`` or ``e`` replaces an unfinished
one.  Every reference goes out: one that resolves to nothing is written from its
citation text, and the sentence counts both kinds.  A job over several references shows
a progress line and ``escape`` cancels it, leaving no file and copying nothing.  The
text itself is made in :mod:`tui.screens.citing_text`.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from textual.worker import Worker, WorkerState

from tui.clipboard import copy
from tui.data.config_write import ConfigWriteError, config_path, remember
from tui.data.model import Record
from tui.screens.citing_text import CiteJob, cite_text
from tui.screens.host import ReaderHost

# The export helpers, the citation data they pull in and the chooser screen are imported
# when c or e is first pressed: a reader's start-up never pays for them.
if TYPE_CHECKING:
    from tui.data.export_files import Written
    from tui.screens.cite import CiteChoice
    from tui.screens.exporting import BrowserDelivery
    from tui.widgets.progress import PrefetchProgress

EXPORT_HINT = "escape cancels"
CITE_CANCELLED = "Citation cancelled: nothing was copied"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Citer:
    """The ``cite`` and ``export`` actions of one reader screen."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host
        self.worker: Worker[Any] | None = None
        self._browser: BrowserDelivery | None = None
        self._run: object | None = None  # the job the progress line belongs to
        self._stop = threading.Event()  # set when escape arrives while the file is written
        self._mode: Literal["cite", "export"] = "cite"
        self._writing = False  # the file is being written: escape asks the thread to stop

    @property
    def app(self) -> Any:
        return self.host.app

    @property
    def browser(self) -> BrowserDelivery:
        """The browser downloads, made at the first export of a reader served on the web."""
        if self._browser is None:
            from tui.screens.exporting import BrowserDelivery

            self._browser = BrowserDelivery(self.host)
        return self._browser

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
            self.worker = self.host.start_job(self._cite_work(job, choice), "cite")

    # -- cancelling --------------------------------------------------------------------

    @property
    def cancellable(self) -> bool:
        """True while a job with a progress line runs (escape then cancels it)."""
        worker = self.worker
        running = worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        return running and self._run is not None and self.host.export_progress.shown

    def cancel(self) -> None:
        """Stop the running job: nothing is copied and no file is left.

        While the file is being written the thread is asked to stop before the file
        takes its name; the job then says which it was (cancelled, or already complete).
        """
        worker = self.worker
        if worker is None or not self.cancellable:
            return
        if self._writing:
            self._stop.set()
            self.host.export_progress.say("Cancelling…")
            return
        from tui.screens.exporting import EXPORT_CANCELLED

        worker.cancel()
        self._run = None
        self.host.export_progress.hide()
        self.notify(EXPORT_CANCELLED if self._mode == "export" else CITE_CANCELLED)

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
        """One ``c`` or ``e``, with its progress line when it covers several references."""
        run = object()
        self._run, self._mode, self._writing = run, job.mode, False
        self._stop = stop = threading.Event()
        progress = self.host.export_progress
        if len(job.references) > 1:
            progress.verb = "Resolving references"
            progress.show(len(job.references))
        else:
            progress.hide()  # an older job's, replaced by this one
            self._run = None
        try:
            if job.mode == "cite":
                await self._copy(job, choice, progress)
            else:
                await self._export(job, choice, progress, stop)
        finally:
            if self._run is run:
                self._run = None
                self._writing = False
                progress.hide()

    async def _copy(self, job: CiteJob, choice: CiteChoice, progress: PrefetchProgress) -> None:
        from tui.export import copied_what

        made = await cite_text(self.host, job, choice, progress)
        if made is None:
            return
        text, items = made
        self._remember(choice)
        copied = copy(self.app, text)
        severity = "warning" if copied.too_large else "information"
        what_ = copied_what(choice.format, choice.style, items)
        self.notify(copied.sentence(what_), severity=severity, markup=False)

    async def _export(
        self,
        job: CiteJob,
        choice: CiteChoice,
        progress: PrefetchProgress,
        stop: threading.Event,
    ) -> None:
        from tui.data.export_files import ExportFileError, download_dir, ensure_folder
        from tui.export import export_filename, exported_sentence
        from tui.screens.exporting import EXPORT_CANCELLED, TOO_LATE, write_file

        directory = None if self.app.is_web else download_dir()
        if directory is not None:
            # Before resolving anything: a folder that cannot exist fails the export anyway.
            try:
                await asyncio.to_thread(ensure_folder, directory)
            except ExportFileError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
        made = await cite_text(self.host, job, choice, progress)
        if made is None:
            return
        text, items = made
        self._remember(choice)
        name = export_filename(job.record.pmid, choice.format, marked=job.marked)

        def said(where: str) -> str:
            return exported_sentence(choice.format, choice.style, items, where)

        if directory is None:
            self.browser.deliver(text, name, said)
            return
        progress.say(f"Writing {len(items)} entries…")
        self._writing = True

        def replaced(written: Written | None) -> None:
            if written is not None:
                self.notify(said(str(written.path)), markup=False)

        try:
            written = await write_file(directory, name, text, stop, replaced)
        except ExportFileError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if written is None:
            self.notify(EXPORT_CANCELLED)
        elif stop.is_set():
            self.notify(f"{said(str(written.path))}: {TOO_LATE}", markup=False)
        else:
            self.notify(said(str(written.path)), markup=False)
