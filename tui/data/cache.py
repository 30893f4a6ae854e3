"""The disk cache: PubMed records, ID aliases and other answers, for offline reading.

Built on diskcache, which evicts by size and lets several pubterm processes share one
folder.  The cache is a convenience, never a reason to fail: a corrupt database is moved
aside and rebuilt, and a folder that cannot be written turns the cache into a no-op that
says why in ``warning``.  Keys carry a schema version so a future layout change simply
misses old entries instead of misreading them.  Values are plain bytes (a timestamp line,
then the data), so nothing read from the folder is ever unpickled.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import diskcache

SCHEMA = "v1"
DB_FILES = ("cache.db", "cache.db-wal", "cache.db-shm")
# diskcache's own lock timeout: long enough for several processes writing at once.
SQLITE_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class CachedRecord:
    """A record's efetch XML and when it was fetched (UTC), to judge staleness."""

    xml: bytes
    fetched: datetime


@dataclass(frozen=True, slots=True)
class CachedBlob:
    """Any other cached answer (Europe PMC references, links...), with its age."""

    data: bytes
    fetched: datetime


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What ``pubterm cache`` reports, so people can see what the folder costs them."""

    path: Path
    size_bytes: int
    entries: int


def record_key(pmid: str) -> str:
    return f"{SCHEMA}:record:{pmid.strip()}"


def alias_key(kind: str, value: str) -> str:
    """DOIs and PMCIDs are case-insensitive, so the key is lower-cased."""
    return f"{SCHEMA}:alias:{kind.strip().lower()}:{value.strip().lower()}"


def blob_key(namespace: str, key: str) -> str:
    return f"{SCHEMA}:blob:{namespace}:{key}"


def _encode(data: bytes, fetched: datetime | None) -> bytes:
    when = fetched or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat().encode("ascii") + b"\n" + data


def _decode(value: Any) -> tuple[bytes, datetime] | None:
    if not isinstance(value, bytes):
        return None
    stamp, sep, data = value.partition(b"\n")
    if not sep:
        return None
    try:
        when = datetime.fromisoformat(stamp.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data, when if when.tzinfo else when.replace(tzinfo=UTC)


class _BytesOnlyDisk(diskcache.Disk):  # type: ignore[misc]
    """diskcache's storage with unpickling refused: a planted row must not run code."""

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode == diskcache.core.MODE_PICKLE:
            raise _Refused("pickled cache entry ignored")
        return super().fetch(mode, filename, value, read)


class _Refused(ValueError):
    """A cache entry pubterm did not write (pickled): treated as a miss."""


class RecordCache:
    """The cache folder; every method is safe to call even when the cache is unusable."""

    def __init__(self, directory: Path, *, size_limit_mb: float = 512) -> None:
        self.path = Path(directory)
        self.size_limit = int(size_limit_mb * 1024 * 1024)
        self.warning: str | None = None
        self._cache: diskcache.Cache | None = self._open()

    @property
    def usable(self) -> bool:
        return self._cache is not None

    def __repr__(self) -> str:
        return f"RecordCache({str(self.path)!r}, usable={self.usable})"

    def _open(self) -> diskcache.Cache | None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return self._degrade(f"cannot create it ({exc.strerror or exc})")
        if not os.access(self.path, os.W_OK | os.X_OK):
            return self._degrade("it is not writable")
        try:
            return self._cache_at()
        except sqlite3.DatabaseError as exc:
            if not _looks_corrupt(exc):
                return self._degrade(f"cannot open it ({exc})")
            try:
                self._move_aside()
                cache = self._cache_at()
            except (OSError, sqlite3.Error) as again:
                return self._degrade(f"it is damaged and could not be rebuilt ({again})")
            self.warning = f"the cache in {self.path} was damaged; started a new one"
            return cache
        except OSError as exc:
            return self._degrade(f"cannot open it ({exc.strerror or exc})")

    def _cache_at(self) -> diskcache.Cache:
        return diskcache.Cache(
            str(self.path),
            size_limit=self.size_limit,
            timeout=SQLITE_TIMEOUT,
            eviction_policy="least-recently-stored",
            disk=_BytesOnlyDisk,
        )

    def _move_aside(self) -> None:
        """Rename the database files (only those: the folder may hold other things)."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for name in DB_FILES:
            old = self.path / name
            if old.exists():
                old.rename(self.path / f"{name}.broken-{stamp}-{os.getpid()}")

    def _degrade(self, why: str) -> diskcache.Cache | None:
        """No cache at all (always None), with the reason kept for the user."""
        self.warning = f"cache disabled: {self.path}: {why}"
        return None

    # -- access --------------------------------------------------------------------------
    def _get(self, key: str) -> tuple[bytes, datetime] | None:
        if self._cache is None:
            return None
        try:
            return _decode(self._cache.get(key, retry=True))
        except _Refused:
            return None
        except (sqlite3.Error, OSError, diskcache.Timeout) as exc:
            self.warning = f"cache read failed: {exc}"
            return None

    def _set(self, key: str, value: bytes) -> None:
        if self._cache is None:
            return
        try:
            self._cache.set(key, value, retry=True)
        except (sqlite3.Error, OSError, diskcache.Timeout) as exc:
            self.warning = f"cache write failed: {exc}"

    def get_record(self, pmid: str) -> CachedRecord | None:
        found = self._get(record_key(pmid))
        return CachedRecord(*found) if found else None

    def put_record(self, pmid: str, xml: bytes, fetched: datetime | None = None) -> None:
        self._set(record_key(pmid), _encode(xml, fetched))

    def get_alias(self, kind: str, value: str) -> str | None:
        """The PMID a DOI or PMCID resolved to earlier."""
        found = self._get(alias_key(kind, value))
        return found[0].decode("ascii", "replace") if found else None

    def put_alias(self, kind: str, value: str, pmid: str) -> None:
        self._set(alias_key(kind, value), _encode(pmid.encode("ascii"), None))

    def get_blob(self, namespace: str, key: str) -> CachedBlob | None:
        found = self._get(blob_key(namespace, key))
        return CachedBlob(*found) if found else None

    def put_blob(
        self, namespace: str, key: str, data: bytes, fetched: datetime | None = None
    ) -> None:
        self._set(blob_key(namespace, key), _encode(data, fetched))

    # -- housekeeping ----------------------------------------------------------------------
    def stats(self) -> CacheStats:
        if self._cache is None:
            return CacheStats(self.path, 0, 0)
        try:
            return CacheStats(self.path, int(self._cache.volume()), len(self._cache))
        except (sqlite3.Error, OSError, diskcache.Timeout):
            return CacheStats(self.path, 0, 0)

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        if self._cache is None:
            return 0
        try:
            return int(self._cache.clear(retry=True))
        except (sqlite3.Error, OSError, diskcache.Timeout) as exc:
            self.warning = f"cache clear failed: {exc}"
            return 0

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def __enter__(self) -> RecordCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def _looks_corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Garbage, a malformed file or another layout (an older diskcache): rebuild it."""
    text = str(exc).lower()
    return not any(word in text for word in _NOT_DAMAGE)
