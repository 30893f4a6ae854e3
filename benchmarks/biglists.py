"""Big lists: parsing the 597-reference record, and the reader's references pane under
keys, measured inside the app with Pilot.

A key's time runs from handing the key event to the app until the end of the first
screen refresh that starts with the key's effect in place (the filter applied, or the
last reference highlighted and scrolled into view): the paint that shows the answer.
The main thread's CPU time over the same span is kept too, as the part a busier
machine cannot inflate.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen

from benchmarks.procs import SIZE

BIG = "32051057"
QUERY = "protein"  # typed one key at a time, then erased with backspace


def parse_times(cache_dir: Path, samples: int) -> list[float]:
    """Milliseconds to parse the cached 597-reference record (one warm-up first)."""
    from tui.data.cache import RecordCache
    from tui.data.parse import parse_pubmed

    cache = RecordCache(cache_dir)
    try:
        entry = cache.get_record(BIG)
    finally:
        cache.close()
    if entry is None:
        raise RuntimeError(f"{BIG} is not in the warm cache")
    parse_pubmed(entry.xml)
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        records = parse_pubmed(entry.xml)
        times.append((time.perf_counter() - start) * 1000)
        assert len(records[0].references) == 597
    return times


class PaintWatch:
    """Times a key from its delivery to the paint that shows its effect."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.probe: Callable[[], bool] | None = None
        self.done: asyncio.Future[float] | None = None
        original = screen._compositor_refresh

        def refresh() -> None:
            ready = self.probe is not None and self.probe()
            original()
            if ready and self.done is not None and not self.done.done():
                self.done.set_result(time.perf_counter())

        screen._compositor_refresh = refresh  # type: ignore[method-assign]

    async def key(self, app: App[Any], key: str, probe: Callable[[], bool]) -> tuple[float, float]:
        """(milliseconds to the paint, milliseconds of main-thread CPU) for one key."""
        self.done = asyncio.get_running_loop().create_future()
        self.probe = probe
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        assert app._driver is not None
        cpu = time.thread_time()
        start = time.perf_counter()
        app._driver.send_message(event)
        painted = await asyncio.wait_for(self.done, 10)
        cpu = time.thread_time() - cpu
        self.probe = None
        return (painted - start) * 1000, cpu * 1000


async def _in_app(environ: dict[str, str], rounds: int) -> dict[str, list[float]]:
    from tui.app import PubtermApp
    from tui.data.ids import parse_id
    from tui.data.settings import load_settings
    from tui.widgets.references import ReferencesPane

    settings = load_settings(None, environ=environ)
    app = PubtermApp(settings, parse_id(BIG))
    app.CURSOR_BLINK = False  # type: ignore[misc]
    out: dict[str, list[float]] = {"filter": [], "filter_cpu": [], "bottom": [], "bottom_cpu": []}
    async with app.run_test(size=SIZE) as pilot:
        reader = app.reader
        for _ in range(200):
            if reader.record is not None:
                break
            await pilot.pause(0.05)
        if reader.record is None or len(reader.record.references) != 597:
            raise RuntimeError(f"{BIG} did not load in the reader")
        await pilot.pause()
        pane = reader.query_one("#references", ReferencesPane)
        listing = pane.reference_list
        watch = PaintWatch(reader)
        for index in range(rounds + 1):
            keep = index > 0  # the first round warms caches up
            reader.action_focus_pane("references")
            await pilot.press("home")
            await pilot.pause()
            last = listing.option_count - 1

            def at_bottom(last: int = last) -> bool:
                return listing.highlighted == last and (
                    listing.scroll_offset.y >= listing.max_scroll_y
                )

            took, cpu = await watch.key(app, "G", at_bottom)
            if keep:
                out["bottom"].append(took)
                out["bottom_cpu"].append(cpu)
            await pilot.press("home")
            await pilot.press("slash")
            await pilot.pause()
            typed = ""
            keys = [*QUERY, *["backspace"] * len(QUERY)]
            for key in keys:
                typed = typed[:-1] if key == "backspace" else typed + key

                def filtered(want: str = typed) -> bool:
                    return bool(pane.filter_text == want)

                took, cpu = await watch.key(app, key, filtered)
                if keep:
                    out["filter"].append(took)
                    out["filter_cpu"].append(cpu)
                await asyncio.sleep(0.05)  # a fast typist's pace: keys do not queue up
            await pilot.press("escape")
            await pilot.pause()
    return out


def in_app(environ: dict[str, str], rounds: int) -> dict[str, list[float]]:
    """Filter keystrokes and the ``G`` jump, ``rounds`` times after one warm-up."""
    return asyncio.run(_in_app(environ, rounds))
