"""A cache folder after a crash: killed writes leave nothing behind for long, and several
processes starting at once on a damaged database keep one rebuild, not throw it away.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.cache_faults_record import observed
from tui.data.cache import RecordCache
from tui.data.cache_files import ORPHAN_AGE_SECONDS

ROOT = Path(__file__).resolve().parent.parent

KILLED_WRITER = r"""
import os, signal, sys
from pathlib import Path
import diskcache
from tui.data.cache import RecordCache

cache = RecordCache(Path(sys.argv[1]))
assert cache.put_record("1", b"k" * 40_000)  # big enough for a value file of its own
real_store = diskcache.Disk.store

def store_then_die(self, *args, **kwargs):
    stored = real_store(self, *args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # after the file, before its row
    return stored

diskcache.Disk.store = store_then_die
cache.put_record("2", b"o" * 40_000)
"""


def value_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.glob("*/*/*.val")}


def named_by_rows(folder: Path) -> set[str]:
    con = sqlite3.connect(f"file:{folder / 'cache.db'}?mode=ro", uri=True)
    try:
        return {n for (n,) in con.execute("SELECT filename FROM Cache") if n}
    finally:
        con.close()


def test_a_write_killed_midway_leaves_an_orphan_the_next_open_removes(tmp_path: Path) -> None:
    with observed("SIGKILL between a value file and its row", "the next open") as row:
        _killed_write(tmp_path)
        row.outcome = "an orphan at least 5 minutes old is deleted; a younger one may be in flight"
        row.after = "every value file is named by a row; the other record intact"


def _killed_write(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    done = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(folder)], cwd=ROOT, capture_output=True
    )
    assert done.returncode == -9, done.stderr
    orphans = value_files(folder) - named_by_rows(folder)
    assert len(orphans) == 1 and len(named_by_rows(folder)) == 1
    (orphan,) = orphans
    # A young file may be a write in flight in another process: it stays.
    with RecordCache(folder) as cache:
        assert cache.warning is None
    assert orphan in value_files(folder)
    old = time.time() - ORPHAN_AGE_SECONDS - 60
    os.utime(folder / orphan, (old, old))
    with RecordCache(folder) as cache:
        assert cache.warning is None
        got = cache.get_record("1")
        assert got is not None and got.xml == b"k" * 40_000
        assert cache.get_record("2") is None
    assert value_files(folder) == named_by_rows(folder)


STARTER = r"""
import json, sys, time
from pathlib import Path
from tui.data.cache import RecordCache

folder, wid = Path(sys.argv[1]), sys.argv[2]
go = folder.parent / "go"
(folder.parent / f"ready-{wid}").touch()
while not go.exists():
    time.sleep(0.001)
cache = RecordCache(folder)
kept = [p for p in (f"{wid}{i:03d}" for i in range(20)) if cache.put_record(p, p.encode() * 50)]
cache.close()
print(json.dumps({"kept": kept, "warning": cache.warning}))
"""

PROCESSES = 6


TRIALS = 4


def test_processes_starting_on_a_damaged_cache_keep_one_rebuild(tmp_path: Path) -> None:
    fault = f"damaged `cache.db`, {PROCESSES} processes starting at once"
    with observed(fault, f"{TRIALS} trials") as row:
        kept = [p for trial in range(TRIALS) for p in _start_together(tmp_path / str(trial))]
        row.outcome = "moved aside once a trial, rebuilt once, under the folder's lock"
        row.after = f"{len(kept)}/{len(kept)} records written read back"


def _start_together(tmp_path: Path) -> list[str]:
    folder = tmp_path / "cache"
    folder.mkdir(parents=True)
    (folder / "cache.db").write_bytes(b"not a database, after a crash " * 400)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(folder), str(w + 1)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(PROCESSES)
    ]
    while len(list(tmp_path.glob("ready-*"))) < PROCESSES:  # all started, then all go
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    (tmp_path / "go").touch()
    kept: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        result = json.loads(out)
        assert len(result["kept"]) == 20, result
        kept += result["kept"]
    with RecordCache(folder) as cache:
        lost = [p for p in kept if cache.get_record(p) is None]
    assert lost == [], f"{len(lost)} of {len(kept)} records lost"
    moved = [p for p in folder.iterdir() if p.name.startswith("cache.db.broken-")]
    assert len(moved) == 1  # the damaged database went aside once, the rebuild stayed
    return kept
