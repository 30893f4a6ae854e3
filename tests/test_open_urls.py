"""Opening links: only https DOI, PubMed and PMC pages, and a DOI is never a command.

A DOI comes from a record, so it is hostile input: ``10.1000/x"; rm -rf ~`` must reach the
browser as one percent-encoded URL argument, and ``10.1000/../../etc`` must not climb out
of doi.org's path.  The browser here is a script (``BROWSER``) that records its argv, so
the test sees exactly what a real browser would be handed.
"""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.hypothesis_profiles import examples
from tests.server import FIXTURES, FixtureServer
from tests.test_app_support import WIDE, loaded, make_app, settle, wait_for
from tui.clipboard import Outcome, doi_url, is_allowed_url, open_url, pubmed_url
from tui.data.settings import Settings

HOSTILE_DOIS = [
    '10.1000/x"; rm -rf ~',
    "10.1000/../../etc",
    "10.1000/x; touch {pwned}",
    "10.1000/$(touch {pwned})",
    "10.1000/`touch {pwned}`",
    "10.1000/x' && touch {pwned} && '",
    "10.1000/x|touch {pwned}",
    "10.1000/x\ntouch {pwned}",
    "10.1000/..",
    "10.1000/./.%2e/%2E%2E/x",
    "10.1000/x?y=1#frag",
    "10.1000/x%00y",
    "10.1000/@evil.example/x",
    "10.1000/\\\\evil.example\\x",
    "10.1000/javascript:alert(1)",
]


def argv_browser(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A BROWSER script writing each argument on its own NUL-terminated record."""
    log = tmp_path / "argv.log"
    script = tmp_path / "browser.sh"
    script.write_text(
        f'#!/bin/sh\nfor a in "$@"; do printf "%s\\0" "$a" >> "{log}"; done\n'
        f'printf "\\n\\0" >> "{log}"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    env = {"BROWSER": str(script), "PATH": os.environ.get("PATH", "")}
    return env, log


def calls(log: Path, count: int, timeout: float = 5.0) -> list[list[str]]:
    """The argv of each browser run, once ``count`` runs have finished writing."""
    deadline = time.monotonic() + timeout
    while True:
        text = log.read_text() if log.exists() else ""
        runs = [r.strip("\0").split("\0") for r in text.split("\n\0") if r.strip("\0")]
        if len(runs) >= count or time.monotonic() > deadline:
            return runs
        time.sleep(0.02)


@pytest.mark.parametrize("template", HOSTILE_DOIS)
def test_hostile_doi_reaches_the_browser_as_one_encoded_url(template: str, tmp_path: Path) -> None:
    pwned = tmp_path / "pwned"
    doi = template.format(pwned=pwned)
    env, log = argv_browser(tmp_path)
    url = doi_url(doi)
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc == "doi.org"
    assert parts.query == "" and parts.fragment == ""
    assert all(seg not in (".", "..") for seg in parts.path.split("/"))
    assert all(ch not in url for ch in " \"'`;$|&\n\\")
    assert "/".join(unquote(s) for s in parts.path.split("/")[1:]) == doi.strip()
    outcome = open_url(url, environ=env)
    assert outcome.outcome is Outcome.OPENED, outcome
    (argv,) = calls(log, 1)
    assert argv == [url]
    time.sleep(0.1)
    assert not pwned.exists()
    assert not (Path.home() / "pwned").exists()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://doi.org/10.1000/x",
        "https://evil.example/10.1000/x",
        "https://doi.org.evil.example/10.1000/x",
        "https://user@doi.org/10.1000/x",
        "https://doi.org:8443/10.1000/x",
        "javascript:alert(1)",
        "https://doi.org/",
        "https://www.ncbi.nlm.nih.gov/gene/1",
        "https://doi.org/10.1000/a b",
        "https://doi.org/10.1000/a\nb",
        "https://doi.org/10.1000/../../etc/passwd",
        "https://doi.org/10.1000/x\x1b]52;c;SGk=\x07",
        "ftp://pubmed.ncbi.nlm.nih.gov/1/",
        "https://pubmed.ncbi.nlm.nih.gov@evil.example/1/",
        "HTTPS://evil.example/",
        "https:/doi.org/10.1000/x",
        "//doi.org/10.1000/x",
        "",
    ],
)
def test_other_urls_are_refused_and_no_browser_runs(url: str, tmp_path: Path) -> None:
    env, log = argv_browser(tmp_path)
    outcome = open_url(url, environ=env)
    assert outcome.outcome is Outcome.REFUSED
    assert "\n" not in outcome.message and "\x1b" not in outcome.message
    time.sleep(0.05)
    assert not log.exists()


@hsettings(max_examples=examples(800))
@given(st.text(max_size=40))
def test_every_doi_url_is_allowed_and_stays_under_doi_org(suffix: str) -> None:
    doi = "10.1000/" + suffix
    url = doi_url(doi)
    assert is_allowed_url(url), url
    parts = urlsplit(url)
    assert parts.netloc == "doi.org" and not parts.query and not parts.fragment
    assert all(seg not in (".", "..") for seg in parts.path.split("/"))
    assert "/".join(unquote(s) for s in parts.path.split("/")[1:]) == doi.strip()


def test_pubmed_url_of_a_non_pmid_is_refused() -> None:
    assert (
        open_url(pubmed_url("1; rm -rf ~"), environ={"BROWSER": "/bin/false"}).outcome
        is Outcome.REFUSED
    )


async def test_reader_opens_a_hostile_doi_encoded(
    fixture_server: FixtureServer,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``o`` on a record whose DOI is a shell command opens doi.org with it encoded."""
    pwned = tmp_path / "pwned"
    doi = f'10.1000/x";touch${{IFS}}{pwned};$(touch${{IFS}}{pwned})'
    xml = (FIXTURES / "pubmed" / "38048813.xml").read_bytes()
    xml = re.sub(
        rb'(<ArticleId IdType="doi">)[^<]*(</ArticleId>)',
        lambda m: m.group(1) + doi.encode() + m.group(2),
        xml,
        count=1,
    )
    fixture_server.add_record("38048813", xml)
    env, log = argv_browser(tmp_path)
    monkeypatch.setenv("BROWSER", env["BROWSER"])
    app = make_app(settings, "38048813")
    async with app.run_test(size=WIDE) as pilot:
        record = await loaded(pilot, "38048813")
        assert record.doi == doi
        await pilot.press("1", "o")
        await wait_for(pilot, lambda: log.exists())
        await settle(pilot)
        (argv,) = calls(log, 1)
        assert argv == [doi_url(doi)]
        assert argv[0].startswith("https://doi.org/10.1000/x%22%3Btouch%24%7BIFS%7D")
        assert app.is_running
    assert not pwned.exists()
