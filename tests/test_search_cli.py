"""``pubterm search`` end to end: real client, real HTTP, the fixture server's evaluator."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import FixtureServer
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
RESULT_KEYS = {
    "rank",
    "pmid",
    "doi",
    "pmcid",
    "title",
    "authors",
    "journal",
    "year",
    "publication_types",
    "retracted",
}


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("backoff_initial = 0.01\nbackoff_max = 0.05\nmax_attempts = 3\n")
    monkeypatch.setenv("PUBTERM_CONFIG", str(config))


def search(server: FixtureServer, cache: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(
        [
            "search",
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


def sent(server: FixtureServer) -> dict[str, str]:
    (request,) = server.logged("esearch")
    return request.params


def test_text_lists_the_results_and_stderr_has_count_and_translation(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = search(fixture_server, cache_dir, "ergothioneine antioxidant")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "1. The biology of ergothioneine, an antioxidant nutraceutical."
    assert lines[1].startswith("   Borodina I et al. · ")
    assert "· 2020 · Review · Free full text · PMID 32051057" in " ".join(
        x.strip() for x in lines[1:]
    )
    err = capsys.readouterr().err
    assert '1 result · "ergothioneine"[All Fields] AND "antioxidant"[All Fields]' in err
    params = sent(fixture_server)
    assert params["term"] == "ergothioneine antioxidant"
    assert (params["sort"], params["retstart"], params["retmax"]) == ("relevance", "0", "20")
    assert params["usehistory"] == "y" and "WebEnv" not in params
    assert params["tool"] == "pubterm" and params["db"] == "pubmed"
    # one esummary for the page's titles, no efetch
    assert [r.endpoint for r in fixture_server.logged()] == ["esearch", "esummary"]


def test_json_lines_one_result_each(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, out = search(
        fixture_server, cache_dir, "review[pt]", "--sort", "date", "--format", "json"
    )
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert all(set(r) == RESULT_KEYS for r in rows)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    years = [r["year"] for r in rows]
    assert years == sorted(years, reverse=True) and len(rows) > 3
    first = rows[0]
    assert all("Review" in r["publication_types"] for r in rows)
    assert first["retracted"] is False and isinstance(first["authors"], list)
    by_pmid = {r["pmid"]: r for r in rows}
    assert by_pmid["35856662"]["doi"] == "10.1128/aac.00216-22"
    assert by_pmid["35856662"]["pmcid"] == "PMC9380527"
    assert sent(fixture_server)["sort"] == "pub_date"


@pytest.mark.parametrize(
    ("sort", "value"),
    [
        ("relevance", "relevance"),
        ("date", "pub_date"),
        ("author", "Author"),
        ("journal", "JournalName"),
    ],
)
def test_each_sort_is_sent_and_followed(
    fixture_server: FixtureServer, cache_dir: Path, sort: str, value: str
) -> None:
    code, out = search(
        fixture_server, cache_dir, "review[pt]", "--sort", sort, "--format", "json", "--limit", "50"
    )
    assert code == 0 and sent(fixture_server)["sort"] == value
    rows = [json.loads(line) for line in out.splitlines()]
    if sort == "author":
        # Records without authors (group reports, some books) sort last, as on PubMed.
        keys = [(not r["authors"], r["authors"][0].lower() if r["authors"] else "") for r in rows]
    elif sort == "journal":
        keys = [r["journal"].lower() for r in rows]
    else:
        keys = [r["year"] for r in rows][::-1]  # no words to rank: newest first
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("name", "clause", "check"),
    [
        ("review", "review[pt]", lambda r: "Review" in r["publication_types"]),
        (
            "systematic-review",
            "systematic[sb]",
            lambda r: "Systematic Review" in r["publication_types"],
        ),
        ("free-full-text", "free full text[sb]", lambda r: r["pmcid"] is not None),
    ],
)
def test_each_filter_is_anded_and_narrows(
    fixture_server: FixtureServer, cache_dir: Path, name: str, clause: str, check: object
) -> None:
    code, out = search(
        fixture_server, cache_dir, "2018:2025[dp]", "--filter", name, "--format", "json"
    )
    assert code == 0
    assert sent(fixture_server)["term"] == f"(2018:2025[dp]) AND {clause}"
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(check(r) for r in rows)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "clause"),
    [("meta-analysis", "meta-analysis[pt]"), ("clinical-trial", "clinical trial[pt]")],
)
def test_filters_the_fixtures_lack_find_nothing(
    fixture_server: FixtureServer,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    clause: str,
) -> None:
    code, out = search(fixture_server, cache_dir, "review", "--filter", name)
    assert code == 3 and out == ""
    assert sent(fixture_server)["term"] == f"review AND {clause}"
    assert "No results for review · " + name in capsys.readouterr().err


def test_years_and_several_filters(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, _ = search(
        fixture_server,
        cache_dir,
        "CAR-T solid tumors",
        "--filter",
        "review",
        "--filter",
        "free-full-text",
        "--years",
        "2020-2025",
        "--format",
        "ids",
    )
    assert sent(fixture_server)["term"] == (
        "CAR-T solid tumors AND review[pt] AND free full text[sb] AND 2020:2025[dp]"
    )
    assert code == 3  # no such words in the fixtures


def test_years_filter_results(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, out = search(
        fixture_server, cache_dir, "review[pt]", "--years", "2023", "--format", "json"
    )
    assert code == 0
    assert {json.loads(line)["year"] for line in out.splitlines()} == {"2023"}


def test_paging_by_page_and_offset(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, whole = search(
        fixture_server, cache_dir, "review[pt]", "--sort", "date", "--format", "ids"
    )
    every = whole.split()
    fixture_server.clear_log()
    code, out = search(
        fixture_server,
        cache_dir,
        "review[pt]",
        "--sort",
        "date",
        "--limit",
        "3",
        "--page",
        "2",
        "--format",
        "ids",
    )
    assert code == 0 and out.split() == every[3:6]
    assert (sent(fixture_server)["retstart"], sent(fixture_server)["retmax"]) == ("3", "3")
    fixture_server.clear_log()
    code, out = search(
        fixture_server,
        cache_dir,
        "review[pt]",
        "--sort",
        "date",
        "--limit",
        "2",
        "--offset",
        "5",
        "--format",
        "json",
    )
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["pmid"] for r in rows] == every[5:7] and [r["rank"] for r in rows] == [6, 7]
    assert sent(fixture_server)["retstart"] == "5"


def test_a_page_past_the_end(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = search(fixture_server, cache_dir, "review[pt]", "--page", "9")
    assert code == 3 and out == ""
    assert "No results from 161 on: there are" in capsys.readouterr().err


def test_ids_cost_one_esearch(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code, out = search(fixture_server, cache_dir, "pulmonary", "--format", "ids")
    assert code == 0 and out == "31588070\n29963580\n"
    assert [r.endpoint for r in fixture_server.logged()] == ["esearch"]


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("bibtex", "@article{"),
        ("ris", "TY  - "),
        ("medline", "PMID- "),
        ("csl-json", '"type"'),
        ("cite", "(2020)"),
        ("markdown", "# The biology of ergothioneine"),
    ],
)
def test_record_formats_fetch_the_page_with_one_efetch(
    fixture_server: FixtureServer, cache_dir: Path, fmt: str, marker: str
) -> None:
    code, out = search(fixture_server, cache_dir, "pulmonary OR antioxidant", "--format", fmt)
    assert code == 0 and marker in out
    (efetch,) = fixture_server.logged("efetch")
    assert set(efetch.params["id"].split(",")) == {"31588070", "29963580", "32051057"}
    assert "Ergothioneine" in out or "ergothioneine" in out


def test_count_prints_only_the_count(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = search(fixture_server, cache_dir, "--count", "review[pt]")
    assert code == 0 and out.strip().isdigit() and int(out) > 3
    params = sent(fixture_server)
    assert params["retmax"] == "0" and "usehistory" not in params
    assert [r.endpoint for r in fixture_server.logged()] == ["esearch"]
    assert capsys.readouterr().err == ""


def test_count_of_nothing_is_zero_and_exit_3(
    fixture_server: FixtureServer, cache_dir: Path
) -> None:
    code, out = search(fixture_server, cache_dir, "--count", '"pulmonary ergothioneine"')
    assert (code, out) == (3, "0\n")


def test_phrase_not_found_is_a_warning(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = search(fixture_server, cache_dir, "ergothioneine fleeglewobble", "--format", "ids")
    assert (code, out) == (0, "32051057\n")
    err = capsys.readouterr().err
    assert "pubterm: warning: Not found in PubMed, left out of the search: fleeglewobble" in err


def test_quoted_phrase_not_found_and_zero_results(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = search(fixture_server, cache_dir, '"pulmonary ergothioneine"')
    assert (code, out) == (3, "")
    err = capsys.readouterr().err
    assert 'pubterm: warning: Quoted phrase not found: "pulmonary ergothioneine"' in err
    assert 'pubterm: No results for "pulmonary ergothioneine"' in err
    assert "No items found" not in err  # said in words instead


def test_a_syntax_error_is_a_usage_error(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = search(fixture_server, cache_dir, "(review[pt] OR ergothioneine")
    assert (code, out) == (2, "")
    assert "pubterm: PubMed could not run the search: an opening parenthesis is not closed" in (
        capsys.readouterr().err
    )


def test_service_failure_is_exit_4(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture_server.add_fault("503", times=10, endpoint="esearch")
    code, out = search(fixture_server, cache_dir, "review[pt]")
    assert (code, out) == (4, "")
    assert "pubterm: NCBI E-utilities answered 503 Service Unavailable" in capsys.readouterr().err
    assert len(fixture_server.logged("esearch")) == 3


def test_esummary_failure_is_exit_4(fixture_server: FixtureServer, cache_dir: Path) -> None:
    fixture_server.add_fault("500", times=10, endpoint="esummary")
    code, out = search(fixture_server, cache_dir, "review[pt]")
    assert (code, out) == (4, "")


def test_a_retry_is_told_and_the_search_goes_on(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture_server.add_fault("429", times=1, endpoint="esearch")
    code, out = search(fixture_server, cache_dir, "ergothioneine", "--format", "ids")
    assert (code, out) == (0, "32051057\n")
    assert "Rate limited by NCBI, retrying in" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["--years", "2025-2020", "x"],
        ["--filter", "reviews", "x"],
        ["--sort", "newest", "x"],
        ["--limit", "0", "x"],
        ["--page", "0", "x"],
        ["--page", "2", "--offset", "3", "x"],
        [" "],
        [],
    ],
)
def test_usage_errors_exit_2_before_any_request(
    fixture_server: FixtureServer, cache_dir: Path, args: list[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        search(fixture_server, cache_dir, *args)
    assert raised.value.code == 2
    assert fixture_server.logged() == []


def test_offline_search_says_it_needs_the_network(
    fixture_server: FixtureServer,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    (tmp_path / "config.toml").write_text("offline = true\n")
    code, _ = search(fixture_server, cache_dir, "review[pt]")
    assert code == 4 and "needs the network" in capsys.readouterr().err
    assert fixture_server.logged() == []


def test_record_text_is_data_in_the_list(fixture_server: FixtureServer, cache_dir: Path) -> None:
    fixture_server.add_summary(
        "32051057",
        title="Evil \x1b]52;c;aGk=\x07title [b]x[/b]",
        authors=["Borodina I"],
        pubdate="2020",
    )
    code, out = search(fixture_server, cache_dir, "ergothioneine")
    assert code == 0 and "\x1b" not in out and "Evil title [b]x[/b]" in out


def test_retracted_results_are_flagged(fixture_server: FixtureServer, cache_dir: Path) -> None:
    fixture_server.add_summary(
        "32051057",
        title="The biology of ergothioneine",
        authors=["Borodina I"],
        pubdate="2020",
        pubtypes=["Journal Article", "Retracted Publication"],
    )
    code, out = search(fixture_server, cache_dir, "ergothioneine", "--format", "json")
    assert json.loads(out)["retracted"] is True
    code, out = search(fixture_server, cache_dir, "ergothioneine", "--refresh")
    assert code == 0 and "! Retracted" in out


def test_search_imports_no_textual(fixture_server: FixtureServer, cache_dir: Path) -> None:
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"rc = main(['search', '--eutils-url', {fixture_server.eutils_url!r}, '--cache-dir',"
        f" {str(cache_dir)!r}, 'ergothioneine'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'})\n"
        "assert rc == 0 and not bad, (rc, bad)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)
