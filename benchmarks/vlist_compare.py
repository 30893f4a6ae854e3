"""``python -m benchmarks.vlist_compare``: the references list as an OptionList and as a
VirtualList, filled with 600 and 20,000 real references, in one process.

Each variant fills an empty list in a headless 160×48 app and is timed from the fill to
the end of the first screen refresh that shows the list (the paint); ``end`` is timed
the same way, to the refresh showing the last entry.  The main thread's CPU time over the
same span is printed too: a busy machine inflates it far less than the wall time.
Memory is what the fill leaves allocated (tracemalloc, in a separate pass, since
tracing slows everything down).
Entries are the 597 references of 32051057 repeated, rendered by the reader's own
``reference_prompt``.  The variants:

* ``OptionList``: what the panes do today (every prompt built, every option measured);
* ``VirtualList, Options``: the drop-in switch (every prompt still built by the pane);
* ``VirtualList, builder``: ``set_entries`` (prompts built as they come into view).

Not part of the test run or of ``python -m benchmarks``; rounds are shuffled, one
warm-up round dropped, medians printed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from benchmarks.terminal import ROOT, SIZE
from tui.data.model import Reference
from tui.data.parse import parse_pubmed
from tui.widgets.badges import BADGE_CLASSES
from tui.widgets.entries import ENTRY_CLASSES, reference_prompt
from tui.widgets.vlist import VirtualList

COUNTS = (600, 20_000)
CSS = """
.listing { height: 1fr; border: none; padding: 0; }
.listing > .option-list--option { padding: 0 1; }
"""


class Options(OptionList):
    COMPONENT_CLASSES: ClassVar[set[str]] = {*ENTRY_CLASSES, *BADGE_CLASSES}


class Virtual(VirtualList):
    COMPONENT_CLASSES: ClassVar[set[str]] = {*ENTRY_CLASSES, *BADGE_CLASSES}


def references(count: int) -> list[Reference]:
    path = ROOT / "tests" / "fixtures" / "pubmed" / "32051057.xml"
    recorded = parse_pubmed(path.read_bytes())[0].references
    return [recorded[i % len(recorded)] for i in range(count)]


def _options(refs: list[Reference]) -> list[Option]:
    width = len(str(len(refs)))
    return [Option(reference_prompt(i + 1, width, r), id=str(i)) for i, r in enumerate(refs)]


def fill_option_list(widget: Widget, refs: list[Reference]) -> None:
    assert isinstance(widget, Options)
    widget.set_options(_options(refs))
    widget.highlighted = 0


def fill_with_options(widget: Widget, refs: list[Reference]) -> None:
    assert isinstance(widget, Virtual)
    widget.set_options(_options(refs))


def fill_with_builder(widget: Widget, refs: list[Reference]) -> None:
    assert isinstance(widget, Virtual)
    width = len(str(len(refs)))
    widget.set_entries(
        [str(i) for i in range(len(refs))],
        lambda i, marked: reference_prompt(i + 1, width, refs[i], marked=marked),
    )


VARIANTS: dict[str, tuple[type[Widget], Callable[[Widget, list[Reference]], None]]] = {
    "OptionList": (Options, fill_option_list),
    "VirtualList, Options": (Virtual, fill_with_options),
    "VirtualList, builder": (Virtual, fill_with_builder),
}


class Bench(App[None]):
    CSS = CSS

    def __init__(self, kind: type[Widget]) -> None:
        super().__init__()
        self.kind = kind
        self.painted: asyncio.Future[float] | None = None
        self.probe: Callable[[], bool] = lambda: False

    def compose(self) -> ComposeResult:
        yield self.kind(classes="listing")

    def on_mount(self) -> None:
        original = self.screen._compositor_refresh

        def refresh() -> None:
            ready = self.probe()
            original()
            if ready and self.painted is not None and not self.painted.done():
                self.painted.set_result(time.perf_counter())

        self.screen._compositor_refresh = refresh  # type: ignore[method-assign]

    def expect(self, probe: Callable[[], bool]) -> asyncio.Future[float]:
        """The time of the first refresh that starts with ``probe()`` true."""
        self.painted = asyncio.get_running_loop().create_future()
        self.probe = probe
        return self.painted


async def one(name: str, refs: list[Reference], *, trace: bool) -> dict[str, float]:
    kind, fill = VARIANTS[name]
    app = Bench(kind)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget: Any = app.query_one(".listing")
        widget.focus()
        await pilot.pause()
        gc.collect()
        if trace:
            tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0] if trace else 0
        shown = app.expect(lambda: widget.virtual_size.height >= len(refs))
        cpu, start = time.thread_time(), time.perf_counter()
        fill(widget, refs)
        painted = await asyncio.wait_for(shown, 60)
        cpu = time.thread_time() - cpu
        result = {"open_ms": (painted - start) * 1000, "open_cpu_ms": cpu * 1000}
        if trace:
            gc.collect()
            result["memory_mb"] = (tracemalloc.get_traced_memory()[0] - before) / 1e6
            tracemalloc.stop()
            return result
        last = len(refs) - 1
        ended = app.expect(
            lambda: widget.highlighted == last and widget.scroll_offset.y >= widget.max_scroll_y
        )
        cpu, start = time.thread_time(), time.perf_counter()
        await pilot.press("end")
        at_end = await asyncio.wait_for(ended, 60)
        result["end_ms"] = (at_end - start) * 1000
        result["end_cpu_ms"] = (time.thread_time() - cpu) * 1000
    return result


async def run(rounds: int) -> dict[tuple[str, int], dict[str, list[float]]]:
    samples: dict[tuple[str, int], dict[str, list[float]]] = {}
    lists = {count: references(count) for count in COUNTS}
    jobs = [(name, count) for name in VARIANTS for count in COUNTS]
    for number in range(rounds + 1):
        random.shuffle(jobs)
        for name, count in jobs:
            timed = await one(name, lists[count], trace=False)
            traced = await one(name, lists[count], trace=True) if number else {}
            if number:  # round 0 warms imports and caches up
                into = samples.setdefault((name, count), {})
                for key, value in (timed | traced).items():
                    into.setdefault(key, []).append(value)
    return samples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.vlist_compare")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds")
    args = parser.parse_args(argv)
    samples = asyncio.run(run(args.rounds))
    print(f"Headless {SIZE[0]}×{SIZE[1]}, medians of {args.rounds} rounds\n")
    print("| list | entries | open → painted (CPU) | end → painted (CPU) | memory left |")
    print("|---|---:|---:|---:|---:|")
    for (name, count), values in sorted(samples.items(), key=lambda item: (item[0][1], item[0][0])):
        m = {key: statistics.median(v) for key, v in values.items()}
        print(
            f"| {name} | {count:,} | {m['open_ms']:.0f} ms ({m['open_cpu_ms']:.0f} ms)"
            f" | {m['end_ms']:.0f} ms ({m['end_cpu_ms']:.0f} ms) | {m['memory_mb']:.1f} MB |"
        )


if __name__ == "__main__":
    main()
