"""diskcache as pubterm opens it: bytes only, and never waiting long for another process.

diskcache retries a locked database without end (60 s per statement while it opens,
forever with ``retry=True``), so another process holding a write transaction on
``cache.db`` would hang pubterm.  Here every wait is bounded by ``BUSY_SECONDS`` and
ends as :class:`Busy`; the caller reads what it can and goes to the network.  The
failures that matter to people are named by :func:`problem_of`: the folder is full, it
is read-only, or another process holds it.
"""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import diskcache

# The write-ahead log is checkpointed every 256 pages (1 MB) and cut back to 1 MB after:
# SQLite's defaults let it stay at its largest (4 MB or more), space a full disk lacks.
WAL_PAGES = 256
WAL_LIMIT_BYTES = 1024 * 1024
# How long a write waits for another process's lock before pubterm gives up on it.
BUSY_SECONDS = 2.0

FULL = "the cache folder is full"
READ_ONLY = "the cache folder is read-only"
BUSY = "the cache is busy (another pubterm?)"


class Refused(ValueError):
    """A cache entry pubterm did not write (pickled): treated as a miss."""


class BytesOnlyDisk(diskcache.Disk):  # type: ignore[misc]
    """diskcache's storage with unpickling refused: a planted row must not run code."""

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode == diskcache.core.MODE_PICKLE:
            raise Refused("pickled cache entry ignored")
        return super().fetch(mode, filename, value, read)


class BoundedCache(diskcache.Cache):  # type: ignore[misc]
    """diskcache.Cache whose set-up statements stop retrying a lock after a while.

    diskcache's ``_sql_retry`` (used while opening and by ``reset``) retries "database
    is locked" for 60 s per statement; this one gives up after ``open_wait`` seconds
    in all, raising the same OperationalError.
    """

    open_wait: float = BUSY_SECONDS

    def __init__(self, directory: str, *, open_wait: float, **kwargs: Any) -> None:
        self.open_wait = open_wait
        self._open_started = time.monotonic()
        try:
            super().__init__(directory, **kwargs)
        except BaseException:
            # A failed open must not keep the database open: a full disk whose files
            # are then deleted would not get the space back while a handle remains.
            self.close()
            raise

    @property
    def _sql_retry(self) -> Callable[..., Any]:
        sql = self._sql
        started = self._open_started

        def execute(statement: str, *args: Any, **kwargs: Any) -> Any:
            while True:
                try:
                    return sql(statement, *args, **kwargs)
                except sqlite3.OperationalError as exc:
                    if str(exc) != "database is locked":
                        raise
                    if time.monotonic() - started >= self.open_wait:
                        raise
                    time.sleep(0.01)

        return execute

    def set_busy_wait(self, seconds: float) -> None:
        """How long this thread's connection waits for a lock (SQLite's busy timeout)."""
        self._sql(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def value_file_names(self) -> set[str]:
        """The value files the rows name, relative to the folder (reads every row)."""
        rows = self._sql("SELECT filename FROM Cache WHERE filename IS NOT NULL")
        return {name for (name,) in rows.fetchall()}

    def compact(self) -> None:
        """Give the space of deleted rows back to the file system (after a clear)."""
        self._sql("VACUUM")
        self._sql("PRAGMA wal_checkpoint(TRUNCATE)")


def open_store(folder: Path, size_limit: int, *, open_wait: float = BUSY_SECONDS) -> BoundedCache:
    return BoundedCache(
        str(folder),
        open_wait=open_wait,
        size_limit=size_limit,
        timeout=BUSY_SECONDS,
        eviction_policy="least-recently-stored",
        disk=BytesOnlyDisk,
        sqlite_wal_autocheckpoint=WAL_PAGES,
        sqlite_journal_size_limit=WAL_LIMIT_BYTES,
    )


def problem_of(exc: BaseException) -> str | None:
    """FULL, READ_ONLY or BUSY when ``exc`` is one of those, else None."""
    if isinstance(exc, diskcache.Timeout):
        return BUSY
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return FULL
        if exc.errno == errno.EROFS:
            return READ_ONLY
        return None
    text = str(exc).lower()
    if "full" in text:
        return FULL
    if "readonly" in text or "read-only" in text:
        return READ_ONLY
    if "locked" in text or "busy" in text:
        return BUSY
    return None


# Errors that say the folder cannot be used now, not that the database is damaged.
_NOT_DAMAGE = (
    "locked",
    "readonly",
    "read-only",
    "unable to open",
    "disk i/o",
    "permission",
    "full",
)


def looks_corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Garbage, a malformed file or another layout (an older diskcache): rebuild it."""
    text = str(exc).lower()
    return not any(word in text for word in _NOT_DAMAGE)


def warning_for(problem: str, folder: Path) -> str:
    """The sentence for a folder that reads but does not keep what is fetched now."""
    if problem is BUSY:
        return f"{BUSY} — reading from the network; records fetched now are not kept"
    return f"{problem} ({folder}): records fetched now are not kept"


def warning_or(exc: BaseException, folder: Path) -> str:
    problem = problem_of(exc)
    return warning_for(problem, folder) if problem is not None else str(exc)
