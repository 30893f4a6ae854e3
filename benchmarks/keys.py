"""Keys in the references pane, timed on the terminal from the byte sent to the paint.

The reader is opened on a warm cache and left to settle.  Each key sequence is first
typed slowly, waiting for the screen to rest after every key: the screen then (rebuilt
with ``pyte``) is what that key must show, its expected state.  That slow pass doubles
as the warm-up and is not counted.  In the timed passes a key's time runs from writing
its byte on the master side to the end of the output burst after which the screen
shows the key's expected state (every character; for moves, the colours too, which is
where a highlight shows).  Typed keys go one at a time at a typist's pace; held keys go
every 33 ms (a keyboard's auto-repeat) whether or not the last one has been painted,
and a key whose state is skipped over is painted by the first later state.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyte

from benchmarks.session import Session, pubterm_script
from benchmarks.terminal import SIZE, Terminal

REPEAT = 1 / 30  # keyboard auto-repeat
TYPIST_GAP = 0.05  # pause after a typed key's burst has ended
SETTLE = 0.3  # the screen has come to rest (slow pass)
HELD_WRITE = 0.002  # chunks closer than this are one write of one frame


@dataclass(frozen=True)
class KeyTest:
    """A key sequence that starts and ends in the same state (or is reset to it)."""

    name: str
    keys: tuple[str, ...]
    held: bool
    colours: bool  # compare colours as well as characters
    setup: tuple[str, ...] = ("3",)
    reset: tuple[str, ...] = ()


def filter_test(query: str) -> KeyTest:
    keys = (*query, *["backspace"] * len(query))
    return KeyTest("filter", keys, held=False, colours=False, setup=("3", "/"))


def move_tests(held_count: int) -> list[KeyTest]:
    return [
        KeyTest("G", ("G", "g"), held=False, colours=True),
        KeyTest("pgdn", ("pagedown",) * held_count, held=True, colours=True, reset=("g",)),
        KeyTest("j", ("j",) * (2 * held_count), held=True, colours=True, reset=("g",)),
    ]


class Timeline:
    """The screen after each chunk of output, as a fingerprint per line (characters
    only, or characters and colours), rebuilt from the lines each chunk touched."""

    def __init__(self, term: Terminal, colours: bool) -> None:
        self.chunks = term.snapshot()
        self.times = [when for when, _ in self.chunks]
        screen = pyte.Screen(*SIZE)
        stream = pyte.ByteStream(screen)
        rows: list[int] = [0] * SIZE[1]
        self.states: list[tuple[int, ...]] = []
        for _, data in self.chunks:
            stream.feed(data)
            for y in screen.dirty:
                if 0 <= y < SIZE[1]:
                    line = screen.buffer[y]
                    cells = [line[x] for x in range(SIZE[0])]
                    if colours:
                        rows[y] = hash(tuple((c.data, c.fg, c.bg, c.reverse) for c in cells))
                    else:
                        rows[y] = hash("".join(c.data for c in cells))
            screen.dirty.clear()
            self.states.append(tuple(rows))

    def at(self, moment: float) -> tuple[int, ...]:
        """The screen once every chunk that arrived by ``moment`` is shown."""
        index = bisect.bisect_right(self.times, moment) - 1
        return self.states[index] if index >= 0 else ()

    def first_after(self, moment: float) -> int:
        return bisect.bisect_right(self.times, moment)


def _slow(term: Terminal, keys: Sequence[str]) -> list[float]:
    """Type ``keys`` waiting for rest after each; the moments of rest."""
    rests = []
    for key in keys:
        sent = term.press(key)
        end = term.wait_quiet(sent, SETTLE, timeout=5)
        rests.append(max(end, sent) + SETTLE / 2)
        time.sleep(max(0.0, rests[-1] - time.monotonic()))
    return rests


def _timed(term: Terminal, test: KeyTest) -> list[float]:
    sent = []
    for key in test.keys:
        moment = term.press(key)
        sent.append(moment)
        if test.held:
            time.sleep(max(0.0, moment + REPEAT - time.monotonic()))
        else:
            term.wait_quiet(moment, timeout=3)
            time.sleep(TYPIST_GAP)
    term.wait_quiet(sent[-1], SETTLE, timeout=5)
    return sent


def run_test(session: Session, size: int, test: KeyTest, passes: int) -> dict[str, Any]:
    """Open the review of ``size`` references and time ``passes`` passes of ``test``."""
    review = session.reviews[size]
    with Terminal([*pubterm_script(), review.pmid], session.env()) as term:
        term.wait_painted(review.expected)
        session.wait_server_quiet(1.0)
        base = term.wait_quiet(term.start, 1.0, timeout=10)
        _slow(term, test.setup)
        start_rest = term.wait_quiet(base, SETTLE, timeout=5) + SETTLE / 2
        time.sleep(max(0.0, start_rest - time.monotonic()))
        rests = _slow(term, test.keys)
        reset_rests = _slow(term, test.reset) if test.reset else []
        sends = []
        for _ in range(passes):
            sends.append(_timed(term, test))
            if test.reset:
                _slow(term, test.reset)
        time.sleep(SETTLE)
    return _analyse(term, test, start_rest, rests, reset_rests, sends)


def _analyse(
    term: Terminal,
    test: KeyTest,
    start_rest: float,
    rests: list[float],
    reset_rests: list[float],
    sends: list[list[float]],
) -> dict[str, Any]:
    line = Timeline(term, test.colours)
    baseline = line.at(start_rest)
    expected = [line.at(moment) for moment in rests]
    back = line.at(reset_rests[-1]) if reset_rests else expected[-1]
    gap = HELD_WRITE if test.held else 0.015
    times: list[float] = []
    first_bytes: list[float] = []
    unmatched = 0
    for one_pass in sends:
        horizon = one_pass[-1] + 5.0
        for index, sent in enumerate(one_pass):
            wanted = set(expected[index:]) if test.held else {expected[index]}
            position = line.first_after(sent)
            if position < len(line.times):
                first_bytes.append((line.times[position] - sent) * 1000)
            found = None
            while position < len(line.times) and line.times[position] <= horizon:
                if line.states[position] in wanted:
                    found = position
                    break
                position += 1
            if found is None:
                unmatched += 1
                continue
            end = found
            while end + 1 < len(line.times) and line.times[end + 1] - line.times[end] < gap:
                end += 1
            times.append((line.times[end] - sent) * 1000)
    return {
        "times": times,
        "first_byte": first_bytes,
        "unmatched": unmatched,
        "keys": len(test.keys) * len(sends),
        "moves_screen": all(a != b for a, b in zip([baseline, *expected], expected, strict=False)),
        "returns_to_start": back == baseline,
    }
