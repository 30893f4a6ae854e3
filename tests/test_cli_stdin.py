"""``pubterm -``: IDs from standard input, and a search piped into a record format."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import FixtureServer
from tui.cli import main
from tui.cli_stdin import id_lines, with_stdin

ROOT = Path(__file__).resolve().parent.parent


def test_id_lines_skip_blank_lines_and_comments() -> None:
    text = "# my reading list\n\n32051057  # the review\n  35856662\n\t\n#38909159\n10.1128/x#y\n"
    assert id_lines(io.StringIO(text)) == ["32051057", "35856662", "10.1128/x#y"]


def test_with_stdin_replaces_the_dash_in_place() -> None:
    assert with_stdin(["1", "-", "2", "-"], io.StringIO("3\n4\n")) == ["1", "3", "4", "2", "3", "4"]
    assert with_stdin(["1"], io.StringIO("3\n")) == ["1"]


def run(
    server: FixtureServer, cache: Path, stdin: str, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    code = main(["--eutils-url", server.eutils_url, "--cache-dir", str(cache), *args], out=out)
    return code, out.getvalue()


def test_ids_from_stdin_in_one_batched_efetch(
    fixture_server: FixtureServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run(
        fixture_server,
        cache_dir,
        "# two reviews\n32051057\n\n35856662  # OXA-48\n",
        monkeypatch,
        "--format",
        "json",
        "-",
    )
    assert code == 0
    assert [json.loads(line)["pmid"] for line in out.splitlines()] == ["32051057", "35856662"]
    (efetch,) = fixture_server.logged("efetch")
    assert efetch.params["id"] == "32051057,35856662"


def test_stdin_without_a_format_prints_text(
    fixture_server: FixtureServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run(fixture_server, cache_dir, "32051057\n", monkeypatch, "-")
    assert code == 0 and out.startswith("The biology of ergothioneine")


def test_an_empty_stdin_is_a_usage_error(
    fixture_server: FixtureServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as raised:
        run(fixture_server, cache_dir, "# nothing\n\n", monkeypatch, "-")
    assert raised.value.code == 2 and fixture_server.logged() == []


def test_a_bad_id_on_stdin_is_named(
    fixture_server: FixtureServer,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(fixture_server, cache_dir, "32051057\nnot-an-id\n", monkeypatch, "-")
    assert (code, out) == (2, "") and "'not-an-id'" in capsys.readouterr().err


def test_a_search_pipes_into_bibtex(fixture_server: FixtureServer, cache_dir: Path) -> None:
    env = {
        **os.environ,
        "PUBTERM_EUTILS_URL": fixture_server.eutils_url,
        "PUBTERM_CACHE_DIR": str(cache_dir),
    }
    search = subprocess.run(
        [sys.executable, "-m", "tui", "search", "pulmonary OR antioxidant", "--format", "ids"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert search.returncode == 0, search.stderr
    assert search.stderr.startswith("3 results · ")
    bibtex = subprocess.run(
        [sys.executable, "-m", "tui", "--format", "bibtex", "-"],
        input=search.stdout,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert bibtex.returncode == 0, bibtex.stderr
    assert bibtex.stdout.count("@article{") == 3
    assert "Ergothioneine" in bibtex.stdout or "ergothioneine" in bibtex.stdout
    (efetch,) = fixture_server.logged("efetch")
    assert efetch.params["id"].split(",") == search.stdout.split()
