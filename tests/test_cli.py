"""The command line end to end: real client, real HTTP, the local fixture server."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.server import FixtureServer
from tests.test_parse_fixtures import RECORD_KEYS
from tui.cli import main
from tui.data.cache import RecordCache

FIXTURES = Path(__file__).parent / "fixtures" / "pubmed"
# One list of the record's JSON keys, kept with the parser's fixture tests.
JSON_KEYS = RECORD_KEYS
ROOT = Path(__file__).resolve().parent.parent


def run(server: FixtureServer, cache: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(
        [
            "--eutils-url",
            server.eutils_url,
            "--cache-dir",
            str(cache),
            "--email",
            "test@example.org",
            *args,
        ],
        out=out,
    )
    return code, out.getvalue()


def lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("backoff_initial = 0.01\nbackoff_max = 0.05\nmax_attempts = 3\n")
    monkeypatch.setenv("PUBTERM_CONFIG", str(config))


def test_json_for_a_pmid(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, out = run(fixture_server, cache_dir, "--format", "json", "35856662")
    assert code == 0
    (obj,) = lines(out)
    assert set(obj) == JSON_KEYS
    assert obj["pmid"] == "35856662"
    assert obj["doi"] == "10.1128/aac.00216-22"
    assert obj["pmcid"] == "PMC9380527"
    assert "β" in str(obj["title"])
    assert len(obj["references"]) == 258  # type: ignore[arg-type]
    assert obj["cached"] is False and obj["source"] == "pubmed"
    assert fixture_server.logged("efetch")[0].params["tool"] == "pubterm"


def test_every_fixture_in_one_batched_efetch(
    fixture_server: FixtureServer, cache_dir: Path
) -> None:
    pmids = sorted(p.stem for p in FIXTURES.glob("[0-9]*.xml") if p.stem != "37909814")
    code, out = run(fixture_server, cache_dir, "--format", "json", *pmids)
    assert code == 0
    objs = lines(out)
    assert [o["pmid"] for o in objs] == pmids
    assert all(set(o) == JSON_KEYS for o in objs)
    assert len(fixture_server.logged("efetch")) == 1


def test_second_run_comes_from_the_cache(fixture_server: FixtureServer, cache_dir: Path) -> None:
    run(fixture_server, cache_dir, "--format", "json", "38534005")
    fixture_server.clear_log()
    code, out = run(fixture_server, cache_dir, "--format", "json", "38534005")
    assert code == 0 and lines(out)[0]["cached"] is True
    assert fixture_server.requests == []
    code, out = run(fixture_server, cache_dir, "--refresh", "--format", "json", "38534005")
    assert code == 0 and lines(out)[0]["cached"] is False
    assert len(fixture_server.logged("efetch")) == 1


def test_doi_resolves_with_one_esearch(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, out = run(
        fixture_server,
        cache_dir,
        "--format",
        "json",
        "https://doi.org/10.1128/AAC.00216-22",
        "doi:10.1128/aac.00216-22",
    )
    assert code == 0
    assert [o["pmid"] for o in lines(out)] == ["35856662", "35856662"]
    assert len(fixture_server.logged("esearch")) == 2
    assert fixture_server.logged("esearch")[0].params["term"].endswith("[doi]")
    fixture_server.clear_log()
    code, out = run(
        fixture_server, cache_dir, "--offline", "--format", "json", "10.1128/aac.00216-22"
    )
    assert code == 0 and lines(out)[0]["pmid"] == "35856662"


def test_pmcid_resolves(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, out = run(fixture_server, cache_dir, "--format", "json", "PMC9380527")
    assert code == 0, out
    assert lines(out)[0]["pmcid"] == "PMC9380527"


def test_unknown_pmid_exits_3(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(fixture_server, cache_dir, "--format", "json", "99999999")
    assert code == 3 and out == ""
    err = capsys.readouterr().err
    assert err.strip() == "pubterm: 99999999: No PubMed record 99999999"


def test_unknown_doi_exits_3(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, _ = run(fixture_server, cache_dir, "--format", "json", "10.9999/nothing-here")
    assert code == 3


def test_bad_id_exits_2_naming_it(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(fixture_server, cache_dir, "--format", "json", "38534005", "banana")
    assert code == 2 and out == ""
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "banana" in err[0]
    assert fixture_server.requests == []


def test_offline_not_cached_exits_4(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(fixture_server, cache_dir, "--offline", "--format", "json", "38534005")
    assert code == 4 and out == ""
    assert "PMID 38534005 isn't available offline" in capsys.readouterr().err
    assert fixture_server.requests == []


def test_text_format(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, out = run(fixture_server, cache_dir, "--format", "text", "38534005")
    assert code == 0
    assert "\x1b" not in out
    assert "10.1515/cclm-2024-0070" in out
    assert "The EFLM European Urinalysis Guideline 2023." in out


FAULTS = [
    "429",
    "429-retry-after",
    "rate-json",
    "500",
    "502",
    "503",
    "drop",
    "truncate",
    "html-200",
]


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_once_then_success(
    fault: str, fixture_server: FixtureServer, cache_dir: Path
) -> None:
    fixture_server.add_fault(fault, times=1, endpoint="efetch")
    code, out = run(fixture_server, cache_dir, "--format", "json", "38534005")
    assert code == 0
    assert lines(out)[0]["pmid"] == "38534005"
    assert len(fixture_server.logged("efetch")) == 2


@pytest.mark.parametrize("fault", [*FAULTS, "wrong-xml"])
def test_persistent_fault_exits_4_and_caches_nothing(
    fault: str,
    fixture_server: FixtureServer,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fixture_server.add_fault(fault, times=50, endpoint="efetch")
    code, out = run(
        fixture_server, cache_dir, "--api-key", "SECRETKEY123", "--format", "json", "38534005"
    )
    assert code == 4 and out == ""
    err = capsys.readouterr().err
    final = [line for line in err.splitlines() if "retrying" not in line]
    assert len(final) == 1 and final[0].startswith("pubterm: 38534005: ")
    assert "Traceback" not in err and "SECRETKEY123" not in err
    cache = RecordCache(cache_dir)
    try:
        assert cache.get_record("38534005") is None
    finally:
        cache.close()


def test_empty_answer_is_not_found(fixture_server: FixtureServer, cache_dir: Path) -> None:
    fixture_server.add_fault("empty-set", times=1, endpoint="efetch")
    code, out = run(fixture_server, cache_dir, "--format", "json", "38534005")
    assert code == 3 and out == ""


def test_unreachable_service_exits_4(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    code = main(
        [
            "--eutils-url",
            "http://127.0.0.1:9/",
            "--cache-dir",
            str(cache_dir),
            "--format",
            "json",
            "38534005",
        ],
        out=out,
    )
    assert code == 4
    assert "unreachable" in capsys.readouterr().err.lower()


def test_stale_copy_is_served_with_a_warning(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = RecordCache(cache_dir)
    old = datetime.now(UTC) - timedelta(days=41)
    cache.put_record("38534005", (FIXTURES / "38534005.xml").read_bytes(), old)
    cache.close()
    fixture_server.add_fault("503", times=50, endpoint="efetch")
    code, out = run(fixture_server, cache_dir, "--format", "json", "38534005")
    assert code == 0
    obj = lines(out)[0]
    assert obj["cached"] is True and obj["pmid"] == "38534005"
    assert "showing the copy cached 41 days ago" in capsys.readouterr().err


def test_settings_from_environment_and_config(
    fixture_server: FixtureServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('email = "from-config@example.org"\n')
    monkeypatch.setenv("PUBTERM_CONFIG", str(config))
    monkeypatch.setenv("PUBTERM_EUTILS_URL", fixture_server.eutils_url)
    monkeypatch.setenv("PUBTERM_CACHE_DIR", str(cache_dir))
    assert main(["--format", "json", "38534005"], out=io.StringIO()) == 0
    assert fixture_server.logged("efetch")[0].params["email"] == "from-config@example.org"


def test_broken_config_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text("email = \n")
    monkeypatch.setenv("PUBTERM_CONFIG", str(config))
    assert main(["--format", "json", "1"], out=io.StringIO()) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_cache_info_and_clear(fixture_server: FixtureServer, cache_dir: Path) -> None:
    run(fixture_server, cache_dir, "--format", "json", "38534005")
    code, out = run(fixture_server, cache_dir, "--cache-info")
    assert code == 0 and str(cache_dir) in out and "entries" in out
    code, out = run(fixture_server, cache_dir, "--clear-cache")
    assert code == 0 and "Cleared" in out
    code, _ = run(fixture_server, cache_dir, "--offline", "--format", "json", "38534005")
    assert code == 4


def test_unknown_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--frobnicate"])
    assert info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def _python(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )


def test_python_dash_m_version_and_help() -> None:
    result = _python("-m", "tui", "--version")
    assert result.returncode == 0 and result.stdout.startswith("pubterm ")
    result = _python("-m", "tui", "--help")
    assert result.returncode == 0 and "--offline" in result.stdout and "exit codes" in result.stdout


def test_print_path_imports_no_textual(fixture_server: FixtureServer, cache_dir: Path) -> None:
    run(fixture_server, cache_dir, "--format", "json", "38534005")
    code = (
        "import io, sys\n"
        "from tui.cli import main\n"
        f"rc = main(['--offline', '--cache-dir', {str(cache_dir)!r}, '--format', 'json',"
        " '38534005'], out=io.StringIO())\n"
        "assert rc == 0, rc\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "assert not bad, bad\n"
    )
    result = _python("-c", code)
    assert result.returncode == 0, result.stderr


def test_demo_prints_offline_without_a_tty(tmp_path: Path) -> None:
    home = tmp_path
    result = _python(
        "-m",
        "tui",
        "--demo",
        "--format",
        "json",
        env={
            "PATH": "/usr/bin:/bin",
            "PUBTERM_EUTILS_URL": "http://127.0.0.1:9/",
            "HOME": str(home),
        },
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["pmid"] == "35856662"


def test_remembered_choices_go_to_the_config_file_given(tmp_path: Path) -> None:
    from tui.data.settings import load_settings

    given = tmp_path / "given.toml"
    given.write_text('email = "a@example.org"\n')
    settings = load_settings(
        {}, environ={"PUBTERM_CONFIG": str(tmp_path / "env.toml")}, config_file=given
    )
    assert settings.config_file == given and settings.email == "a@example.org"
    from_env = load_settings({}, environ={"PUBTERM_CONFIG": str(tmp_path / "env.toml")})
    assert from_env.config_file == tmp_path / "env.toml"
