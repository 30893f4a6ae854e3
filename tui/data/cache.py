"""The disk cache: PubMed records, ID aliases and other answers, for offline reading.

Built on diskcache, which evicts by size and lets several pubterm processes share one
folder.  The cache is a convenience, never a reason to fail: a corrupt database is moved
aside and rebuilt (under a lock, so concurrent starts keep one rebuild), a folder that is
full, read-only or held by another process is still read, a write that fails is counted
and said once in words, and a folder that cannot be used at all turns the cache into a
no-op that says why in ``warning``.  Keys and values: :mod:`tui.data.cache_values`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import diskcache

from tui.data.cache_files import (
    DB_FILES,
    ReadOnlyRows,
    disk_bytes,
    owned_files,
    rebuild_lock,
    sweep_orphans,
    wipe,
)
from tui.data.cache_store import (
    BUSY,
    BUSY_SECONDS,
    FULL,
    READ_ONLY,
    BoundedCache,
    Refused,
    looks_corrupt,
    open_store,
    problem_of,
    warning_for,
    warning_or,
)
from tui.data.cache_values import (
    SCHEMA,
    CachedBlob,
    CachedRecord,
    CacheStats,
    alias_key,
    blob_key,
    record_key,
)
from tui.data.cache_values import decode as _decode
from tui.data.cache_values import encode as _encode

__all__ = [
    "SCHEMA",
    "CacheStats",
    "CachedBlob",
    "CachedRecord",
    "RecordCache",
    "alias_key",
    "blob_key",
    "record_key",
]


class RecordCache:
    """The cache folder; every method is safe to call even when the cache is unusable.

    Opened for writing when it can be; when the folder is full, read-only or held by
    another process, what it holds is still read (``ReadOnlyRows``) and every write
    that fails is remembered: ``unkept`` holds the keys not written, ``problem`` says
    why in words that follow a count ("the cache folder is full").
    """

    def __init__(self, directory: Path, *, size_limit_mb: float = 512) -> None:
        self.path = Path(directory)
        self.size_limit = int(size_limit_mb * 1024 * 1024)
        self.warning: str | None = None
        self.problem: str | None = None
        self.unkept: set[str] = set()
        self._rows: ReadOnlyRows | None = None
        self._waiting = True  # writes wait BUSY_SECONDS for a lock; not after one timed out
        self._cache: BoundedCache | None = self._open()

    @property
    def usable(self) -> bool:
        return self._cache is not None or self._rows is not None

    def __repr__(self) -> str:
        return f"RecordCache({str(self.path)!r}, usable={self.usable})"

    def _open(self) -> BoundedCache | None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return self._degrade(f"cannot create it ({exc.strerror or exc})")
        if not os.access(self.path, os.W_OK | os.X_OK):
            return self._read_only(READ_ONLY, "it is not writable")
        try:
            cache = open_store(self.path, self.size_limit)
        except sqlite3.DatabaseError as exc:
            problem = problem_of(exc)
            if problem is not None:
                return self._read_only(problem, str(exc))
            if not looks_corrupt(exc):
                return self._degrade(f"cannot open it ({exc})")
            return self._rebuild()
        except OSError as exc:
            problem = problem_of(exc)
            if problem is not None:
                return self._read_only(problem, exc.strerror or str(exc))
            return self._degrade(f"cannot open it ({exc.strerror or exc})")
        sweep_orphans(self.path, cache.value_file_names)  # left by a killed write
        return cache

    def _rebuild(self) -> BoundedCache | None:
        """Move a damaged database aside and start a new one, under the folder's lock;
        a database another process rebuilt meanwhile opens and is kept."""
        try:
            with rebuild_lock(self.path):
                try:
                    return open_store(self.path, self.size_limit)
                except sqlite3.DatabaseError as exc:
                    if not looks_corrupt(exc):
                        raise
                self._move_aside()
                cache = open_store(self.path, self.size_limit)
        except (OSError, sqlite3.Error) as again:
            return self._degrade(f"it is damaged and could not be rebuilt ({again})")
        self.warning = f"the cache in {self.path} was damaged; started a new one"
        return cache

    def _read_only(self, problem: str, why: str) -> BoundedCache | None:
        """Read what the folder holds; no writes (always None for the writable cache)."""
        self.problem = problem
        try:
            self._rows = ReadOnlyRows(self.path, timeout=BUSY_SECONDS)
        except sqlite3.Error:
            return self._degrade(why if problem is READ_ONLY else f"{problem} ({why})")
        self.warning = warning_for(problem, self.path)
        return None

    def _move_aside(self) -> None:
        """Rename the database files (only those: the folder may hold other things)."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for name in DB_FILES:
            old = self.path / name
            if old.exists():
                old.rename(self.path / f"{name}.broken-{stamp}-{os.getpid()}")

    def _degrade(self, why: str) -> BoundedCache | None:
        """No cache at all (always None), with the reason kept for the user."""
        self.warning = f"cache disabled: {self.path}: {why}"
        self.problem = "the cache is disabled"
        return None

    # -- access --------------------------------------------------------------------------
    def _get(self, key: str) -> tuple[bytes, datetime] | None:
        try:
            if self._cache is not None:
                return _decode(self._cache.get(key))
            if self._rows is not None:
                return _decode(self._rows.get(key))
        except Refused:
            return None
        except (sqlite3.Error, OSError, diskcache.Timeout) as exc:
            self.warning = f"cache read failed: {exc}"
        return None

    def _set(self, key: str, value: bytes) -> bool:
        """Write one entry; False (and the key in ``unkept``) when it was not written."""
        if self._cache is None and self.problem is BUSY:
            self._cache = self._reopen()
        cache = self._cache
        if cache is None:
            self.unkept.add(key)
            return False
        try:
            cache.set(key, value, retry=False)
        except (sqlite3.Error, OSError, diskcache.Timeout) as exc:
            self._failed(cache, key, exc)
            return False
        self.unkept.discard(key)
        if not self._waiting:  # the lock is gone: wait for the next one again
            self._waiting = True
            cache.set_busy_wait(BUSY_SECONDS)
        return True

    def _failed(self, cache: BoundedCache, key: str, exc: BaseException) -> None:
        self.unkept.add(key)
        problem = problem_of(exc)
        self.problem = problem or f"the cache could not write ({exc})"
        if problem is None:
            self.warning = f"cache write failed: {exc}"
            return
        self.warning = warning_for(problem, self.path)
        if problem is BUSY and self._waiting:
            # Waited once; until a write succeeds, try each without waiting.
            self._waiting = False
            with contextlib.suppress(sqlite3.Error):
                cache.set_busy_wait(0)

    def _reopen(self) -> BoundedCache | None:
        """The writable cache, if the process that held it has let go (no waiting)."""
        try:
            cache = open_store(self.path, self.size_limit, open_wait=0)
        except (sqlite3.Error, OSError):
            return None
        if self._rows is not None:
            self._rows.close()
            self._rows = None
        return cache

    def get_record(self, pmid: str) -> CachedRecord | None:
        found = self._get(record_key(pmid))
        return CachedRecord(*found) if found else None

    def put_record(self, pmid: str, xml: bytes, fetched: datetime | None = None) -> bool:
        """Keep a record; False when it could not be written (see ``problem``)."""
        return self._set(record_key(pmid), _encode(xml, fetched))

    def get_alias(self, kind: str, value: str) -> str | None:
        """The PMID a DOI or PMCID resolved to earlier."""
        found = self._get(alias_key(kind, value))
        return found[0].decode("ascii", "replace") if found else None

    def put_alias(self, kind: str, value: str, pmid: str) -> bool:
        return self._set(alias_key(kind, value), _encode(pmid.encode("ascii"), None))

    def get_blob(self, namespace: str, key: str) -> CachedBlob | None:
        found = self._get(blob_key(namespace, key))
        return CachedBlob(*found) if found else None

    def put_blob(
        self, namespace: str, key: str, data: bytes, fetched: datetime | None = None
    ) -> bool:
        return self._set(blob_key(namespace, key), _encode(data, fetched))

    # -- housekeeping ----------------------------------------------------------------------
    def stats(self) -> CacheStats:
        """Entries, and the bytes the cache's files really take on disk."""
        size = disk_bytes(owned_files(self.path))
        try:
            if self._cache is not None:
                return CacheStats(self.path, size, len(self._cache))
            if self._rows is not None:
                return CacheStats(self.path, size, self._rows.count())
        except (sqlite3.Error, OSError, diskcache.Timeout):
            pass
        return CacheStats(self.path, size, 0)

    def clear(self) -> int:
        """Remove every entry and give the space back; returns how many went."""
        before = self.stats().entries
        if self._cache is not None:
            try:
                self._cache.clear(retry=False)
                self._cache.compact()
                return before - self.stats().entries
            except (sqlite3.Error, OSError, diskcache.Timeout) as exc:
                self.problem = problem_of(exc)
                if self.problem is not FULL:
                    self.warning = f"cache clear failed: {warning_or(exc, self.path)}"
                    return before - self.stats().entries
        elif self.problem is not FULL:
            self.warning = f"cache clear failed: {self.warning}"
            return 0
        # A full disk refuses even deletes (they need journal space): delete the files.
        self.close()
        with rebuild_lock(self.path):
            wipe(self.path)
        self.problem = self.warning = None
        self._cache = self._open()
        return before - self.stats().entries

    def close(self) -> None:
        """Close this thread's connection (diskcache keeps one per thread)."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        if self._rows is not None:
            self._rows.close()
            self._rows = None

    def __enter__(self) -> RecordCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
