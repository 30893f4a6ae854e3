"""Hostile servers: redirects, lying compression, bombs, endless and dribbling bodies.

Each hostile mode of ``tests/server_hostile.py`` is staged on the local fixture server
and met by the real client over real HTTP, through the command line (an exit code and
one sentence on stderr, never a traceback) and through the service API (one of
pubterm's own errors, or the record).  A stale copy in the cache stands in whenever the
answer fails; nothing of a failed answer is kept; the API key and e-mail never reach
another host.  Each case is recorded through ``tests.reliability`` for the README's
hostile-server table (``scripts/hostile_table.py``).
"""

from __future__ import annotations

import io
import json
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests import reliability
from tests.server import FIXTURES, FixtureServer
from tests.server_hostile import HOSTILE_KINDS, NOT_UTF8, break_article, gzip_bomb
from tests.test_faults_matrix import (
    API_KEY,
    EMAIL,
    STALE_DAYS,
    check_cache_clean,
    check_secrets,
    seed_stale,
)
from tui.cli import main
from tui.data.bibliography import Bibliography
from tui.data.errors import (
    BadResponseError,
    ParseError,
    ServiceError,
    UnreachableError,
)
from tui.data.eutils import EutilsClient
from tui.data.ids import parse_id
from tui.data.limits import ENV_DEADLINE, ENV_MAX_MB, Limits
from tui.data.model import Record
from tui.data.prefetch import prefetch
from tui.data.service import PubMed
from tui.data.settings import Settings
from tui.data.unpack import STEP, Unpacker, UnpackError

PMID = "38534005"
OTHER = "35856662"  # the second article of the two-record batch
DOI = "10.1515/CCLM-2024-0070"  # 38534005's
MAX_ATTEMPTS = 2
CAP_MB = 1  # PUBTERM_MAX_ANSWER_MB for these tests (the default is 64)
# PUBTERM_DEADLINE for these tests (the default is 60 s).  Short, so that a dribbled
# answer ends soon, but well above what a whole answer takes on a loaded machine: at 1 s
# an ordinary redirected answer missed it once with four test workers on two cores.
DEADLINE = 3.0
BOMB_MB = 8  # unpacks to 8 MB against the 1 MB cap


@dataclass(frozen=True)
class Expect:
    """What one hostile mode must lead to."""

    endpoint: str
    requests: int  # requests the server sees for one run (no stale copy involved)
    error: type[ServiceError] | None  # None: the record arrives anyway
    says: str  # a piece of the sentence the user reads
    times: int = 50  # how many requests misbehave


HOSTILE = {
    "redirect-loop": Expect(
        "efetch", MAX_ATTEMPTS * 6, BadResponseError, "redirected more than 5 times"
    ),
    "redirect-other-host": Expect("efetch", 2, None, "", times=1),
    "redirect-file": Expect(
        "efetch", 1, BadResponseError, "redirected to a file:// address, which pubterm"
    ),
    "bad-gzip": Expect("efetch", MAX_ATTEMPTS, BadResponseError, "could not be unpacked"),
    "gzip-bomb": Expect("efetch", 1, BadResponseError, f"larger than {CAP_MB} MB unpacked"),
    "endless": Expect("efetch", 1, BadResponseError, f"larger than {CAP_MB} MB unpacked"),
    "dribble": Expect("efetch", 1, UnreachableError, f"not complete after {DEADLINE:g} s"),
    "bad-utf8-article": Expect("efetch", 1, ParseError, f"copy of PMID {OTHER} is unreadable"),
    "esearch-extra-hit": Expect("esearch", 1, None, ""),
}

OK_OUTCOME = {
    "redirect-other-host": "record; no key or e-mail sent there",
    "esearch-extra-hit": "record (esearch's second hit)",
}


@pytest.fixture
def hostile_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Short backoff, two attempts, a 1 MB cap and a 3 s deadline, as a user could set."""
    config = tmp_path / "config.toml"
    config.write_text(
        f"backoff_initial = 0.01\nbackoff_max = 0.05\nmax_attempts = {MAX_ATTEMPTS}\n"
        "timeout = 5.0\n"
    )
    monkeypatch.setenv("PUBTERM_CONFIG", str(config))
    monkeypatch.setenv(ENV_MAX_MB, str(CAP_MB))
    monkeypatch.setenv(ENV_DEADLINE, str(DEADLINE))
    return config


def stage(server: FixtureServer, kind: str) -> Expect:
    expect = HOSTILE[kind]
    server.hostile.bomb_mb = BOMB_MB
    server.hostile.dribble_seconds = 0.05
    server.hostile.bad_pmid = OTHER
    server.hostile.extra_hit = OTHER
    server.add_fault(kind, times=expect.times, endpoint=expect.endpoint)
    return expect


def asked(kind: str) -> list[str]:
    """What the run asks for: two PMIDs for the broken batch, the DOI for esearch."""
    if kind == "bad-utf8-article":
        return [PMID, OTHER]
    return [DOI] if kind == "esearch-extra-hit" else [PMID]


def no_secret_abroad(server: FixtureServer) -> None:
    """No request to another host than the one asked carried the key or the e-mail."""
    for request in server.logged():
        if not request.headers.get("host", "").startswith("localhost"):
            continue
        assert "api_key" not in request.params and "email" not in request.params
        text = json.dumps(request.params) + request.headers.get("user-agent", "")
        check_secrets(text)
        assert "mailto" not in request.headers.get("user-agent", "")


# -- the command line ----------------------------------------------------------------


def run_cli(
    server: FixtureServer, cache_dir: Path, ids: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, list[str]]:
    capsys.readouterr()
    out = io.StringIO()
    code = main(
        [
            "--eutils-url",
            server.eutils_url,
            "--cache-dir",
            str(cache_dir),
            "--api-key",
            API_KEY,
            "--email",
            EMAIL,
            "--format",
            "json",
            *ids,
        ],
        out=out,
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err
    check_secrets(out.getvalue() + err)
    return code, out.getvalue(), [line for line in err.splitlines() if "retrying in" not in line]


@pytest.mark.parametrize("stale", [False, True], ids=["empty", "stale"])
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_cli_meets_a_hostile_server(
    kind: str,
    stale: bool,
    fixture_server: FixtureServer,
    cache_dir: Path,
    hostile_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with reliability.case("cli", kind, "persistent", stale) as rec:
        expect = stage(fixture_server, kind)
        victim = OTHER if kind == "bad-utf8-article" else PMID
        seeded = seed_stale(cache_dir, victim) if stale else None
        code, out, messages = run_cli(fixture_server, cache_dir, asked(kind), capsys)
        printed = {obj["pmid"]: obj for obj in map(json.loads, out.splitlines())}
        no_secret_abroad(fixture_server)
        check_cache_clean(cache_dir)
        assert len(fixture_server.logged(expect.endpoint)) == expect.requests
        if expect.error is None:
            assert code == 0 and messages == [], messages
            assert list(printed) == [PMID] and printed[PMID]["cached"] is False
            rec.outcome, rec.cache = OK_OUTCOME[kind], "fresh copy"
        elif seeded is not None:
            assert code == 0, messages
            (warning,) = messages
            assert warning.startswith(f"pubterm: warning: {victim}: ")
            assert warning.endswith(f"showing the copy cached {STALE_DAYS} days ago"), warning
            assert expect.says in warning or expect.error is UnreachableError
            assert printed[victim]["cached"] is True
            rec.outcome, rec.cache = "stale copy + warning", "stale copy kept"
            rec.detail = warning.removeprefix("pubterm: ")
        else:
            assert code == 4
            (message,) = messages
            assert message.startswith(f"pubterm: {victim}: ") and expect.says in message, message
            assert len(message) < 200 and victim not in printed
            rec.outcome, rec.cache = "exit 4, one line", "nothing"
            rec.detail = message.removeprefix("pubterm: ")
        if kind == "bad-utf8-article":  # the good article of the batch is kept
            assert printed[PMID]["cached"] is False
            rec.outcome += "; the rest of the batch kept"


def test_transient_bad_gzip_is_retried_into_the_record(
    fixture_server: FixtureServer,
    cache_dir: Path,
    hostile_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with reliability.case("cli", "bad-gzip", "transient", False) as rec:
        fixture_server.add_fault("bad-gzip", times=1, endpoint="efetch")
        code, out, messages = run_cli(fixture_server, cache_dir, [PMID], capsys)
        assert code == 0 and messages == []
        assert json.loads(out)["pmid"] == PMID
        assert len(fixture_server.logged("efetch")) == 2
        rec.outcome, rec.cache = "record after retry", "fresh copy"


# -- the service API -----------------------------------------------------------------


@pytest.fixture
def hostile_settings(settings: Settings, hostile_env: Path) -> Settings:
    return replace(settings, api_key=API_KEY, email=EMAIL, max_attempts=MAX_ATTEMPTS)


@pytest.mark.parametrize("stale", [False, True], ids=["empty", "stale"])
@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_service_meets_a_hostile_server(
    kind: str,
    stale: bool,
    fixture_server: FixtureServer,
    hostile_settings: Settings,
    cache_dir: Path,
) -> None:
    with reliability.case("service", kind, "persistent", stale) as rec:
        expect = stage(fixture_server, kind)
        victim = OTHER if kind == "bad-utf8-article" else PMID
        seeded = seed_stale(cache_dir, victim) if stale else None
        async with PubMed(hostile_settings) as service:
            outcomes = await service.fetch_many([parse_id(i) for i in asked(kind)])
        got = dict(zip(asked(kind), outcomes, strict=True))
        outcome = got[victim if kind != "esearch-extra-hit" else DOI]
        no_secret_abroad(fixture_server)
        check_cache_clean(cache_dir)
        if expect.error is None:
            assert isinstance(outcome, Record) and outcome.pmid == PMID and not outcome.cached
            rec.outcome, rec.cache = OK_OUTCOME[kind], "fresh copy"
        elif seeded is not None:
            assert isinstance(outcome, Record) and outcome.cached and outcome.stale
            assert expect.says in outcome.stale or expect.error is UnreachableError
            rec.outcome, rec.cache = "stale copy + warning", "stale copy kept"
        else:
            assert isinstance(outcome, expect.error), outcome
            assert expect.says in str(outcome)
            rec.outcome, rec.cache = expect.error.__name__, "nothing"
        if kind == "bad-utf8-article":
            assert isinstance(got[PMID], Record) and not got[PMID].cached
            rec.outcome += "; the rest of the batch kept"


async def test_a_307_to_another_host_does_not_resend_the_key_by_post(
    fixture_server: FixtureServer, hostile_settings: Settings
) -> None:
    """Above 200 IDs efetch is a POST; a 307 repeats it elsewhere, without the secrets."""
    pmids = [PMID, OTHER] + [str(40_000_000 + i) for i in range(210)]
    fixture_server.add_fault("redirect-other-host", times=1, endpoint="efetch")
    async with EutilsClient(hostile_settings) as client:
        body = await client.efetch(pmids)
    first, second = fixture_server.logged("efetch")
    assert first.method == second.method == "POST"
    assert first.params["api_key"] == API_KEY and first.params["email"] == EMAIL
    assert second.headers["host"].startswith("localhost")
    assert second.params["id"] == first.params["id"]  # the body went along, the key did not
    no_secret_abroad(fixture_server)
    assert f'<PMID Version="1">{OTHER}</PMID>'.encode() in body


async def test_a_redirect_away_from_crossref_leaves_the_e_mail_behind(
    fixture_server: FixtureServer, hostile_settings: Settings
) -> None:
    """Crossref gets the e-mail twice (``mailto`` and the User-Agent); another host never."""
    fixture_server.add_fault("redirect-other-host", times=1, endpoint="crossref")
    async with EutilsClient(hostile_settings) as client:
        body = await client.get_json(f"{fixture_server.crossref_url}works/10.1093/gji/ggz376")
    first, second = fixture_server.logged("crossref")
    assert first.params["mailto"] == EMAIL and EMAIL in first.headers["user-agent"]
    assert second.headers["host"].startswith("localhost") and second.params == {}
    no_secret_abroad(fixture_server)
    assert json.loads(body)["message"]["DOI"].lower() == "10.1093/gji/ggz376"


async def test_prefetch_keeps_every_article_but_the_broken_one(
    fixture_server: FixtureServer, hostile_settings: Settings
) -> None:
    pmids = ["38534005", "35856662", "32051057", "36176722"]
    fixture_server.hostile.bad_pmid = "32051057"
    fixture_server.add_fault("bad-utf8-article", times=1, endpoint="efetch")
    async with PubMed(hostile_settings) as service:
        result = await prefetch(service, pmids)
        kept = [p for p in pmids if service.cache.get_record(p) is not None]
    assert result.fetched == ("38534005", "35856662", "36176722")
    assert list(result.failed) == ["32051057"] and kept == list(result.fetched)
    assert str(result).startswith("3 fetched, 0 already cached, 1 not fetched (")
    assert "PMID 32051057 is unreadable" in str(result)


async def test_fallback_lists_end_in_problems_not_a_hang(
    fixture_server: FixtureServer, hostile_settings: Settings
) -> None:
    """The reader's "looking in Europe PMC and Crossref…" waits on this call."""
    async with PubMed(hostile_settings) as service:
        record = await service.fetch(parse_id(PMID))
        assert record.references == ()
        fixture_server.add_fault("redirect-loop", times=50, endpoint="europepmc")
        fixture_server.add_fault("bad-gzip", times=50, endpoint="crossref")
        result = await Bibliography(service).references_for(record)
    assert result.value.references == ()
    assert any("redirected more than 5 times" in str(p) for p in result.problems), result
    assert all(isinstance(p, ServiceError) for p in result.problems)


async def test_reader_fallback_says_why_instead_of_searching_for_ever(
    fixture_server: FixtureServer, hostile_settings: Settings
) -> None:
    from tests.test_app_support import WIDE, loaded, make_app, settle

    fixture_server.add_fault("redirect-loop", times=50, endpoint="europepmc")
    fixture_server.add_fault("bad-gzip", times=50, endpoint="crossref")
    app = make_app(hostile_settings, PMID)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, PMID)
        await settle(pilot)
        # Not "none found": neither source gave an answer, and r asks them again.
        assert app.reader.references.border_subtitle == "unreachable — r retries"
        (told,) = [m for m in app.messages if m.startswith("No fallback reference list")]
        assert "redirected more than 5 times" in told or "could not be unpacked" in told
        assert fixture_server.logged("europepmc") and fixture_server.logged("crossref")


async def test_an_honest_gzip_answer_is_read(
    fixture_server: FixtureServer, hostile_settings: Settings
) -> None:
    """NCBI gzips its answers: pubterm unpacks them itself, step by step."""
    fixture_server.hostile.bomb_mb = 0  # no padding: the recorded answer, gzipped
    fixture_server.add_fault("gzip-bomb", times=1, endpoint="efetch")
    async with PubMed(hostile_settings) as service:
        record = await service.fetch(parse_id(PMID))
    assert record.pmid == PMID and not record.cached
    (request,) = fixture_server.logged("efetch")
    assert request.headers["accept-encoding"] == "gzip, deflate"


# -- the pieces ----------------------------------------------------------------------


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_either_way_unpacks_in_bounded_steps(wbits: int) -> None:
    original = (FIXTURES / "pubmed" / f"{PMID}.xml").read_bytes() + b" " * (3 * STEP)
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    packed = packer.compress(original) + packer.flush()
    unpacker = Unpacker("deflate")
    pieces = [p for i in range(0, len(packed), 1000) for p in unpacker.feed(packed[i : i + 1000])]
    assert b"".join(pieces) + unpacker.finish() == original
    assert max(map(len, pieces)) <= STEP


def test_broken_or_unasked_compression_is_an_unpack_error() -> None:
    with pytest.raises(UnpackError):
        list(Unpacker("gzip").feed(b"<?xml version='1.0'?><PubmedArticleSet/>"))
    with pytest.raises(UnpackError):
        Unpacker("br")
    assert list(Unpacker("identity").feed(b"abc")) == [b"abc"]


def test_limits_come_from_the_environment_or_default() -> None:
    assert Limits.from_environ({}) == Limits()
    assert Limits().max_bytes == 64 * 1024 * 1024 and Limits().deadline == 60.0
    small = Limits.from_environ({ENV_MAX_MB: "0.5", ENV_DEADLINE: "2"})
    assert small.max_bytes == 512 * 1024 and small.deadline == 2.0
    assert Limits.from_environ({ENV_MAX_MB: "big", ENV_DEADLINE: "-1"}) == Limits()


def test_hostile_answers_are_built_from_the_real_one(fixture_server: FixtureServer) -> None:
    import gzip

    status, _, body = fixture_server.answer(
        "GET", "/entrez/eutils/efetch.fcgi", {"id": f"{PMID},{OTHER}"}
    )
    assert status == 200
    bomb = gzip_bomb(body, 2)
    assert len(bomb) < len(body) + 64 * 1024
    assert gzip.decompress(bomb) == body + b" " * (2 * 1024 * 1024)
    broken = break_article(body, OTHER)
    assert broken.count(NOT_UTF8) == 1 and broken.replace(NOT_UTF8, b"") == body
    assert broken.index(NOT_UTF8) > broken.index(f">{OTHER}</PMID>".encode())


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://127.0.0.1:9/entrez/eutils/", "its address is not an http:// or https:// URL"),
        ("http://127.0.0.1:99999/entrez/eutils/", "cannot connect (connect(): port must be"),
    ],
)
def test_an_address_no_connection_can_use_fails_at_once_in_words(
    url: str, says: str, cache_dir: Path, hostile_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--eutils-url", url, "--cache-dir", str(cache_dir), "-f", "json", PMID])
    err = capsys.readouterr().err
    assert code == 4 and "Traceback" not in err
    assert err.startswith(f"pubterm: {PMID}: PubMed unreachable: ")
    assert says in err and "retrying" not in err and len(err.splitlines()) == 1, err


def test_api_key_from_standard_input(
    fixture_server: FixtureServer,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["--eutils-url", fixture_server.eutils_url, "--cache-dir", str(cache_dir)]
    monkeypatch.setattr("sys.stdin", io.StringIO(API_KEY + "\n"))
    out = io.StringIO()
    assert main([*base, "--api-key", "-", "--format", "json", PMID], out=out) == 0
    (request,) = fixture_server.logged("efetch")
    assert request.params["api_key"] == API_KEY
    check_secrets(out.getvalue() + capsys.readouterr().err)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main([*base, "--api-key", "-", "--format", "json", PMID], out=out) == 2
    assert capsys.readouterr().err == "pubterm: --api-key -: standard input held no key\n"
    with pytest.raises(SystemExit) as stopped:
        main([*base, "--api-key", "-", "-"], out=out)
    assert stopped.value.code == 2
    assert "the IDs or the API key" in capsys.readouterr().err


def _table_script() -> object:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "hostile_table.py"
    spec = importlib.util.spec_from_file_location("hostile_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hostile_table_marks_failures_and_the_readme_shows_every_mode() -> None:
    script: object = _table_script()
    render = script.render  # type: ignore[attr-defined]
    cases = [
        reliability.Case("cli", "endless", "persistent", False, "exit 4, one line", "", True),
        reliability.Case("service", "endless", "persistent", True, "", "", False, "boom"),
    ]
    row = next(line for line in render(cases).splitlines() if "endless" in line)
    assert (
        row
        == "| endless body, against a 1 MB cap | exit 4, one sentence | — | — | ✗ failed | 1/2 |"
    )
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    start, end = script.START, script.END  # type: ignore[attr-defined]
    section = readme.split(start, 1)[1].split(end, 1)[0]
    rows = script.ROWS  # type: ignore[attr-defined]
    assert {kind for kind, _ in rows} == set(HOSTILE) == HOSTILE_KINDS
    for name in rows.values():
        assert f"| {name} |" in section, name
    assert "✗" not in section and "—" in section  # only the once-row has empty cells
