"""Every fault the fixture server can stage, against the command line.

For each fault kind, once (transient) and for good (persistent), with and without a stale
copy in the cache: the outcome is the record after retries, or one clear line on stderr
with exit 4 (exit 3 for an empty set, which is PubMed's "no such record"); a stale copy,
when there is one, is printed with a warning; and the cache afterwards holds nothing
from the failed answer.  The API key and e-mail are set on every run and must appear in
no message.  Each case is recorded through ``tests.reliability`` for the README table.

The 30-second stall is stood for by a 3-second stall against a half-second client timeout.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import diskcache
import pytest

from tests import reliability
from tests.server import EMPTY_SET, FIXTURES, HTML_ERROR, RATE_JSON, WRONG_XML, FixtureServer
from tui.cli import main
from tui.data.cache import RecordCache
from tui.data.parse import parse_pubmed

PMID = "38534005"
RECORD_XML = (FIXTURES / "pubmed" / f"{PMID}.xml").read_bytes()
API_KEY = "k3y-5ecret-0123456789abcdef"
EMAIL = "private.person@example.net"
UNREACHABLE = "http://127.0.0.1:9/entrez/eutils/"
STALE_DAYS = 41
MAX_ATTEMPTS = 2
STALL_SECONDS = 3.0
STALL_TIMEOUT = 0.5

SERVER_FAULTS = (
    "429",
    "429-retry-after",
    "rate-json",
    "500",
    "502",
    "503",
    "drop",
    "stall",
    "truncate",
    "truncate-nolength",
    "html-200",
    "empty-set",
    "wrong-xml",
)
# Answers that are well-formed and final: retrying would get the same again.
NOT_RETRIED = frozenset({"empty-set", "wrong-xml"})
# Pieces of failed answers that must never reach the cache.
FAULT_MARKERS = (
    RATE_JSON[:30],
    HTML_ERROR[:40],
    WRONG_XML[-40:],
    b"API rate limit",
    b"<html",
    b"eSearchResult",
)


def cases() -> Iterator[tuple[str, str, bool]]:
    for fault in SERVER_FAULTS:
        for mode in ("transient", "persistent"):
            for stale in (False, True):
                yield fault, mode, stale
    for stale in (False, True):
        yield "unreachable", "persistent", stale


def case_id(fault: str, mode: str, stale: bool) -> str:
    return f"{fault}-{mode}-{'stale' if stale else 'empty'}"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def messages(self) -> list[str]:
        """stderr without the retry notices (which say what is happening, not the outcome)."""
        return [line for line in self.err.splitlines() if "retrying in" not in line]


def fixture_xml(pmid: str) -> bytes:
    return (FIXTURES / "pubmed" / f"{pmid}.xml").read_bytes()


def seed_stale(cache_dir: Path, pmid: str = PMID) -> datetime:
    """Put the recorded answer in the cache as if fetched STALE_DAYS ago."""
    fetched = (datetime.now(UTC) - timedelta(days=STALE_DAYS)).replace(microsecond=0)
    with RecordCache(cache_dir) as cache:
        cache.put_record(pmid, fixture_xml(pmid), fetched)
    return fetched


def cache_entries(cache_dir: Path) -> dict[str, bytes]:
    """Every key and raw value in the cache folder, read with diskcache itself."""
    if not (cache_dir / "cache.db").exists():
        return {}
    with diskcache.Cache(str(cache_dir)) as raw:
        return {str(key): raw[key] for key in raw.iterkeys()}


def check_cache_clean(cache_dir: Path) -> dict[str, bytes]:
    entries = cache_entries(cache_dir)
    for key, value in entries.items():
        assert API_KEY not in key and EMAIL not in key, key
        assert isinstance(value, bytes)
        assert API_KEY.encode() not in value and EMAIL.encode() not in value, key
        for marker in FAULT_MARKERS:
            assert marker not in value, (key, marker)
        assert value.rstrip().endswith(b"</PubmedArticleSet>") or b":record:" not in key.encode()
    return entries


def check_secrets(text: str) -> None:
    assert API_KEY not in text
    assert EMAIL not in text
    assert "k3y-5ecret" not in text


def run_cli(url: str, cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    capsys.readouterr()
    out = io.StringIO()
    code = main(
        [
            "--eutils-url",
            url,
            "--cache-dir",
            str(cache_dir),
            "--api-key",
            API_KEY,
            "--email",
            EMAIL,
            "--format",
            "json",
            PMID,
        ],
        out=out,
    )
    return Run(code, out.getvalue(), capsys.readouterr().err)


@pytest.fixture
def fault_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Short backoff through the config file, as a user could set it."""
    config = tmp_path / "config.toml"
    config.write_text(
        f"backoff_initial = 0.01\nbackoff_max = 0.05\nmax_attempts = {MAX_ATTEMPTS}\n"
        "timeout = 5.0\n"
    )
    monkeypatch.setenv("PUBTERM_CONFIG", str(config))
    return config


@pytest.mark.parametrize(
    ("fault", "mode", "stale"), list(cases()), ids=[case_id(*c) for c in cases()]
)
def test_cli_fault(
    fault: str,
    mode: str,
    stale: bool,
    fixture_server: FixtureServer,
    cache_dir: Path,
    fault_config: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with reliability.case("cli", fault, mode, stale) as rec:
        url = fixture_server.eutils_url
        if fault == "unreachable":
            url = UNREACHABLE
        else:
            if fault == "stall":
                fixture_server.stall_seconds = STALL_SECONDS
                fault_config.write_text(
                    fault_config.read_text().replace("timeout = 5.0", f"timeout = {STALL_TIMEOUT}")
                )
            times = 1 if mode == "transient" else 50
            fixture_server.add_fault(fault, times=times, endpoint="efetch")
        seeded = seed_stale(cache_dir) if stale else None

        run = run_cli(url, cache_dir, capsys)
        check_secrets(run.out + run.err)
        assert "Traceback" not in run.err
        if fault != "unreachable":
            attempts = len(fixture_server.logged("efetch"))
            check_secrets(
                json.dumps([r.params for r in fixture_server.logged() if r.endpoint != "efetch"])
            )
            if mode == "transient" and fault not in NOT_RETRIED:
                assert attempts == 2, attempts
            elif fault in NOT_RETRIED:
                assert attempts == 1, attempts
            else:
                assert attempts == MAX_ATTEMPTS, attempts

        recovers = mode == "transient" and fault not in NOT_RETRIED
        entries = check_cache_clean(cache_dir)
        with RecordCache(cache_dir) as cache:
            after = cache.get_record(PMID)
        if recovers:
            assert run.code == 0, run.err
            (obj,) = [json.loads(line) for line in run.out.splitlines()]
            assert obj["pmid"] == PMID and obj["cached"] is False
            assert run.messages == [], run.err
            assert after is not None
            assert datetime.now(UTC) - after.fetched < timedelta(minutes=5)
            assert parse_pubmed(after.xml) == parse_pubmed(RECORD_XML)
            rec.outcome, rec.cache = "record after retry", "fresh copy"
            rec.detail = ""
        elif seeded is not None:
            assert run.code == 0, run.err
            (obj,) = [json.loads(line) for line in run.out.splitlines()]
            assert obj["pmid"] == PMID and obj["cached"] is True
            (warning,) = run.messages
            assert warning.startswith(f"pubterm: warning: {PMID}: ")
            assert warning.endswith(f"showing the copy cached {STALE_DAYS} days ago"), warning
            assert after is not None and after.fetched == seeded and after.xml == RECORD_XML
            rec.outcome, rec.cache = "stale copy + warning", "stale copy kept"
            rec.detail = warning.removeprefix("pubterm: ")
        else:
            expected = 3 if fault == "empty-set" else 4
            assert run.code == expected, run.err
            assert run.out == ""
            (message,) = run.messages
            assert message.startswith(f"pubterm: {PMID}: ") and len(message) < 200, message
            if fault == "empty-set":
                assert message == f"pubterm: {PMID}: No PubMed record {PMID}"
            assert after is None
            assert not any(":record:" in key for key in entries), entries
            rec.outcome, rec.cache = f"exit {expected}, one line", "nothing"
            rec.detail = message.removeprefix("pubterm: ")


def test_empty_set_body_is_what_the_server_sends() -> None:
    """The empty-set fault is PubMed's own answer for an unknown PMID: no records."""
    assert parse_pubmed(EMPTY_SET) == []


def _table_script() -> object:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "reliability_table.py"
    spec = importlib.util.spec_from_file_location("reliability_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_table_marks_failed_and_missing_cases() -> None:
    script: object = _table_script()
    render = script.render  # type: ignore[attr-defined]
    cases = [
        reliability.Case(
            "cli", "500", "transient", False, "record after retry", "fresh copy", True
        ),
        reliability.Case(
            "reader",
            "500",
            "transient",
            False,
            "record after retry",
            "fresh copy",
            False,
            "AssertionError",
        ),
        reliability.Case("cli", "500", "persistent", False, "exit 4, one line", "nothing", True),
    ]
    table = render(cases)
    row = next(line for line in table.splitlines() if line.startswith("| 500 |"))
    assert row == "| 500 | record; reader: ✗ record | — | exit 4; reader: not run | — | 2/3 |"
    assert "3 cases" in table and "Nothing lost: 2/3" in table


def test_readme_table_covers_every_fault_and_shows_no_failure() -> None:
    script: object = _table_script()
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    start, end = script.START, script.END  # type: ignore[attr-defined]
    section = readme.split(start, 1)[1].split(end, 1)[0]
    names = script.FAULTS  # type: ignore[attr-defined]
    assert set(names) == {*SERVER_FAULTS, "unreachable"}
    for name in names.values():
        assert f"| {name} |" in section, name
    assert "✗" not in section and "not run" not in section
    assert "Faults tried: 14 kinds, 108 cases" in section
