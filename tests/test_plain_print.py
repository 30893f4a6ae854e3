"""The print path's plain request: sent before the command line imports, read after.

``pubterm --format json PMID`` against an ``http://`` E-utilities address writes its
efetch with ``http.client`` first (``tui.cli_early``) and reads it once the command line,
the parser and the format have imported.  These tests prove it on the local server: the
request is out before ``tui.cli`` is imported and without httpx or asyncio, the record is
cached raw, the rate limit counts it, and every hostile mode the httpx client meets ends
the same way here (the cases of ``tests/test_hostile_network.py``, run again).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.server import FixtureServer
from tests.test_faults_matrix import check_cache_clean, check_secrets
from tests.test_hostile_network import (  # noqa: F401  (hostile_env is a fixture)
    HOSTILE,
    PMID,
    asked,
    hostile_env,
    no_secret_abroad,
    stage,
)
from tui.cli import main
from tui.cli_early import print_shape, send_early
from tui.data.cache import DB_FILES, RecordCache
from tui.data.plain_efetch import PlainEfetch, plain_applies
from tui.data.ratelimit import limiter_for
from tui.data.ratelimit_state import locked, state_path
from tui.data.settings import Settings

OTHER_PMID = "35856662"
WAIT = 10.0  # the longest any condition below is waited for


def argv_for(server: FixtureServer, cache_dir: Path, *ids: str, fmt: str = "json") -> list[str]:
    return ["--eutils-url", server.eutils_url, "--cache-dir", str(cache_dir), "-f", fmt, *ids]


def wait_logged(server: FixtureServer, endpoint: str, count: int) -> None:
    """Until the server has seen ``count`` requests to ``endpoint`` (bounded)."""
    deadline = time.monotonic() + WAIT
    while len(server.logged(endpoint)) < count:
        assert time.monotonic() < deadline, server.logged()
        time.sleep(0.01)


def cached_xml(cache_dir: Path, pmid: str) -> bytes | None:
    cache = RecordCache(cache_dir)
    try:
        copy = cache.get_record(pmid)
        return copy.xml if copy is not None else None
    finally:
        cache.close()


CHILD = """
import json, sys
from tui.cli_early import send_early
argv = json.loads(sys.argv[1])
sent = send_early(argv)
early = sorted(m for m in ("tui.cli", "httpx", "asyncio", "anyio", "lxml") if m in sys.modules)
print(json.dumps({"sent": sent is not None, "loaded": early}), flush=True)
sys.stdin.readline()  # the test looks at the server's log meanwhile
from tui.cli import main
code = main(argv, early_efetch=sent)
late = sorted(m for m in ("httpx", "asyncio", "anyio") if m in sys.modules)
print(json.dumps({"code": code, "loaded": late}), file=sys.stderr, flush=True)
"""


def test_the_request_is_out_before_the_command_line_imports(
    fixture_server: FixtureServer, cache_dir: Path
) -> None:
    argv = argv_for(fixture_server, cache_dir, PMID)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(argv)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    first = json.loads(child.stdout.readline())
    assert first == {"sent": True, "loaded": []}
    wait_logged(fixture_server, "efetch", 1)  # arrived while the child waits, unread
    child.stdin.write("\n")
    out, err = child.communicate(timeout=60)
    last = json.loads(err.strip().splitlines()[-1])
    assert last == {"code": 0, "loaded": []}, err  # no httpx, anyio or asyncio at all
    assert json.loads(out)["pmid"] == PMID and json.loads(out)["cached"] is False
    assert len(fixture_server.logged("efetch")) == 1
    xml = cached_xml(cache_dir, PMID)  # kept raw, as the service keeps any efetch
    assert xml is not None and f">{PMID}</PMID>".encode() in xml


def test_the_plain_request_takes_a_slot_in_the_shared_window(
    fixture_server: FixtureServer, cache_dir: Path
) -> None:
    sent = send_early(argv_for(fixture_server, cache_dir, PMID))
    assert isinstance(sent, PlainEfetch)
    try:
        host = fixture_server.eutils_url.split("/")[2]
        limiter = limiter_for(f"ncbi:{host}", 3)
        path = getattr(limiter, "path", None)
        assert isinstance(path, Path)
        with locked(path, wait=True) as state:
            (entry,) = state.entries
        assert entry[0] is not None  # counted as sent, by this process
        assert path == state_path(path.parent.parent, f"ncbi:{host}", 3)
    finally:
        sent.close()


def test_a_full_window_is_not_waited_for_before_the_imports(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    host = fixture_server.eutils_url.split("/")[2]
    limiter = limiter_for(f"ncbi:{host}", 3)
    while limiter.try_acquire() == 0.0:  # the window filled by "other processes"
        pass
    argv = argv_for(fixture_server, cache_dir, PMID)
    assert send_early(argv) is None
    assert fixture_server.logged() == []
    out = io.StringIO()
    assert main(argv, out=out) == 0  # the command line waits its turn
    assert json.loads(out.getvalue())["pmid"] == PMID
    assert len(fixture_server.logged("efetch")) == 1


def test_a_request_for_other_records_is_dropped_and_the_right_one_made(
    fixture_server: FixtureServer, cache_dir: Path
) -> None:
    sent = send_early(argv_for(fixture_server, cache_dir, OTHER_PMID))
    assert sent is not None
    out = io.StringIO()
    code = main(argv_for(fixture_server, cache_dir, PMID), out=out, early_efetch=sent)
    assert code == 0 and json.loads(out.getvalue())["pmid"] == PMID
    asked_for = [r.params["id"] for r in fixture_server.logged("efetch")]
    assert asked_for == [OTHER_PMID, PMID]
    assert cached_xml(cache_dir, OTHER_PMID) is None  # never read, never kept


@pytest.mark.usefixtures("hostile_env")
def test_a_transient_failure_is_retried_with_a_notice(
    fixture_server: FixtureServer,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fixture_server.add_fault("500", times=1, endpoint="efetch")
    argv = argv_for(fixture_server, cache_dir, PMID)
    sent = send_early(argv)
    assert sent is not None
    out = io.StringIO()
    assert main(argv, out=out, early_efetch=sent) == 0
    err = capsys.readouterr().err
    assert err.startswith("pubterm: NCBI answered 500, retrying in "), err
    assert json.loads(out.getvalue())["pmid"] == PMID
    assert len(fixture_server.logged("efetch")) == 2


@pytest.mark.usefixtures("hostile_env")
@pytest.mark.parametrize("kind", sorted(k for k in HOSTILE if HOSTILE[k].endpoint == "efetch"))
def test_the_early_request_meets_a_hostile_server(
    kind: str,
    fixture_server: FixtureServer,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """test_hostile_network's command-line cases, with the request sent by cli_early."""
    from tests.test_faults_matrix import API_KEY, EMAIL

    expect = stage(fixture_server, kind)
    victim = "35856662" if kind == "bad-utf8-article" else PMID
    argv = [
        *argv_for(fixture_server, cache_dir, *asked(kind)),
        "--api-key",
        API_KEY,
        "--email",
        EMAIL,
    ]
    sent = send_early(argv)
    assert sent is not None
    out = io.StringIO()
    code = main(argv, out=out, early_efetch=sent)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    check_secrets(out.getvalue() + err)
    messages = [line for line in err.splitlines() if "retrying in" not in line]
    printed = {obj["pmid"]: obj for obj in map(json.loads, out.getvalue().splitlines())}
    no_secret_abroad(fixture_server)
    check_cache_clean(cache_dir)
    assert len(fixture_server.logged("efetch")) == expect.requests
    if expect.error is None:
        assert code == 0 and messages == [], messages
        assert list(printed) == [PMID] and printed[PMID]["cached"] is False
    else:
        assert code == 4, messages
        (message,) = messages
        assert message.startswith(f"pubterm: {victim}: ") and expect.says in message, message
        assert victim not in printed
    if kind == "bad-utf8-article":  # the good article of the batch is kept
        assert printed[PMID]["cached"] is False


def test_print_shape_reads_only_the_plain_print() -> None:
    flags, pmids, config = print_shape(["--format=json", "1", "--refresh", "2"]) or ({}, [], "")
    assert flags == {"refresh": True} and pmids == ["1", "2"] and config is None
    shape = print_shape(["-f", "bibtex", "--config", "c.toml", "--email", "a@b.c", "3"])
    assert shape == ({"email": "a@b.c"}, ["3"], "c.toml")
    for declined in (
        ["-f", "json"],  # no ID
        ["-f", "json", "10.1000/xyz"],  # a DOI to resolve
        ["-f", "markdown", "1"],  # the full text's path
        ["-f", "json", "--full-text", "1"],
        ["-f", "json", "--offline", "1"],
        ["-f", "json", "--form", "1"],  # an abbreviation argparse would take
        ["-f", "json", "--api-key", "-", "1"],  # the key from standard input
        ["-f", "json", "-", "1"],
        ["search", "ergothioneine"],
        ["-f", "json", "--eutils-url"],  # a value missing
    ):
        assert print_shape(declined) is None, declined


def test_the_early_check_looks_for_the_caches_own_database() -> None:
    from tui.cli_early import CACHE_DB

    assert DB_FILES[0] == CACHE_DB


def test_no_early_request_where_the_cache_may_answer_or_https_is_asked(
    fixture_server: FixtureServer, cache_dir: Path, settings: Settings
) -> None:
    cache_dir.mkdir(parents=True)
    (cache_dir / DB_FILES[0]).write_bytes(b"")
    assert send_early(argv_for(fixture_server, cache_dir, PMID)) is None
    sent = send_early([*argv_for(fixture_server, cache_dir, PMID), "--refresh"])
    assert sent is not None  # a refresh asks whatever the cache holds
    wait_logged(fixture_server, "efetch", 1)
    sent.close()
    https = ["--eutils-url", "https://127.0.0.1:9/entrez/eutils/", "-f", "json", PMID]
    assert send_early(https) is None
    assert not plain_applies(Settings(eutils_url="https://eutils.example/"), [PMID])
    assert not plain_applies(settings, [str(n) for n in range(1, 202)])  # a POST's worth
    assert [r.params["id"] for r in fixture_server.logged()] == [PMID]


@pytest.mark.parametrize(("pmid", "code"), [(PMID, 0), ("99999999", 3)])
def test_the_pubterm_command_prints_and_exits_with_its_code(
    pmid: str, code: int, fixture_server: FixtureServer, cache_dir: Path
) -> None:
    """Through ``python -m tui``: the early request, the print, the exit code."""
    argv = [sys.executable, "-m", "tui", *argv_for(fixture_server, cache_dir, pmid)]
    run = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == code, run.stderr
    assert len(fixture_server.logged("efetch")) == 1
    if code == 0:
        assert json.loads(run.stdout)["pmid"] == pmid and run.stderr == ""
        assert cached_xml(cache_dir, pmid) is not None
    else:
        assert run.stdout == "" and run.stderr == f"pubterm: {pmid}: No PubMed record {pmid}\n"


# -- the reader's first record --------------------------------------------------------


async def test_the_readers_first_fetch_reads_the_request_already_sent(
    settings: Settings, fixture_server: FixtureServer, cache_dir: Path
) -> None:
    from tui.data.first import start_first_fetch
    from tui.data.ids import parse_id
    from tui.data.service import PubMed

    fixture_server.add_fault("500", times=1, endpoint="efetch")
    sent = PlainEfetch.start(settings, [OTHER_PMID])
    assert sent is not None
    early = start_first_fetch(settings, parse_id(OTHER_PMID), sent=sent)
    notices: list[str] = []
    async with PubMed(settings, early=early, on_retry=lambda n: notices.append(str(n))) as svc:
        record = await svc.fetch(parse_id(OTHER_PMID))
    assert record.pmid == OTHER_PMID and len(record.references) == 258 and not record.cached
    assert [r.params["id"] for r in fixture_server.logged("efetch")] == [OTHER_PMID] * 2
    assert notices and notices[0].startswith("NCBI answered 500, retrying in ")
    assert cached_xml(cache_dir, OTHER_PMID) is not None


async def test_the_reader_drops_a_request_for_another_record(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    from tui.data.first import start_first_fetch
    from tui.data.ids import parse_id
    from tui.data.service import PubMed

    sent = PlainEfetch.start(settings, [PMID])
    assert sent is not None
    early = start_first_fetch(settings, parse_id(OTHER_PMID), sent=sent)
    async with PubMed(settings, early=early) as service:
        record = await service.fetch(parse_id(OTHER_PMID))
    assert record.pmid == OTHER_PMID
    assert [r.params["id"] for r in fixture_server.logged("efetch")] == [PMID, OTHER_PMID]


def test_the_reader_command_sends_its_first_record_only(
    fixture_server: FixtureServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    argv = ["--eutils-url", fixture_server.eutils_url, "--cache-dir", str(cache_dir)]
    sent = send_early([*argv, PMID, OTHER_PMID])
    assert sent is not None and sent.pmids == (PMID,)
    sent.close()
    assert print_shape([*argv, PMID]) is None  # a terminal and no format: the reader


def test_no_early_request_through_a_proxy_or_for_a_style_to_check(
    fixture_server: FixtureServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """httpx honours a proxy the plain request would bypass; an unknown citation style
    is a usage error found before anything is asked."""
    argv = argv_for(fixture_server, cache_dir, PMID)
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9/")
    assert send_early(argv) is None
    monkeypatch.delenv("http_proxy")
    assert (
        send_early([*argv_for(fixture_server, cache_dir, PMID, fmt="cite"), "--style", "x"]) is None
    )
    assert fixture_server.logged() == []
    code = main([*argv_for(fixture_server, cache_dir, PMID, fmt="cite"), "--style", "nonesuch"])
    assert code == 2 and fixture_server.logged() == []
