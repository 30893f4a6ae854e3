"""Line counts of a long list's entries, most of them guessed, with fast line lookups.

A virtual list measures only the entries it shows; every other entry is given an
estimated height so that the list has a total (the scrollbar) and each entry a first
line.  Measuring an entry replaces its guess, one entry at a time, and a Fenwick tree
keeps "which entry holds line y" and "where does entry i start" at O(log n) for any
length, so 20,000 references cost the same per key as 600.

Guesses are spread so that their sum follows the estimated mean exactly (an estimate of
2.4 gives heights 2, 2, 3, 2, 3, …): the total is as good as the estimate, not rounded
once per entry.  Nothing here knows of Textual.
"""

from __future__ import annotations

from math import floor


class HeightMap:
    """Heights of ``count`` entries: measured where known, estimated elsewhere.

    Entry ``i`` is guessed at ``floor((i + 1) * m) - floor(i * m)`` lines for an
    estimated mean ``m``, so the guesses need no storage: the tree holds only how far
    each measured entry is from its guess, and a new list costs a few zero-filled arrays.
    """

    def __init__(self, count: int, estimate: float) -> None:
        self.count = count
        self.estimate = max(1.0, estimate)
        self._delta = [0] * count
        self._tree = [0] * (count + 1)
        self._measured = bytearray(count)
        self.measured_count = 0
        """How many entries have their real height (a measure of the work done)."""
        self.total = self._guess(count)
        """Lines in the whole list, guesses included."""
        self._step = 1 << count.bit_length() if count else 0

    def _guess(self, index: int) -> int:
        """Guessed lines of the first ``index`` entries."""
        return floor(index * self.estimate)

    def height(self, index: int) -> int:
        """Lines of one entry (measured or guessed)."""
        return self._guess(index + 1) - self._guess(index) + self._delta[index]

    def is_measured(self, index: int) -> bool:
        """Whether ``index`` holds a measured height rather than a guess."""
        return bool(self._measured[index])

    def set(self, index: int, height: int) -> int:
        """Record the measured height of an entry; returns the change in the total."""
        if not self._measured[index]:
            self._measured[index] = 1
            self.measured_count += 1
        change = max(1, height) - self.height(index)
        if change:
            self._delta[index] += change
            self.total += change
            tree = self._tree
            i = index + 1
            while i <= self.count:
                tree[i] += change
                i += i & -i
        return change

    def top(self, index: int) -> int:
        """The first line of entry ``index`` (the lines of the entries before it)."""
        index = min(max(0, index), self.count)
        tree = self._tree
        total = self._guess(index)
        i = index
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    def locate(self, line: int) -> tuple[int, int]:
        """(entry, line within that entry) holding ``line``, clamped to the list."""
        if not self.count:
            return 0, 0
        line = min(max(0, line), self.total - 1)
        tree = self._tree
        estimate = self.estimate
        # Binary lifting over the tree, with each probe's guessed lines added back: the
        # largest ``position`` whose first line is at or before ``line``.
        position = 0
        changes = 0
        step = self._step
        while step:
            probe = position + step
            if probe <= self.count and floor(probe * estimate) + changes + tree[probe] <= line:
                position = probe
                changes += tree[probe]
            step >>= 1
        return position, line - floor(position * estimate) - changes
