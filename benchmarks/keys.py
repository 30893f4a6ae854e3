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
from benchmarks.terminal import QUIET, SIZE, Terminal

REPEAT = 1 / 30  # keyboard auto-repeat
TYPIST_GAP = 0.05  # pause after a typed key's screen has come
TYPIST_WAIT = 10.0  # longest a typist waits for a key's screen
SETTLE = 0.3  # the screen has come to rest (slow pass)
IDLE = 1.0  # a slow key that has drawn nothing by then draws nothing
QUERY = "protein"  # typed into the references filter one key at a time
HELD_WRITE = 0.002  # chunks closer than this are one write of one frame


@dataclass(frozen=True)
class KeyTest:
    """A key sequence that starts and ends in the same state (or is reset to it)."""

    name: str
    keys: tuple[str, ...]
    held: bool
    colours: bool  # compare colours as well as characters
    setup: tuple[str, ...] = ()  # after ``3`` has focused the references pane
    reset: tuple[str, ...] = ()


def filter_test(query: str) -> KeyTest:
    keys = (*query, *["backspace"] * len(query))
    return KeyTest("filter", keys, held=False, colours=False, setup=("/",))


def move_tests(held_count: int) -> list[KeyTest]:
    return [
        KeyTest("G", ("G", "g"), held=False, colours=True),
        KeyTest("pgdn", ("pagedown",) * held_count, held=True, colours=True, reset=("g",)),
        KeyTest("j", ("j",) * (2 * held_count), held=True, colours=True, reset=("g",)),
    ]


class Timeline:
    """The screen after each chunk of output, as one fingerprint per line (characters
    only, or characters and colours), rebuilt from the lines each chunk touched and
    brought up to date on demand, so a typist can wait for a screen."""

    def __init__(self, term: Terminal) -> None:
        self.term = term
        self.times: list[float] = []
        self.plain: list[tuple[int, ...]] = []
        self.coloured: list[tuple[int, ...]] = []
        self._screen = pyte.Screen(*SIZE)
        self._stream = pyte.ByteStream(self._screen)
        self._rows = [0] * SIZE[1]
        self._colour_rows = [0] * SIZE[1]

    def update(self) -> None:
        for when, data in self.term.snapshot()[len(self.times) :]:
            self._stream.feed(data)
            for y in self._screen.dirty:
                if 0 <= y < SIZE[1]:
                    line = self._screen.buffer[y]
                    cells = [line[x] for x in range(SIZE[0])]
                    self._rows[y] = hash("".join(c.data for c in cells))
                    self._colour_rows[y] = hash(
                        tuple((c.data, c.fg, c.bg, c.reverse) for c in cells)
                    )
            self._screen.dirty.clear()
            self.times.append(when)
            self.plain.append(tuple(self._rows))
            self.coloured.append(tuple(self._colour_rows))

    def states(self, colours: bool) -> list[tuple[int, ...]]:
        return self.coloured if colours else self.plain

    def at(self, moment: float, colours: bool) -> tuple[int, ...]:
        """The screen once every chunk that arrived by ``moment`` is shown."""
        self.update()
        index = bisect.bisect_right(self.times, moment) - 1
        return self.states(colours)[index] if index >= 0 else ()

    def first_after(self, moment: float) -> int:
        return bisect.bisect_right(self.times, moment)


def _slow(term: Terminal, keys: Sequence[str]) -> list[float]:
    """Type ``keys`` waiting for rest after each; the moments of rest."""
    rests = []
    for key in keys:
        sent = term.press(key)
        end = term.wait_quiet(sent, SETTLE, timeout=10, idle=IDLE)
        rests.append(max(end, sent) + SETTLE / 2)
        time.sleep(max(0.0, rests[-1] - time.monotonic()))
    return rests


def _timed(line: Timeline, test: KeyTest, expected: list[tuple[int, ...]]) -> list[float]:
    """One pass of the test's keys; the moment each was written.  A typist waits for
    each key's screen (up to ``TYPIST_WAIT``) and pauses before the next key."""
    term = line.term
    sent = []
    for index, key in enumerate(test.keys):
        moment = term.press(key)
        sent.append(moment)
        if test.held:
            time.sleep(max(0.0, moment + REPEAT - time.monotonic()))
            continue
        after, deadline = moment, moment + TYPIST_WAIT
        while time.monotonic() < deadline:
            came = term.wait_quiet(after, timeout=deadline - time.monotonic(), idle=IDLE)
            if line.at(came, test.colours) == expected[index]:
                break
            if came <= after:
                time.sleep(0.005)
            after = came
        time.sleep(TYPIST_GAP)
    term.wait_quiet(sent[-1], SETTLE, timeout=10, idle=IDLE)
    return sent


def run_tests(
    session: Session, size: int, tests: Sequence[KeyTest], passes: int
) -> dict[str, dict[str, Any]]:
    """Open the review of ``size`` references once and time ``passes`` passes of each
    test in turn (moves first: the filter test leaves the filter open)."""
    review = session.reviews[size]
    results = {}
    with Terminal([*pubterm_script(), review.pmid], session.env()) as term:
        line = Timeline(term)
        term.wait_painted(review.expected)
        session.wait_server_quiet(1.0)
        term.wait_quiet(term.start, 1.0, timeout=10)
        rest = _slow(term, ["3"])[-1]
        for test in tests:
            _slow(term, test.setup)
            start_rest = term.wait_quiet(rest, SETTLE, timeout=10, idle=SETTLE) + SETTLE / 2
            time.sleep(max(0.0, start_rest - time.monotonic()))
            baseline = line.at(start_rest, test.colours)
            expected = [line.at(moment, test.colours) for moment in _slow(term, test.keys)]
            if test.reset:
                back = line.at(_slow(term, test.reset)[-1], test.colours)
            else:
                back = expected[-1]
            sends = []
            for _ in range(passes):
                sends.append(_timed(line, test, expected))
                if test.reset:
                    _slow(term, test.reset)
            rest = time.monotonic()
            results[test.name] = (test, expected, sends, baseline, back)
        time.sleep(SETTLE)
        line.update()
    return {name: _analyse(line, *plan) for name, plan in results.items()}


def _analyse(
    line: Timeline,
    test: KeyTest,
    expected: list[tuple[int, ...]],
    sends: list[list[float]],
    baseline: tuple[int, ...],
    back: tuple[int, ...],
) -> dict[str, Any]:
    """Each key's time to the end of the burst (held keys: the write) that first shows
    its state; the first byte after it; how many writes came in between."""
    states = line.states(test.colours)
    gap = HELD_WRITE if test.held else QUIET
    times: list[float] = []
    first_bytes: list[float] = []
    writes: list[int] = []
    unmatched = 0
    for one_pass in sends:
        horizon = one_pass[-1] + 5.0
        for index, sent in enumerate(one_pass):
            wanted = set(expected[index:]) if test.held else {expected[index]}
            start = position = line.first_after(sent)
            if position < len(line.times):
                first_bytes.append((line.times[position] - sent) * 1000)
            found = None
            while position < len(line.times) and line.times[position] <= horizon:
                if states[position] in wanted:
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
            writes.append(
                1
                + sum(
                    1
                    for i in range(start + 1, end + 1)
                    if line.times[i] - line.times[i - 1] >= HELD_WRITE
                )
            )
    return {
        "times": times,
        "first_byte": first_bytes,
        "writes": writes,
        "unmatched": unmatched,
        "keys": len(test.keys) * len(sends),
        "moves_screen": all(a != b for a, b in zip([baseline, *expected], expected, strict=False)),
        "returns_to_start": back == baseline,
    }
