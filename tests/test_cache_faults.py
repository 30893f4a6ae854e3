"""The cache when the disk is full or read-only: nothing claimed that did not happen.

The cache folder sits on a real small tmpfs (:mod:`tests.cache_disks`), the records
come from the local server over real HTTP.  A prefetch that fills the disk says once how
many records it could not keep and exits 4; what it did keep reads offline afterwards;
``--cache-info`` reports what the file system says is used; ``--clear-cache`` gives the
space back.  A read-only folder still answers with what it holds.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.cache_disks import remount_read_only, small_disk, used_bytes
from tests.cache_faults_record import Observed, observed
from tests.server import FixtureServer
from tests.test_app_graph import keyed
from tests.test_app_support import REVIEW as READER_REVIEW
from tests.test_app_support import WIDE, loaded, make_app, settle
from tests.test_prefetch import REVIEW, article_set, serve_references
from tui.cli import main
from tui.data.cache import RecordCache
from tui.data.parse import parse_pubmed
from tui.data.settings import Settings

FULL = "disk full (2 MB tmpfs)"
SUMMARY = re.compile(
    r"(\d+) fetched, 0 already cached; the cache folder is full: (\d+) of (\d+) not kept(?:;|$)"
)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "small", "2m") as where:
        yield where


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("backoff_initial = 0.01\nbackoff_max = 0.05\nmax_attempts = 3\n")
    monkeypatch.setenv("PUBTERM_CONFIG", str(config))


def run(server: FixtureServer, folder: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(
        [
            "--eutils-url",
            server.eutils_url,
            "--europepmc-url",
            server.europepmc_url,
            "--crossref-url",
            server.crossref_url,
            "--cache-dir",
            str(folder),
            "--email",
            "test@example.org",
            "--api-key",
            "cache-fault-tests",
            *args,
        ],
        out=out,
    )
    return code, out.getvalue()


def readable_offline(folder: Path, pmids: list[str]) -> list[str]:
    """The PMIDs whose record a fresh open of the folder gives back whole."""
    with RecordCache(folder) as cache:
        assert cache.usable, cache.warning
        found = []
        for pmid in pmids:
            got = cache.get_record(pmid)
            if got is not None:
                assert [r.pmid for r in parse_pubmed(got.xml)] == [pmid]
                found.append(pmid)
        return found


def prefetch_on_full_disk(
    server: FixtureServer, folder: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, int, list[str], str]:
    """Prefetch the review's 508 references into a 2 MB folder: (kept, not kept, pmids,
    stderr), after checking the run's exit code and its one summary sentence."""
    pmids = serve_references(server)
    code, out = run(server, folder, "--prefetch", REVIEW)
    err = capsys.readouterr().err
    assert code == 4 and out == ""
    assert "Traceback" not in err
    found = SUMMARY.search(err.splitlines()[-1])
    assert found, err.splitlines()[-1]
    kept, lost, total = (int(n) for n in found.groups())
    assert total == len(pmids) == kept + lost
    assert kept > 0 and lost > 0, "2 MB should hold some, not all, of 508 records"
    assert err.count("the cache folder is full") == 1, err  # said once, in words
    return kept, lost, pmids, err


def test_full_disk_prefetch_says_what_was_not_kept_and_what_was_reads_offline(
    fixture_server: FixtureServer, disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = disk / "cache"
    with observed(FULL, "`--prefetch` of 508 references") as row:
        kept, _, pmids, err = prefetch_on_full_disk(fixture_server, folder, capsys)
        row.outcome = f"exit 4, once: “{err.splitlines()[-1].split(': ', 3)[-1]}”"
        offline = readable_offline(folder, pmids)
        assert len(offline) == kept  # every record counted as fetched is there, no others
        fixture_server.clear_log()
        for pmid in (offline[0], offline[-1]):
            code, out = run(fixture_server, folder, "--offline", "--format", "json", pmid)
            assert code == 0
            assert json.loads(out)["pmid"] == pmid and json.loads(out)["cached"] is True
        missing = next(p for p in pmids if p not in offline)
        code, _ = run(fixture_server, folder, "--offline", "--format", "json", missing)
        assert code == 4
        assert fixture_server.requests == []
        row.after = f"the cache opens; the {len(offline)} kept read offline, the others exit 4"


def test_full_disk_cache_info_is_true_and_clear_gives_the_space_back(
    fixture_server: FixtureServer, disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = disk / "cache"
    kept, _, pmids, _ = prefetch_on_full_disk(fixture_server, folder, capsys)
    with observed(FULL, "`--cache-info`, then `--clear-cache`") as row:
        _info_and_clear(fixture_server, folder, disk, kept, pmids, capsys, row)


def _info_and_clear(
    fixture_server: FixtureServer,
    folder: Path,
    disk: Path,
    kept: int,
    pmids: list[str],
    capsys: pytest.CaptureFixture[str],
    row: Observed,
) -> None:
    used = used_bytes(disk)
    code, out = run(fixture_server, folder, "--cache-info")
    assert code == 0
    with RecordCache(folder) as cache:
        entries = cache.stats().entries
    assert entries >= kept
    assert f"in {entries} entries" in out
    size_mb = float(re.search(r"size:\s+([\d.]+) MB", out).group(1))  # type: ignore[union-attr]
    assert abs(size_mb * 1024 * 1024 - used) <= 0.1 * 1024 * 1024, (out, used)
    capsys.readouterr()
    info = f"size {size_mb} MB in {entries} entries (df: {used / 1024 / 1024:.1f} MB used)"

    code, out = run(fixture_server, folder, "--clear-cache")
    assert code == 0, capsys.readouterr().err
    freed = re.search(r"Cleared (\d+) entries from .* \(([\d.]+) MB freed\)", out)
    assert freed and int(freed.group(1)) == entries, out
    assert used_bytes(disk) < 256 * 1024  # the space really came back
    assert used - used_bytes(disk) >= (float(freed.group(2)) - 0.1) * 1024 * 1024
    assert "in 0 entries" in out
    assert readable_offline(folder, pmids) == []
    row.outcome = f"{info}; “{out.splitlines()[0].split(' from ')[0]} … {freed.group(2)} MB freed”"
    # And the folder takes records again.
    assert run(fixture_server, folder, "--format", "json", pmids[0])[0] == 0
    assert readable_offline(folder, pmids[:1]) == pmids[:1]
    row.after = f"df: {used_bytes(disk) // 1024} KB used; new records are kept again"


def test_full_disk_printing_warns_once_and_prints_the_record(
    fixture_server: FixtureServer, disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Printing records loses nothing (they are on stdout): exit 0, one warning line."""
    folder = disk / "cache"
    prefetch_on_full_disk(fixture_server, folder, capsys)
    extra = [f"9{n:07d}" for n in range(30)]
    fixture_server.add_record(extra[0], article_set(extra))
    with observed(FULL, "`--format json` of 30 records") as row:
        code, out = run(fixture_server, folder, "--format", "json", *extra)
        err = capsys.readouterr().err
        assert code == 0
        assert [json.loads(line)["pmid"] for line in out.splitlines()] == extra
        assert err.count("\n") == 1 and "the cache folder is full" in err, err
        row.outcome = f"exit 0, {len(out.splitlines())} records printed, one warning line"
        row.after = "what was cached before still reads"


async def test_full_disk_prefetch_in_the_reader_says_it_once(
    settings: Settings, fixture_server: FixtureServer, disk: Path
) -> None:
    app_settings = keyed(replace(settings, cache_dir=disk / "cache"))
    app = make_app(app_settings)
    async with app.run_test(size=WIDE) as pilot:
        review = await loaded(pilot, READER_REVIEW)
        pmids = list(dict.fromkeys(r.pmid for r in review.references if r.pmid))
        fixture_server.add_record(pmids[0], article_set(pmids, template="32051057"))
        await pilot.press("P")
        await settle(pilot)
        said = [m for m in app.messages if m.startswith("Prefetched")]
        assert len(said) == 1
        assert [s for m, s in app.told if m == said[0]] == ["warning"]
        found = SUMMARY.search(said[0])
        assert found, said[0]
        kept, lost, total = (int(n) for n in found.groups())
        assert total == len(pmids) and kept > 0 and lost > 0
        assert sum("the cache folder is full" in m for m in app.messages) == 1, app.messages
    with observed(FULL, f"the reader's `P` ({total} references)") as row:
        row.outcome = f"once: “{said[0]}”"
        assert len(readable_offline(disk / "cache", pmids)) == kept
        row.after = f"the cache opens; the {kept} kept read offline"


def test_read_only_folder_reads_what_it_holds(
    fixture_server: FixtureServer, disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with observed("read-only folder (tmpfs remounted ro)", "`--format json`, 3 records") as row:
        _read_only(fixture_server, disk, capsys, row)


def _read_only(
    fixture_server: FixtureServer, disk: Path, capsys: pytest.CaptureFixture[str], row: Observed
) -> None:
    folder = disk / "cache"
    held = ["38534005", "38833988"]
    assert run(fixture_server, folder, "--format", "json", *held)[0] == 0
    remount_read_only(disk)
    capsys.readouterr()
    fixture_server.clear_log()
    code, out = run(fixture_server, folder, "--format", "json", *held, "35856662")
    err = capsys.readouterr().err
    assert code == 0
    objs = [json.loads(line) for line in out.splitlines()]
    assert [(o["pmid"], o["cached"]) for o in objs] == [
        ("38534005", True),
        ("38833988", True),
        ("35856662", False),
    ]
    assert [r.params.get("id") for r in fixture_server.logged("efetch")] == ["35856662"]
    assert "read-only" in err and err.count("\n") == 1, err
    code, out = run(fixture_server, folder, "--offline", "--format", "json", held[0])
    assert code == 0 and json.loads(out)["cached"] is True
    con = sqlite3.connect(f"file:{folder / 'cache.db'}?immutable=1", uri=True)
    (rows,) = con.execute("SELECT count(*) FROM Cache").fetchone()
    con.close()
    code, out = run(fixture_server, folder, "--cache-info")
    assert code == 0 and rows >= 2 and f"in {rows} entries" in out
    row.outcome = "exit 0; the 2 cached read as cached, the third fetched; one warning line"
    row.after = f"unchanged; `--cache-info` counts its {rows} entries"


def test_prefetch_into_a_disabled_cache_keeps_nothing_and_says_so(
    fixture_server: FixtureServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cache path under a regular file (even root cannot create it): nothing is kept,
    so nothing is counted as fetched."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    pmids = serve_references(fixture_server)
    with observed("cache folder cannot be created", "`--prefetch` of 508 references") as row:
        code, _ = run(fixture_server, blocker / "cache", "--prefetch", REVIEW)
        last = capsys.readouterr().err.splitlines()[-1]
        said = f"0 fetched, 0 already cached; the cache is disabled: {len(pmids)} of 508 not kept"
        assert code == 4 and last.endswith(said), last
        row.outcome = f"exit 4, once: “{said}”"
        row.after = "nothing claimed kept"
