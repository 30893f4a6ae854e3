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
    """Heights of ``count`` entries: measured where known, estimated elsewhere."""

    def __init__(self, count: int, estimate: float) -> None:
        self.count = count
        self.estimate = max(1.0, estimate)
        mean = self.estimate
        self._heights = [floor((i + 1) * mean) - floor(i * mean) for i in range(count)]
        self._measured = bytearray(count)
        self.measured_count = 0
        """How many entries have their real height (a measure of the work done)."""
        tree = [0, *self._heights]
        for i in range(1, count + 1):
            parent = i + (i & -i)
            if parent <= count:
                tree[parent] += tree[i]
        self._tree = tree
        self.total = sum(self._heights)
        """Lines in the whole list, guesses included."""
        self._step = 1 << count.bit_length() if count else 0

    def height(self, index: int) -> int:
        """Lines of one entry (measured or guessed)."""
        return self._heights[index]

    def is_measured(self, index: int) -> bool:
        """Whether ``index`` holds a measured height rather than a guess."""
        return bool(self._measured[index])

    def set(self, index: int, height: int) -> int:
        """Record the measured height of an entry; returns the change in the total."""
        height = max(1, height)
        if not self._measured[index]:
            self._measured[index] = 1
            self.measured_count += 1
        delta = height - self._heights[index]
        if delta:
            self._heights[index] = height
            self.total += delta
            tree = self._tree
            i = index + 1
            while i <= self.count:
                tree[i] += delta
                i += i & -i
        return delta

    def top(self, index: int) -> int:
        """The first line of entry ``index`` (the lines of the entries before it)."""
        tree = self._tree
        total = 0
        i = min(index, self.count)
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
        position = 0
        remaining = line
        step = self._step
        while step:
            probe = position + step
            if probe <= self.count and tree[probe] <= remaining:
                position = probe
                remaining -= tree[probe]
            step >>= 1
        return position, remaining
