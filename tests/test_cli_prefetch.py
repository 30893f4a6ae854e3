"""`pubterm --prefetch ID` end to end: the real client, real HTTP, the local server."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.server import FixtureServer
from tests.test_prefetch import REVIEW, article_set, max_in_any_second, serve_references
from tui.cli import main


def run(server: FixtureServer, cache: Path, *args: str) -> tuple[int, str]:
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
            str(cache),
            "--email",
            "test@example.org",
            *args,
        ],
        out=out,
    )
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("backoff_initial = 0.01\nbackoff_max = 0.05\nmax_attempts = 3\n")
    monkeypatch.setenv("PUBTERM_CONFIG", str(config))


def test_prefetch_then_read_any_reference_offline(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pmids = serve_references(fixture_server)
    fixture_server.fulltext.enable()  # the review's own text is asked for too
    code, out = run(fixture_server, cache_dir, "--prefetch", REVIEW)
    err = capsys.readouterr().err.splitlines()
    assert code == 0 and out == ""
    assert err[-2] == f"pubterm: {REVIEW}: No open-access full text: PMC has no article PMC7653990"
    assert [line for line in err if "prefetched" in line] == [
        "pubterm: prefetched 200/508",
        "pubterm: prefetched 400/508",
        "pubterm: prefetched 508/508",
    ]
    assert err[-1] == (
        f"pubterm: {REVIEW}: 597 references, 508 with a PMID: "
        "508 fetched, 0 already cached, 0 failed"
    )
    ncbi = [r for r in fixture_server.requests if r.path.startswith("/entrez/")]
    # The record, three batches of references, and PMC's answer for the full text.
    assert len(fixture_server.logged("efetch")) == len(ncbi) == 1 + 3 + 1
    assert max_in_any_second(ncbi) <= 3
    fixture_server.clear_log()
    for pmid in (pmids[0], pmids[257], pmids[-1]):
        code, out = run(fixture_server, cache_dir, "--offline", "--format", "json", pmid)
        assert code == 0
        obj = json.loads(out)
        assert obj["pmid"] == pmid and obj["cached"] is True
    code, out = run(fixture_server, cache_dir, "--offline", "--format", "json", REVIEW)
    assert code == 0 and len(json.loads(out)["references"]) == 597
    assert fixture_server.requests == []


def test_second_prefetch_downloads_nothing(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serve_references(fixture_server)
    fixture_server.fulltext.enable()  # PMC's "no such article" is cached like any answer
    assert run(fixture_server, cache_dir, "--prefetch", REVIEW)[0] == 0
    capsys.readouterr()
    fixture_server.clear_log()
    assert run(fixture_server, cache_dir, "--prefetch", REVIEW)[0] == 0
    err = capsys.readouterr().err.splitlines()
    assert err[-1].endswith("0 fetched, 508 already cached, 0 failed")
    assert fixture_server.requests == []


def test_fallback_list_is_prefetched_and_named(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture_server.add_record("28815688", article_set(["28815688"]))
    cited = ["21480335", "24860505", "21393479"]
    fixture_server.add_record(cited[0], article_set(cited))
    code, _ = run(fixture_server, cache_dir, "--prefetch", "28815688")
    err = capsys.readouterr().err.splitlines()
    assert code == 3  # two of the five cited PMIDs are unknown to this server
    assert err[-1] == (
        "pubterm: 28815688: 5 references (from Europe PMC), 5 with a PMID: "
        "3 fetched, 0 already cached, 2 not in PubMed"
    )
    assert sum(1 for line in err if line.startswith("pubterm: PMID ")) == 2
    code, out = run(fixture_server, cache_dir, "--offline", "--format", "json", cited[1])
    assert code == 0 and json.loads(out)["pmid"] == cited[1]


def test_unknown_record_and_bad_usage(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(fixture_server, cache_dir, "--prefetch", "99999999")[0] == 3
    assert run(fixture_server, cache_dir, "--prefetch", "not an id")[0] == 2
    with pytest.raises(SystemExit) as info:
        run(fixture_server, cache_dir, "--prefetch", REVIEW, "38534005")
    assert info.value.code == 2
    assert run(fixture_server, cache_dir, "--offline", "--prefetch", REVIEW)[0] == 4
    assert "isn't available offline" in capsys.readouterr().err
