"""Where a warm open's time goes: pubterm started as usual, with timing wrappers.

Run as a script on a pseudo-terminal (like the other start-up measures); it exits as
soon as the first record is painted and prints one ``pubterm-phases {json}`` line,
with monotonic times of the start-up milestones and the time spent inside the costly
steps up to the paint.  Wrappers are attached only where the named methods exist, so
the breakdown survives changes to the reader.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

MARKS: dict[str, float] = {"ready": time.monotonic()}
SPANS: dict[str, list[float]] = {}
PHASES_MARK = "pubterm-phases"


def _mark(name: str) -> None:
    MARKS.setdefault(name, time.monotonic())


def _span(owner: Any, name: str, label: str, *, first: str | None = None) -> None:
    """Add the time spent in ``owner.name`` (main thread only) to ``SPANS[label]``."""
    original = owner.__dict__.get(name)
    if original is None or not callable(original):
        return

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.monotonic()
        if first:
            _mark(first)
        try:
            return original(*args, **kwargs)
        finally:
            if threading.current_thread() is threading.main_thread() and "painted" not in MARKS:
                when = "after" if "record arrived" in MARKS else "before"
                SPANS.setdefault(f"{label}, {when} the record", []).append(time.monotonic() - start)

    setattr(owner, name, wrapper)


def _async_span(owner: Any, name: str, start_mark: str, end_mark: str) -> None:
    original = owner.__dict__.get(name)
    if original is None:
        return

    @functools.wraps(original)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        _mark(start_mark)
        try:
            return await original(*args, **kwargs)
        finally:
            _mark(end_mark)

    setattr(owner, name, wrapper)


def _record_mark(owner: Any, name: str) -> None:
    """Mark "record arrived" when ``owner.name(old, new)`` first sees a state with a
    record (the reader's state watcher; its two parameters kept for Textual)."""
    original = owner.__dict__.get(name)
    if original is None or not callable(original):
        return

    @functools.wraps(original)
    def wrapper(self: Any, old: Any, new: Any) -> Any:
        if getattr(new, "record", None) is not None:
            _mark("record arrived")
        return original(self, old, new)

    setattr(owner, name, wrapper)


def _instrument() -> None:
    """Import the reader (timed) and wrap its steps; called where pubterm imports it."""
    import textual.app  # noqa: F401 - timed on its own: Textual's share of the imports

    _mark("textual imported")
    import tui.app

    _mark("reader imported")
    from textual.screen import Screen
    from textual.widgets._option_list import OptionList

    from tui.data import parse
    from tui.data.service import PubMed
    from tui.screens import reader
    from tui.widgets import references

    _span(Screen, "_compositor_refresh", "screen refreshes (render)")
    _span(Screen, "_refresh_layout", "screen layouts (renders included)")
    _span(OptionList, "_update_lines", "option list line heights")
    _span(reader.ReaderScreen, "_loaded", "record set on the panes", first="record arrived")
    _record_mark(reader.ReaderScreen, "watch_state")  # the reader of the reading state
    _span(references.ReferencesPane, "_load", "references pane rebuild")
    _span(parse, "parse_pubmed", "parse")
    _span(tui.app.PubtermApp, "__init__", "app construction", first="app created")
    _span(reader.ReaderScreen, "on_mount", "reader mount", first="reader mounted")
    _async_span(PubMed, "fetch", "fetch asked", "fetch answered")
    original_mount: Callable[[Any], None] = tui.app.PubtermApp.on_mount

    def mount_then_exit_after_paint(self: Any) -> None:
        # Exit once the first record has been painted: setting the record updates the
        # header, abstract and references at once; the callback runs after that paint.
        def painted() -> None:
            self.exit(0)

        def shown(record: object) -> None:
            if record is not None:
                self.reader.call_after_refresh(painted)

        # Before the app's own watchers, so its post-paint collection does not delay it.
        self.watch(self.reader, "record", shown, init=False)
        original_mount(self)

    tui.app.PubtermApp.on_mount = mount_then_exit_after_paint  # type: ignore[method-assign]
    original_exit: Callable[..., Any] = tui.app.PubtermApp.exit

    def exit_marked(self: Any, *args: Any, **kwargs: Any) -> None:
        _mark("painted")
        original_exit(self, *args, **kwargs)

    tui.app.PubtermApp.exit = exit_marked  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    from tui.data.early import EarlyFetch

    original_start = EarlyFetch.__dict__["start"].__func__

    def start_marked(cls: type[EarlyFetch], *args: Any, **kwargs: Any) -> EarlyFetch:
        # The command line starts the first fetch, then imports the reader: so do we.
        _mark("first fetch started")
        early: EarlyFetch = original_start(cls, *args, **kwargs)
        early._future.add_done_callback(lambda _: _mark("first fetch done (thread)"))
        _instrument()
        return early

    EarlyFetch.start = classmethod(start_marked)  # type: ignore[method-assign,assignment]
    from tui.cli import main as cli_main

    code = cli_main(argv)
    spans = {k: {"calls": len(v), "ms": round(sum(v) * 1000, 1)} for k, v in SPANS.items()}
    print(f"{PHASES_MARK} " + json.dumps({"marks": MARKS, "spans": spans}), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
