"""The interpreter kept off the keys: what lives long is frozen out of the cyclic
collector's full passes, no full pass (nor a freeze) starts while keys are coming in,
and a thread parsing in the background hands the interpreter back quickly.

Once the first record is on screen, and again once a full text is shown and measured,
most of the objects made so far (Textual and the widget tree, a text's blocks, contents
and heights) live until the reader leaves them.  The collector's full passes walk every
such object again (a 600-reference review's text adds some 50,000: a pass of 11–12 ms,
landing on whichever key is pressed then).  Collecting once and freezing what survives
keeps those passes to the objects made since; refcounting still frees a frozen object
once nothing holds it.

Scrolling a long text still makes lines to keep (every page drawn ahead), and a full
pass over them grew from 6 to 18 ms within forty ``pgdn`` presses, one pass every nine
keys.  So while keys arrive the full passes wait (:data:`PASSES`); the young
generations are still collected as usual, and what waited runs once the keyboard has
been quiet for a moment.

A worker thread measuring a long text holds the interpreter for 5 ms at a time (Python's
switch interval) whenever the event loop wants it back, so the first keys after the
text opens waited up to 5 ms more, several times a frame.  While such a thread works
(:func:`handing_back`) the interval is 1 ms.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

HELD = 1_000_000
"""The collector's third threshold while keys arrive: no full pass is due before it."""

QUIET = 0.8
"""Seconds without a key after which full passes may run again."""

SWITCH = 0.001
"""Python's switch interval while a background thread parses (the default is 5 ms)."""


class FullPasses:
    """Holds the collector's full passes (and freezes) off from the first key until a
    quiet moment; one for the process, as the collector is (:data:`PASSES`)."""

    def __init__(self) -> None:
        self._kept: tuple[int, int, int] | None = None
        self._freeze_due = False

    @property
    def held(self) -> bool:
        return self._kept is not None

    def hold(self) -> None:
        """A key arrived: no full pass until :meth:`release`."""
        if self._kept is None:
            first, second, third = gc.get_threshold()
            self._kept = (first, second, third)
            gc.set_threshold(first, second, HELD)

    def release(self) -> None:
        """The keyboard is quiet: full passes are due as usual again, and a freeze
        asked for meanwhile runs now."""
        if self._kept is not None:
            gc.set_threshold(*self._kept)
            self._kept = None
        if self._freeze_due:
            self._freeze_due = False
            _collect_and_freeze()

    def freeze_survivors(self) -> None:
        """Collect the garbage there is now, then exempt the survivors from full passes;
        while keys arrive, once they stop (a collection is a full pass: 11 ms)."""
        if self.held:
            self._freeze_due = True
        else:
            _collect_and_freeze()


def _collect_and_freeze() -> None:
    gc.collect()
    gc.freeze()


PASSES = FullPasses()
freeze_survivors = PASSES.freeze_survivors

_lock = threading.Lock()
_working = 0
_interval = sys.getswitchinterval()


@contextmanager
def handing_back() -> Iterator[None]:
    """Around a background thread's parsing: the event loop waits at most
    :data:`SWITCH` for the interpreter whenever it wants it back."""
    global _working, _interval
    with _lock:
        if _working == 0:
            _interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval, SWITCH))
        _working += 1
    try:
        yield
    finally:
        with _lock:
            _working -= 1
            if _working == 0:
                sys.setswitchinterval(_interval)
