"""The cyclic garbage collector kept off the keys: what lives long is frozen out of its
full passes, and no full pass starts while keys are coming in.

Once the first record is on screen, and again once a full text is shown and measured,
most of the objects made so far (Textual and the widget tree, a text's blocks, contents
and heights) live until the reader leaves them.  The collector's full passes walk every
such object again (a 600-reference review's text adds some 50,000: a pass of 11–12 ms,
landing on whichever key is pressed then).  Collecting once and freezing what survives
keeps those passes to the objects made since; refcounting still frees a frozen object
once nothing holds it.

Scrolling a long text still makes lines to keep (every page drawn ahead), and a full
pass over them grew from 6 to 18 ms within forty ``pgdn`` presses, one pass every nine
keys.  So while keys arrive the full passes wait (:class:`FullPasses`); the young
generations are still collected as usual, and the waiting pass runs once the keyboard
has been quiet for a moment.
"""

from __future__ import annotations

import gc

HELD = 1_000_000
"""The collector's third threshold while keys arrive: no full pass is due before it."""

QUIET = 0.8
"""Seconds without a key after which full passes may run again."""


def freeze_survivors() -> None:
    """Collect the garbage there is now, then exempt the survivors from full passes."""
    gc.collect()
    gc.freeze()


class FullPasses:
    """Holds the collector's full passes off from the first key until a quiet moment."""

    def __init__(self) -> None:
        self._kept: tuple[int, int, int] | None = None

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
        """The keyboard is quiet: full passes are due as usual again."""
        if self._kept is not None:
            gc.set_threshold(*self._kept)
            self._kept = None
