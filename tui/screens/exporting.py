"""Where an export goes once it is made: a file on disk, or a browser download.

In a terminal the file is written by :mod:`tui.data.export_files` in a thread (temporary
file, fsync, then its final name), so "Exported 597 BibTeX entries" is said only once
all 597 are on disk.  Under ``textual serve`` there is no disk of the user's to write
to; the text is handed to Textual's delivery, which downloads it in the browser, and
the sentence waits for Textual's report.
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.message import Message

from tui.data.export_files import Written, write_export
from tui.screens.host import ReaderHost

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

DELIVERY_NAME = "pubterm-export"
EXPORT_CANCELLED = "Export cancelled: no file was written"
TOO_LATE = "the file was complete before escape arrived, so it stays"


async def write_file(
    directory: Path,
    name: str,
    text: str,
    stop: threading.Event,
    replaced: Callable[[Written | None], None],
) -> Written | None:
    """Write the export in a thread; None when ``stop`` was set before it took its name.

    The thread cannot be interrupted, so a job cancelled meanwhile (a newer ``c`` or
    ``e`` replaced it) still waits for it here and passes what became of the file to
    ``replaced`` before it ends, rather than leaving a file nobody was told about.
    Failures raise ExportFileError (and are not passed on when the job was replaced:
    no file is left, which is what a replaced job promises).
    """
    pending = asyncio.ensure_future(
        asyncio.to_thread(write_export, directory, name, text, cancelled=stop.is_set)
    )
    try:
        return await asyncio.shield(pending)
    except asyncio.CancelledError:
        stop.set()
        await asyncio.wait([pending])
        if not pending.cancelled() and pending.exception() is None:
            replaced(pending.result())
        raise


class BrowserDelivery:
    """Exports of a reader served in a browser, handed to Textual's ``deliver_text``."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host
        self._pending: dict[str, str] = {}

    @property
    def app(self) -> Any:
        return self.host.app

    def deliver(self, text: str, name: str, done: Callable[[str], str]) -> None:
        """Start the download; ``done(where)`` makes the sentence said when it is saved."""
        if not self._pending:
            # The screen subscribes: the signal holds nodes of the DOM, and the screen
            # is this object's node.
            node = cast("MessagePump", self.host)
            self.app.message_signal.subscribe(node, self._delivery_message, immediate=True)
        key = self.app.deliver_text(
            io.StringIO(text),
            save_filename=name,
            mime_type="text/plain",
            encoding="utf-8",
            name=DELIVERY_NAME,
        )
        if key is None:
            self.host.notify("Export is not possible here", severity="error")
            return
        self._pending[key] = done("the browser: download started")

    def _delivery_message(self, message: Message) -> None:
        """Say where an export went once Textual reports it saved (or failed)."""
        if not isinstance(message, events.DeliveryComplete | events.DeliveryFailed):
            return
        pending = self._pending
        done = pending.pop(message.key, None)
        if done is None:
            return
        if not pending:
            self.app.message_signal.unsubscribe(cast("MessagePump", self.host))
        if isinstance(message, events.DeliveryFailed):
            self.host.notify(f"Export failed: {message.exception}", severity="error", markup=False)
        else:
            self.host.notify(done, markup=False)
