"""The disk cache: round trips, versioned keys, eviction, damage, no permission, sharing."""

from __future__ import annotations

import multiprocessing
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import diskcache
import pytest

from tui.data.cache import CachedBlob, CachedRecord, RecordCache
from tui.data.cache_store import WAL_LIMIT_BYTES

WHEN = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)


@pytest.fixture
def cache(cache_dir: Path) -> Iterator[RecordCache]:
    with RecordCache(cache_dir) as opened:
        yield opened


def test_record_round_trip_survives_reopening(cache_dir: Path) -> None:
    xml = b"<PubmedArticleSet><PubmedArticle>\xc3\x9f</PubmedArticle></PubmedArticleSet>"
    with RecordCache(cache_dir) as first:
        assert first.warning is None and first.usable
        assert first.get_record("38909159") is None
        first.put_record("38909159", xml, WHEN)
    with RecordCache(cache_dir) as second:
        assert second.get_record("38909159") == CachedRecord(xml, WHEN)
        assert second.get_record("3890915") is None


def test_fetched_is_kept_in_utc(cache: RecordCache) -> None:
    east = datetime(2025, 3, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    cache.put_record("1", b"<a/>", east)
    got = cache.get_record("1")
    assert got is not None and got.fetched == WHEN and got.fetched.utcoffset() == timedelta(0)
    cache.put_record("2", b"<b/>", datetime(2025, 3, 1, 12, 30))  # naive: taken as UTC
    assert (found := cache.get_record("2")) is not None and found.fetched == WHEN
    before = datetime.now(UTC)
    cache.put_record("3", b"<c/>")
    assert (now := cache.get_record("3")) is not None and now.fetched >= before


def test_aliases_ignore_case_and_kind_matters(cache: RecordCache) -> None:
    cache.put_alias("doi", "10.1038/S41390-024-03336-8", "38909159")
    cache.put_alias("pmcid", "PMC11798830", "38909159")
    assert cache.get_alias("doi", "10.1038/s41390-024-03336-8") == "38909159"
    assert cache.get_alias("DOI", " 10.1038/S41390-024-03336-8 ") == "38909159"
    assert cache.get_alias("pmcid", "pmc11798830") == "38909159"
    assert cache.get_alias("pmcid", "10.1038/s41390-024-03336-8") is None
    assert cache.get_alias("doi", "10.1038/other") is None


def test_blobs_live_in_namespaces(cache: RecordCache) -> None:
    cache.put_blob("europepmc-refs", "28815688", b'{"hitCount": 40}', WHEN)
    cache.put_blob("crossref", "28815688", b"{}")
    assert cache.get_blob("europepmc-refs", "28815688") == CachedBlob(b'{"hitCount": 40}', WHEN)
    other = cache.get_blob("crossref", "28815688")
    assert other is not None and other.data == b"{}"
    assert cache.get_blob("elink", "28815688") is None


def test_keys_carry_the_schema_version(cache_dir: Path) -> None:
    with RecordCache(cache_dir) as cache:
        cache.put_record("1", b"<a/>")
        cache.put_alias("doi", "10.1/X", "1")
        cache.put_blob("ns", "k", b"d")
    raw = diskcache.Cache(str(cache_dir))
    try:
        assert sorted(raw) == ["v1:alias:doi:10.1/x", "v1:blob:ns:k", "v1:record:1"]
        raw.set("v0:record:2", b"2025-01-01T00:00:00+00:00\n<old/>")
        raw.set("v1:record:3", 12345)  # not what this version writes: ignored, no crash
    finally:
        raw.close()
    with RecordCache(cache_dir) as cache:
        assert cache.get_record("2") is None
        assert cache.get_record("3") is None


def test_stats_and_clear(cache: RecordCache, cache_dir: Path) -> None:
    for i in range(5):
        cache.put_record(str(i), b"<x/>" * 100)
    stats = cache.stats()
    assert stats.path == cache_dir and stats.entries == 5 and stats.size_bytes > 0
    assert cache.clear() == 5
    assert cache.stats().entries == 0
    assert cache.get_record("1") is None


def test_size_limit_evicts_the_oldest(cache_dir: Path) -> None:
    record = b"<PubmedArticle>" + b"x" * 20_000 + b"</PubmedArticle>"
    with RecordCache(cache_dir, size_limit_mb=1) as cache:
        for i in range(150):  # about 3 MB
            cache.put_record(str(i), record)
        stats = cache.stats()
        kept = [i for i in range(150) if cache.get_record(str(i)) is not None]
    assert stats.entries == len(kept) < 150
    # The size on disk is the true one: the database plus its write-ahead log.
    assert stats.size_bytes <= 1.5 * 1024 * 1024 + WAL_LIMIT_BYTES
    assert kept == list(range(150 - len(kept), 150))  # the newest stay


def test_damaged_database_is_moved_aside_and_rebuilt(cache_dir: Path) -> None:
    cache_dir.mkdir()
    (cache_dir / "cache.db").write_bytes(b"this is no sqlite database\x00" * 200)
    (cache_dir / "notes.txt").write_text("not ours")
    with RecordCache(cache_dir) as cache:
        assert cache.usable
        assert cache.warning is not None and "damaged" in cache.warning
        cache.put_record("1", b"<a/>", WHEN)
        assert cache.get_record("1") == CachedRecord(b"<a/>", WHEN)
    names = sorted(p.name for p in cache_dir.iterdir())
    assert "notes.txt" in names
    assert any(n.startswith("cache.db.broken-") for n in names)


def assert_degraded(cache: RecordCache, where: Path) -> None:
    assert not cache.usable
    assert cache.warning is not None and str(where) in cache.warning
    cache.put_record("1", b"<a/>")
    cache.put_alias("doi", "10.1/x", "1")
    cache.put_blob("ns", "k", b"d")
    assert cache.get_record("1") is None
    assert cache.get_alias("doi", "10.1/x") is None
    assert cache.get_blob("ns", "k") is None
    assert cache.stats().entries == 0 and cache.clear() == 0
    cache.close()


def test_folder_that_cannot_be_created_degrades(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    where = blocker / "cache"
    assert_degraded(RecordCache(where), where)


def test_read_only_folder_degrades(tmp_path: Path) -> None:
    where = tmp_path / "ro"
    where.mkdir()
    where.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(where, os.W_OK):
            pytest.skip("permissions are not enforced for this user (root)")
        assert_degraded(RecordCache(where), where)
    finally:
        where.chmod(stat.S_IRWXU)


def _writer(directory: str, tag: str, count: int) -> tuple[int, int]:
    """Write ``count`` records, then read both writers' keys: (found equal, absent)."""
    cache = RecordCache(Path(directory), size_limit_mb=1)
    try:
        for i in range(count):
            cache.put_record(f"{tag}{i}", _payload(f"{tag}{i}"))
        equal = absent = 0
        for other in ("a", "b"):
            for i in range(count):
                got = cache.get_record(f"{other}{i}")
                if got is None:
                    absent += 1
                elif got.xml == _payload(f"{other}{i}"):
                    equal += 1
                else:
                    raise AssertionError(f"record {other}{i} came back different")
        if cache.warning:
            raise AssertionError(cache.warning)
        return equal, absent
    finally:
        cache.close()


def _payload(key: str) -> bytes:
    return (f"<PubmedArticle>{key}</PubmedArticle>" * 400).encode()


def test_two_processes_share_one_folder(cache_dir: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_writer, [(str(cache_dir), "a", 200), (str(cache_dir), "b", 200)])
    for equal, absent in results:
        assert equal + absent == 400 and equal > 0
    with RecordCache(cache_dir, size_limit_mb=1) as cache:
        survivors = 0
        for key in [f"{t}{i}" for t in "ab" for i in range(200)]:
            got = cache.get_record(key)
            if got is not None:
                assert got.xml == _payload(key)
                survivors += 1
        assert 0 < survivors < 400  # about 5.6 MB written into 1 MB: some were evicted
