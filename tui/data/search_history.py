"""The queries a person typed into the search screen, newest last, kept between sessions.

Searching is mostly searching again: the same query with one word changed, or last
week's query to see what is new.  So the search input walks back through earlier
queries with up and down like a shell, and the list survives a restart in a small JSON
file next to the cache.  A file that cannot be read or written costs the history, never
the search: it is a convenience, so its failures stay quiet.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

HISTORY_FILE = "search-history-v1.json"
HISTORY_LIMIT = 50


def history_path(cache_dir: Path) -> Path:
    """Where the query history of this cache lives (the name carries its format's version)."""
    return cache_dir / HISTORY_FILE


class QueryHistory:
    """The last ``limit`` distinct queries, oldest first, with a shell-like cursor.

    ``older`` and ``newer`` move the cursor and return the query to show; the text being
    typed when the walk began is given back when the walk returns past the newest entry,
    so stepping through the history never loses a half-written query.
    """

    def __init__(
        self,
        entries: list[str] | None = None,
        *,
        path: Path | None = None,
        limit: int = HISTORY_LIMIT,
    ) -> None:
        self.limit = max(1, limit)
        self.path = path
        self.entries: list[str] = list(entries or [])[-self.limit :]
        self._cursor: int | None = None
        self._draft = ""

    @classmethod
    def load(cls, path: Path, *, limit: int = HISTORY_LIMIT) -> QueryHistory:
        """The history stored at ``path``; empty when it is missing or unreadable."""
        entries: list[str] = []
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("queries"), list):
            entries = [q for q in data["queries"] if isinstance(q, str) and q.strip()]
        return cls(entries, path=path, limit=limit)

    def add(self, query: str) -> None:
        """Remember ``query`` as the newest (an earlier copy moves up) and save."""
        text = " ".join(query.split())
        self.reset()
        if not text:
            return
        self.entries = [q for q in self.entries if q != text]
        self.entries.append(text)
        del self.entries[: max(0, len(self.entries) - self.limit)]
        self.save()

    def save(self) -> bool:
        """Write the history atomically; False (and nothing changed) when it cannot."""
        if self.path is None:
            return False
        text = json.dumps({"queries": self.entries}, ensure_ascii=False, indent=0)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".history.", dir=self.path.parent)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, self.path)
        except OSError:
            Path(temp).unlink(missing_ok=True)
            return False
        return True

    def reset(self) -> None:
        """End a walk: the next ``older`` starts again from the newest query."""
        self._cursor = None
        self._draft = ""

    @property
    def walking(self) -> bool:
        """Whether ``older`` has been called since the last reset."""
        return self._cursor is not None

    def older(self, typed: str) -> str | None:
        """The query before the one shown (the newest on the first call), or None."""
        if not self.entries:
            return None
        if self._cursor is None:
            self._draft = typed
            self._cursor = len(self.entries)
        if self._cursor == 0:
            return None
        self._cursor -= 1
        return self.entries[self._cursor]

    def newer(self) -> str | None:
        """The query after the one shown, the draft past the newest, None when not walking."""
        if self._cursor is None:
            return None
        self._cursor += 1
        if self._cursor >= len(self.entries):
            draft = self._draft
            self.reset()
            return draft
        return self.entries[self._cursor]
