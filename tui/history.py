"""A browser-like history of the records visited in the reader.

Walking from a review into a cited paper and back is the reader's main movement, so it
behaves the way people expect from a web browser: visiting a new record after going back
drops the forward entries, and visiting the record already shown does not add a step.
Kept free of Textual so the rules can be tested on their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class History(Generic[T]):
    """A stack of visited entries with a cursor at the one shown now.

    ``limit`` bounds memory in long sessions: the oldest entries fall off first.
    """

    def __init__(self, limit: int = 200) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._entries: list[T] = []
        self._index = -1
        self._limit = limit

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[T]:
        return iter(self._entries)

    @property
    def current(self) -> T | None:
        """The entry shown now, or None before the first visit."""
        return self._entries[self._index] if self._index >= 0 else None

    @property
    def can_go_back(self) -> bool:
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        return 0 <= self._index < len(self._entries) - 1

    def visit(self, entry: T) -> None:
        """Record that ``entry`` is now shown; forward entries are dropped."""
        if self.current == entry:
            return
        del self._entries[self._index + 1 :]
        self._entries.append(entry)
        overflow = len(self._entries) - self._limit
        if overflow > 0:
            del self._entries[:overflow]
        self._index = len(self._entries) - 1

    def replace_current(self, entry: T) -> None:
        """Put ``entry`` in place of the one shown now (the same step, updated: the
        reader's place in it, say).  Nothing happens before the first visit."""
        if self._index >= 0:
            self._entries[self._index] = entry

    def peek_back(self) -> T | None:
        """The entry ``back()`` would return, without moving."""
        return self._entries[self._index - 1] if self.can_go_back else None

    def back(self) -> T | None:
        """Step back and return the entry now current, or None (and stay) at the start."""
        if not self.can_go_back:
            return None
        self._index -= 1
        return self._entries[self._index]

    def forward(self) -> T | None:
        """Step forward again after ``back()``; None (and stay) at the newest entry."""
        if not self.can_go_forward:
            return None
        self._index += 1
        return self._entries[self._index]
