"""Which references a filter lets through, worked out incrementally as it is typed.

Typing a filter narrows it one key at a time: every reference matching "carbap" also
matches "carba", so when the new needle holds the previous one only the previous matches
need looking at.  At 20,000 references that turns each key after the first into a scan
of a few hundred strings.  Textual-free, so it is tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tui.screens.reading_state import needle_of

__all__ = ["ReferenceFilter", "needle_of"]


class ReferenceFilter:
    """The haystacks of one list and the last match set, to narrow from."""

    def __init__(self, count: int, haystack: Callable[[int], str]) -> None:
        self.count = count
        self._haystack = haystack
        self._hays: list[str | None] = [None] * count
        self._last: tuple[str, list[int]] | None = None

    def hay(self, index: int) -> str:
        """What the filter searches in entry ``index``, made on first use."""
        hay = self._hays[index]
        if hay is None:
            hay = self._hays[index] = self._haystack(index)
        return hay

    def changed(self, indexes: Sequence[int]) -> None:
        """These entries' facts changed (a title resolved): search them afresh."""
        for index in indexes:
            self._hays[index] = None
        self._last = None

    def matches(self, text: str) -> list[int]:
        """Indexes of the entries matching ``text``, in order; all of them for ""."""
        needle = needle_of(text)
        if not needle:
            return list(range(self.count))
        last = self._last
        pool: Sequence[int] = (
            last[1] if last is not None and last[0] in needle else range(self.count)
        )
        found = [i for i in pool if needle in self.hay(i)]
        self._last = (needle, found)
        return found
