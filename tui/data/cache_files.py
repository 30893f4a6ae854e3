"""The cache folder as files: what it costs on disk, reading it when it cannot be written,
cleaning up after a killed write, and emptying it when the disk is full.

diskcache needs to write to open a folder (it updates its settings row on every open),
so a full disk, a read-only folder or another process's held lock would otherwise make
records that are on disk unreadable.  :class:`ReadOnlyRows` reads diskcache's ``Cache``
table directly with a read-only SQLite connection instead: raw byte values only (what
pubterm writes), from the row or from the value file it names; nothing is unpickled.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

DB_FILES = ("cache.db", "cache.db-wal", "cache.db-shm")
LOCK_FILE = "rebuild.lock"
# diskcache's value files: two levels of two hex digits, then 28 hex digits and ".val".
_VALUE_FILE = re.compile(r"[0-9a-f]{28}\.val")
_HEX2 = re.compile(r"[0-9a-f]{2}")
# diskcache's storage modes (diskcache.core.MODE_*): only raw bytes are pubterm's.
MODE_RAW = 1
MODE_BINARY = 2
# A value file this old with no row naming it was left by a killed write: diskcache
# writes the file just before inserting its row, so a younger one may be in flight.
ORPHAN_AGE_SECONDS = 300.0


def value_files(folder: Path) -> Iterator[Path]:
    """diskcache's value files in ``folder`` (``ab/cd/<28 hex>.val``), nothing else."""
    for top in _hex_dirs(folder):
        for sub in _hex_dirs(top):
            with contextlib.suppress(OSError), os.scandir(sub) as entries:
                for entry in entries:
                    if _VALUE_FILE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                        yield Path(entry.path)


def _hex_dirs(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return [
                Path(e.path)
                for e in entries
                if _HEX2.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
            ]
    except OSError:
        return []


def owned_files(folder: Path) -> list[Path]:
    """Every file of the cache: the database, its journal files and the value files."""
    db = [folder / name for name in DB_FILES if (folder / name).is_file()]
    return db + list(value_files(folder))


def disk_bytes(files: Iterable[Path]) -> int:
    """What the files really take on disk (allocated blocks, as ``du`` counts)."""
    total = 0
    for path in files:
        with contextlib.suppress(OSError):
            st = path.stat()
            total += getattr(st, "st_blocks", 0) * 512 or st.st_size
    return total


def old_value_files(folder: Path) -> list[Path]:
    """Value files old enough that, were no row to name them, they would be orphans."""
    cutoff = time.time() - ORPHAN_AGE_SECONDS
    old = []
    for path in value_files(folder):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                old.append(path)
    return old


def sweep_orphans(folder: Path, referenced: Callable[[], set[str]]) -> int:
    """Delete old value files no row names; returns how many went.

    ``referenced()`` gives the rows' file names relative to ``folder`` ("ab/cd/x.val").
    Most records are small enough to live in their row, so there are rarely value files
    to look at; only when some are old is it called (it reads the whole table).
    """
    candidates = old_value_files(folder)
    if not candidates:
        return 0
    try:
        names = referenced()
    except sqlite3.Error:
        return 0
    removed = 0
    for path in candidates:
        if path.relative_to(folder).as_posix() not in names:
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


@contextlib.contextmanager
def rebuild_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the folder, held while a damaged database is replaced, so
    that one process never moves aside a database another has just rebuilt."""
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class ReadOnlyRows:
    """diskcache's rows read through a read-only connection, for a folder that cannot
    be written (full, read-only, or locked by another process's write)."""

    def __init__(self, folder: Path, *, timeout: float) -> None:
        self.folder = folder
        db = folder / DB_FILES[0]
        if not db.is_file():
            raise sqlite3.OperationalError("unable to open database file")
        uri = f"file:{quote(str(db))}"
        try:
            self._con = self._connect(f"{uri}?mode=ro", timeout)
        except sqlite3.Error:
            # Without a -shm file that can be created (read-only media) SQLite opens a
            # WAL database only as immutable: what was checkpointed reads, as it is.
            self._con = self._connect(f"{uri}?immutable=1", timeout)

    @staticmethod
    def _connect(uri: str, timeout: float) -> sqlite3.Connection:
        con = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
        try:
            con.execute("SELECT count(*) FROM Cache").fetchall()
        except sqlite3.Error:
            con.close()
            raise
        return con

    def get(self, key: str) -> bytes | None:
        # fetchall, not fetchone: a cursor left open would hold an old snapshot.
        rows = self._con.execute(
            "SELECT mode, filename, value FROM Cache WHERE key = ? AND raw = 1"
            " AND (expire_time IS NULL OR expire_time > ?)",
            (key, time.time()),
        ).fetchall()
        if not rows:
            return None
        mode, filename, value = rows[0]
        if mode == MODE_RAW and isinstance(value, bytes):
            return value
        if mode == MODE_BINARY and isinstance(filename, str):
            try:
                return (self.folder / filename).read_bytes()
            except OSError:
                return None
        return None

    def count(self) -> int:
        ((n,),) = self._con.execute("SELECT count(*) FROM Cache").fetchall()
        return int(n)

    def close(self) -> None:
        self._con.close()


def wipe(folder: Path) -> None:
    """Delete the cache's own files (value files first: they free the most space).

    Only for a database that cannot be emptied in place (a full disk refuses even the
    deletes, which need journal space); the caller holds :func:`rebuild_lock`.
    """
    for path in value_files(folder):
        with contextlib.suppress(OSError):
            path.unlink()
    for top in _hex_dirs(folder):
        for sub in _hex_dirs(top):
            with contextlib.suppress(OSError):
                sub.rmdir()
        with contextlib.suppress(OSError):
            top.rmdir()
    for name in DB_FILES:
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
