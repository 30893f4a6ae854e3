"""What the cache stores: versioned keys, and values of plain bytes with their fetch time.

Keys carry a schema version so a future layout change simply misses old entries instead
of misreading them.  Values are a timestamp line, then the data, so nothing read from the
folder is ever unpickled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = "v1"


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


def encode(data: bytes, fetched: datetime | None) -> bytes:
    when = fetched or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat().encode("ascii") + b"\n" + data


def decode(value: Any) -> tuple[bytes, datetime] | None:
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
