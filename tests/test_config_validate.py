"""The config file is checked once, against its schema, through the real command line: a
wrong value is one line on stderr naming the file, the key, what it got and what it
wants (exit 2, nothing fetched, no traceback); an unknown key is a warning naming the
closest known key."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import FixtureServer
from tui.cli import main
from tui.data.config_schema import KNOWN_KEYS
from tui.data.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent

# (what the file says, the one line pubterm answers with after "config file PATH: ")
BAD_VALUES = [
    ("api_key = 5", "api_key is a number, but it must be your NCBI API key in quotes"),
    (
        'timeout = "fast"',
        'timeout is "fast", but it must be a number of seconds, above 0, like 20',
    ),
    (
        'max_attempts = "3"',
        'max_attempts is "3", but it must be a whole number, 1 or more, like 5',
    ),
    (
        'fresh_days = "x"',
        'fresh_days is "x", but it must be a number of days, 0 or more, like 30',
    ),
    ("style = 7", 'style is 7, but it must be a citation style in quotes, like "apa"'),
    ('offline = "no"', 'offline is "no", but it must be true or false, without quotes'),
    (
        'cache_size_mb = "big"',
        'cache_size_mb is "big", but it must be a whole number of megabytes, 1 or more, like 512',
    ),
    (
        'cache_dir = ["a"]',
        'cache_dir is ["a"], but it must be a folder in quotes, like "~/papers/.pubterm-cache"',
    ),
    ("max-attempts = 0", "max_attempts is 0, but it must be a whole number, 1 or more, like 5"),
    ("timeout = true", "timeout is true, but it must be a number of seconds, above 0, like 20"),
    (
        'eutils_url = "ftp://example.org/"',
        'eutils_url is "ftp://example.org/", but it must be a web address in quotes, '
        "starting https://",
    ),
    (
        'saved_searches = ["ergothioneine", 3]',
        "saved_searches[1] is 3, but it must be a list of PubMed queries in quotes, "
        'like ["ergothioneine"]',
    ),
    (
        '[keys]\nquit = "q"\nhelp = 1',
        'keys.help is 1, but it must be a table of binding id = "keys" in quotes, '
        'like quit = "ctrl+q"',
    ),
]


@pytest.fixture
def served(fixture_server: FixtureServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """The config lines aiming at the fixture server (the environment, which would win
    over the file, is cleared)."""
    for name in ("PUBTERM_EUTILS_URL", "PUBTERM_EUROPEPMC_URL", "PUBTERM_CROSSREF_URL"):
        monkeypatch.delenv(name)
    return (
        f'eutils_url = "{fixture_server.eutils_url}"\n'
        f'europepmc_url = "{fixture_server.europepmc_url}"\n'
        f'crossref_url = "{fixture_server.crossref_url}"\n'
    )


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def run_cli(config: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["--config", str(config), *args], out=out), out.getvalue()


@pytest.mark.parametrize(("text", "line"), BAD_VALUES, ids=[t for t, _ in BAD_VALUES])
def test_a_wrong_value_is_one_line_and_exit_2(
    text: str,
    line: str,
    tmp_path: Path,
    fixture_server: FixtureServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PUBTERM_EUTILS_URL", fixture_server.eutils_url)
    config = write_config(tmp_path, text)
    code, out = run_cli(config, "--format", "json", "35856662")
    assert (code, out) == (2, "")
    assert capsys.readouterr().err.splitlines() == [f"pubterm: config file {config}: {line}"]
    assert fixture_server.requests == []  # refused before anything was fetched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_the_real_command_says_one_line_without_a_traceback(tmp_path: Path) -> None:
    """``python -m tui`` in a folder of its own: exit 2, one line, no folder ``['a']``."""
    config = write_config(tmp_path, 'cache_dir = ["a"]')
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--config", str(config), "--cache-info"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f'pubterm: config file {config}: cache_dir is ["a"], but it must be a folder in '
        'quotes, like "~/papers/.pubterm-cache"'
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_the_reader_does_not_start_on_a_wrong_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tui.app

    def never(*args: object, **kwargs: object) -> int:
        raise AssertionError("the reader started")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(tui.app, "run_reader", never)
    config = write_config(tmp_path, 'offline = "no"')
    assert main(["--config", str(config), "--demo"], out=Terminal()) == 2
    assert capsys.readouterr().err.startswith(f"pubterm: config file {config}: offline is")


def test_the_search_command_checks_the_file_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, 'timeout = "fast"')
    assert main(["search", "--config", str(config), "ergothioneine"], out=io.StringIO()) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f'pubterm: config file {config}: timeout is "fast", but it must be a number of '
        "seconds, above 0, like 20"
    ]


def test_a_key_value_is_never_repeated_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, 'api_key = ["0123-secret-key"]\nemail = 42')
    assert run_cli(config, "--cache-info")[0] == 2
    err = capsys.readouterr().err
    assert "secret" not in err and err.count("\n") == 1
    assert "api_key is a list, but it must be your NCBI API key in quotes" in err


def test_an_unknown_key_is_a_warning_naming_the_closest(
    tmp_path: Path,
    fixture_server: FixtureServer,
    served: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, served + 'tiemout = 5\nofline = true\nflavour = "mint"')
    code, out = run_cli(config, "--format", "json", "35856662")
    assert code == 0 and json.loads(out)["pmid"] == "35856662"
    assert capsys.readouterr().err.splitlines() == [
        f'pubterm: warning: config file {config}: unknown key "tiemout" (did you mean '
        '"timeout"?) is ignored',
        f'pubterm: warning: config file {config}: unknown key "ofline" (did you mean '
        '"offline"?) is ignored',
        f'pubterm: warning: config file {config}: unknown key "flavour" is ignored',
    ]
    # "ofline = true" did not turn offline on: the record came from the server.
    assert len(fixture_server.logged("efetch")) == 1


def test_every_valid_key_and_table_is_accepted(
    tmp_path: Path,
    fixture_server: FixtureServer,
    served: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(
        tmp_path,
        served
        + f"""\
api_key = "config-test-key"
email = "me@example.org"
cache_dir = "{tmp_path / "cache"}"
cache_size_mb = 64
fresh_days = 7
timeout = 10
max_attempts = 2
backoff_initial = 0.01
backoff_max = 0.05
offline = false
refresh = false
style = "vancouver"
last_format = "ris"
theme = "textual-light"
saved_searches = ["ergothioneine AND review[pt]"]

[keys]
quit = "ctrl+q"
help = "f1,question_mark"
""",
    )
    code, out = run_cli(config, "--format", "json", "35856662")
    assert code == 0 and json.loads(out)["pmid"] == "35856662"
    assert capsys.readouterr().err == ""
    sent = fixture_server.logged("efetch")[0].params
    assert (sent["api_key"], sent["email"]) == ("config-test-key", "me@example.org")


def test_values_arrive_typed(tmp_path: Path) -> None:
    config = write_config(tmp_path, 'timeout = 12\nfresh_days = 0\ncache_dir = "~/papers"')
    settings = load_settings(environ={}, config_file=config)
    assert settings.timeout == 12.0 and isinstance(settings.timeout, float)
    assert settings.fresh_days == 0.0
    assert settings.cache_dir == Path.home() / "papers"


def test_every_setting_has_a_key_in_the_schema() -> None:
    """The schema and the settings are one list: a new setting needs its rule here."""
    names = {f.name for f in dataclasses.fields(Settings)} - {"config_file"}
    assert names <= set(KNOWN_KEYS)
    assert set(KNOWN_KEYS) - names <= {"saved_searches", "keys"}
