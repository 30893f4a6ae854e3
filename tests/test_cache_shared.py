"""One cache folder, several pubterm processes, and cache folders in bad shape.

Two and four processes write and read hundreds of records in the same folder at once,
under a size limit small enough to force eviction: every read gives back exactly what was
written, or nothing once evicted; no process fails.  A folder of garbage is moved aside
and rebuilt; a database from another layout is rebuilt too; a folder that cannot be
written turns caching off with a warning.  The suite runs as root, where chmod stops
nothing, so "cannot be written" is made real by putting the cache path under a regular
file (mkdir fails with ENOTDIR) and by making ``cache.db`` a directory (SQLite cannot
open it).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.server import FIXTURES, SET_HEAD, FixtureServer
from tests.test_app_support import WIDE, banner, make_app, settle
from tui.cli import main
from tui.data.cache import RecordCache
from tui.data.parse import parse_pubmed
from tui.data.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = (FIXTURES / "pubmed" / "38048813.xml").read_bytes()
PER_PROCESS = 200

WORKER = r"""
import json, random, sys, time
from datetime import datetime, timezone
from pathlib import Path
from tui.data.cache import RecordCache

folder, wid, count, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
template = Path(sys.argv[5]).read_bytes()
go = Path(folder).parent / "go"
while not go.exists():
    time.sleep(0.005)

def xml(pmid):
    return template.replace(b"38048813", pmid.encode())

when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
rng = random.Random(wid)
stats = {"written": 0, "equal": 0, "evicted": 0, "wrong": [], "warnings": []}
cache = RecordCache(Path(folder), size_limit_mb=limit)
written = []
for i in range(count):
    # Every third record is shared by all workers, the rest are this worker's own.
    pmid = f"9{i:06d}" if i % 3 == 0 else f"{wid + 1}{i:06d}"
    cache.put_record(pmid, xml(pmid), when)
    cache.put_alias("doi", f"10.9999/{pmid}", pmid)
    written.append(pmid)
    stats["written"] += 1
    for check in (pmid, rng.choice(written)):
        got = cache.get_record(check)
        if got is None:
            stats["evicted"] += 1
        elif got.xml == xml(check) and got.fetched == when:
            stats["equal"] += 1
        else:
            stats["wrong"].append(check)
        alias = cache.get_alias("doi", f"10.9999/{check}")
        if alias is not None and alias != check:
            stats["wrong"].append("alias " + check)
    if cache.warning:
        stats["warnings"].append(cache.warning)
        cache.warning = None
for pmid in written:
    got = cache.get_record(pmid)
    if got is not None and (got.xml != xml(pmid) or got.fetched != when):
        stats["wrong"].append(pmid)
stats["final_size"] = cache.stats().size_bytes
cache.close()
print(json.dumps(stats))
"""


def xml_for(pmid: str) -> bytes:
    return TEMPLATE.replace(b"38048813", pmid.encode())


@pytest.mark.parametrize("processes", [2, 4])
def test_processes_share_one_folder(processes: int, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    template = tmp_path / "template.xml"
    template.write_bytes(TEMPLATE)
    limit_mb = 0.25  # far below processes x 200 x ~4 KB: eviction must happen
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(folder),
                str(w),
                str(PER_PROCESS),
                str(limit_mb),
                str(template),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(processes)
    ]
    time.sleep(0.3)
    (tmp_path / "go").touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "Traceback" not in err, err
        results.append(json.loads(out))
    for stats in results:
        assert stats["written"] == PER_PROCESS
        assert stats["wrong"] == [], stats["wrong"][:10]
        assert stats["warnings"] == [], stats["warnings"][:3]
        assert stats["equal"] > 0
    assert sum(s["evicted"] for s in results) > 0, "the size limit never evicted anything"
    with RecordCache(folder, size_limit_mb=limit_mb) as cache:
        assert cache.usable and cache.warning is None
        assert cache.stats().size_bytes <= limit_mb * 1024 * 1024 * 1.5
        for w in range(processes):
            for i in range(PER_PROCESS):
                pmid = f"9{i:06d}" if i % 3 == 0 else f"{w + 1}{i:06d}"
                got = cache.get_record(pmid)
                assert got is None or got.xml == xml_for(pmid)


def test_command_line_processes_share_one_folder(tmp_path: Path) -> None:
    """Four `pubterm --format json` runs of 200 records each, at once, one small cache."""
    pmids = [f"8{n:07d}" for n in range(400)]
    config = tmp_path / "config.toml"
    config.write_text("cache_size_mb = 1\n")
    folder = tmp_path / "cache"
    with FixtureServer() as server:
        for pmid in pmids:
            server.add_record(pmid, SET_HEAD + xml_for(pmid).split(b"<PubmedArticleSet>", 1)[1])
        env = {
            **os.environ,
            "PUBTERM_CONFIG": str(config),
            "PUBTERM_CACHE_DIR": str(folder),
            "PUBTERM_EUTILS_URL": server.eutils_url,
            "NCBI_API_KEY": "x" * 8,
        }
        sets = [pmids[0:200], pmids[100:300], pmids[200:400], pmids[0:400:2]]
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "tui", "--format", "json", *ids],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for ids in sets
        ]
        outputs = [p.communicate(timeout=120) for p in procs]
    expected = {r.pmid: r.title for r in parse_pubmed(TEMPLATE)}
    for proc, ids, (out, err) in zip(procs, sets, outputs, strict=True):
        assert proc.returncode == 0, err
        assert err == "", err
        objs = [json.loads(line) for line in out.splitlines()]
        assert [o["pmid"] for o in objs] == ids
        assert all(o["title"] == expected["38048813"] for o in objs)
    with RecordCache(folder) as cache:
        kept = [p for p in pmids if cache.get_record(p) is not None]
        for pmid in kept:
            got = cache.get_record(pmid)
            assert got is not None
            assert [r.pmid for r in parse_pubmed(got.xml)] == [pmid]
        assert 0 < len(kept) < len(pmids), "1 MB should hold some, not all, of 400 records"


# -- folders in bad shape ----------------------------------------------------------------


def run_cli(
    server: FixtureServer, folder: Path, capsys: pytest.CaptureFixture[str], pmid: str = "38048813"
) -> tuple[int, str, str]:
    capsys.readouterr()
    out = io.StringIO()
    code = main(
        ["--eutils-url", server.eutils_url, "--cache-dir", str(folder), "--format", "json", pmid],
        out=out,
    )
    return code, out.getvalue(), capsys.readouterr().err


def test_garbage_folder_is_rebuilt(
    fixture_server: FixtureServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    for name in ("cache.db", "cache.db-wal", "cache.db-shm"):
        (folder / name).write_bytes(os.urandom(20_000))
    (folder / "00").mkdir()
    (folder / "00" / "junk.val").write_bytes(os.urandom(100))
    code, out, err = run_cli(fixture_server, folder, capsys)
    assert code == 0, err
    assert json.loads(out)["pmid"] == "38048813"
    assert "Traceback" not in err
    assert any(p.name.startswith("cache.db.broken-") for p in folder.iterdir())
    with RecordCache(folder) as cache:
        assert cache.usable and cache.get_record("38048813") is not None
    fixture_server.clear_log()
    code, out, _ = run_cli(fixture_server, folder, capsys)
    assert code == 0 and json.loads(out)["cached"] is True
    assert fixture_server.logged("efetch") == []


def test_older_key_layout_is_ignored_not_misread(
    fixture_server: FixtureServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entries written under another key version are never read as records."""
    import diskcache

    folder = tmp_path / "cache"
    with diskcache.Cache(str(folder)) as raw:
        raw.set("v0:record:38048813", b"<not>a record</not>")
        raw.set("record:38048813", b"2020-01-01T00:00:00+00:00\n<garbage/>")
        raw.set("v1:record:38048813", "a str value, not bytes")
    code, out, err = run_cli(fixture_server, folder, capsys)
    assert code == 0, err
    assert json.loads(out)["cached"] is False
    assert len(fixture_server.logged("efetch")) == 1


def test_older_database_layout_is_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    con = sqlite3.connect(folder / "cache.db")
    con.execute("CREATE TABLE Settings (key TEXT NOT NULL UNIQUE)")
    con.execute("CREATE TABLE Cache (rowid INTEGER PRIMARY KEY, key BLOB, value BLOB)")
    con.commit()
    con.close()
    with RecordCache(folder) as cache:
        assert cache.usable, cache.warning
        cache.put_record("1", b"<x/>")
        assert cache.get_record("1") is not None


class _Bomb:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (Path(self.marker),))  # type: ignore[return-value]


def test_planted_pickle_is_never_unpickled(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    marker = tmp_path / "unpickled"
    with RecordCache(folder) as cache:
        cache.put_record("1", b"<x/>")
    con = sqlite3.connect(folder / "cache.db")
    con.execute(
        "UPDATE Cache SET mode = 4, value = ? WHERE key = ?",
        (pickle.dumps(_Bomb(str(marker))), "v1:record:1"),
    )
    con.commit()
    con.close()
    with RecordCache(folder) as cache:
        cache.get_record("1")
    assert not marker.exists()


def unwritable_folders(tmp_path: Path) -> dict[str, Path]:
    """Cache paths that fail even for root (chmod would not)."""
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    db_dir = tmp_path / "db-is-a-dir"
    (db_dir / "cache.db").mkdir(parents=True)
    return {"under-a-file": a_file / "cache", "db-is-a-directory": db_dir}


@pytest.mark.parametrize("kind", ["under-a-file", "db-is-a-directory"])
def test_unwritable_folder_disables_caching(
    kind: str, fixture_server: FixtureServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = unwritable_folders(tmp_path)[kind]
    with RecordCache(folder) as cache:
        assert not cache.usable
        assert cache.warning and cache.warning.startswith("cache disabled:")
    for _ in range(2):
        code, out, err = run_cli(fixture_server, folder, capsys)
        assert code == 0, err
        assert json.loads(out)["cached"] is False
        assert "Traceback" not in err
    assert len(fixture_server.logged("efetch")) == 2


def test_unwritable_folder_warns_on_the_command_line(
    fixture_server: FixtureServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = unwritable_folders(tmp_path)["under-a-file"]
    code, _, err = run_cli(fixture_server, folder, capsys)
    assert code == 0
    assert re.search(r"warning: .*cache", err), err


async def test_unwritable_folder_warns_in_the_reader(settings: Settings, tmp_path: Path) -> None:
    folder = unwritable_folders(tmp_path)["under-a-file"]
    app = make_app(replace(settings, cache_dir=folder), "38048813")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.reader.record is not None
        said = banner(app).message + " ".join(app.messages)
        assert "cache" in said.lower(), said
