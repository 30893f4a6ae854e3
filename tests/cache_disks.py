"""Small real file systems for the cache's fault tests: a full disk, a read-only one.

A tmpfs of a few megabytes fills for real: the kernel answers ENOSPC, SQLite says
"database or disk is full", and deleting rows needs journal space the disk no longer
has, exactly as on a full home folder.  (RLIMIT_FSIZE was the other candidate: it fails
writes with EFBIG, which SQLite reports as a disk I/O error rather than "full", it caps
each file instead of the total, and a delete does not make room, so none of what broke
on a full disk would show.)  Mounting needs root or a mount namespace; the suite runs as
root in CI, and the tests skip with the reason when mounting is refused.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    """A fresh tmpfs of ``size`` ("2m") mounted at ``where``; unmounted afterwards."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def remount_read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)


def used_bytes(where: Path) -> int:
    """What the file system says is in use (as ``df`` does)."""
    st = os.statvfs(where)
    return (st.f_blocks - st.f_bfree) * st.f_frsize
