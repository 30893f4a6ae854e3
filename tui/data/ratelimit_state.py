"""The shared rate limit's state: one small file per service and rate, read and written
under an exclusive ``flock`` by every pubterm process of the user.

A file and a lock, rather than a server or a library backend, because the processes are
peers that come and go (a reader, a prefetch, a script's ``pubterm --format``): the
kernel drops a dead process's lock at once, and a file of ten entries is read, changed
and written back in microseconds.  Each entry is one request: when it was sent (None
while its slot is taken but its bytes not yet written), the process and the number it
gave the slot, and when the slot was taken.  Times are ``time.monotonic()``, which on
Linux and macOS is one clock for every process since boot; an entry from before a reboot
reads as a time in the future and is dropped.  A file that cannot be parsed (a process
killed mid-write) is handed over as damaged, for the limiter to treat as a full window.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: each process keeps its own window
    SHARED = False
else:
    SHARED = True

# (sent at or None, process id, slot number, taken at)
Entry = tuple[float | None, int, int, float]
FOLDER = "ratelimit-v1"


def _decoded(data: bytes) -> list[Entry]:
    """The entries in ``data``; ValueError when it is not a list of them.

    The standard library's json rather than a schema library: a print's request takes
    its slot before anything else is imported, and this file holds ten entries.
    """
    entries: list[Entry] = []
    for item in json.loads(data):
        if not isinstance(item, list) or len(item) != 4:
            raise ValueError("not an entry")
        sent, pid, token, taken = item
        if not (sent is None or _number(sent)) or not _number(taken):
            raise ValueError("not an entry")
        if type(pid) is not int or type(token) is not int:
            raise ValueError("not an entry")
        entries.append((None if sent is None else float(sent), pid, token, float(taken)))
    return entries


def _number(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value)  # type: ignore[arg-type]


class StateBusy(Exception):
    """Another process holds the lock and the caller chose not to wait."""


@dataclass
class State:
    """The entries read under the lock; ``save`` them to have them written back."""

    entries: list[Entry]
    damaged: bool
    changed: bool = field(default=False)

    def save(self, entries: list[Entry]) -> None:
        self.entries, self.changed = entries, True


def state_path(folder: Path, key: str, rate: int) -> Path:
    """The file for one service and rate (the key names a host: keep it a plain name)."""
    safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in key)
    return folder / FOLDER / f"{safe}-{rate}.json"


def process_alive(pid: int) -> bool:
    """Whether a process with this id still runs (a slot it left unsent is not forever)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


@contextmanager
def locked(path: Path, *, wait: bool) -> Iterator[State]:
    """The state in ``path`` under an exclusive lock, written back if it was saved.

    Raises StateBusy when another process holds the lock and ``wait`` is false, and
    OSError when the folder cannot hold the file (read-only, full): the caller then
    limits this process alone.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StateBusy from None
        data = os.pread(fd, 1 << 16, 0)
        try:
            state = State(_decoded(data) if data else [], damaged=False)
        except (ValueError, TypeError, RecursionError):
            state = State([], damaged=True)
        yield state
        if state.changed:
            body = json.dumps(state.entries, separators=(",", ":")).encode()
            os.pwrite(fd, body, 0)
            os.ftruncate(fd, len(body))
    finally:
        os.close(fd)  # closing the only descriptor releases the lock
