"""The NCBI API key and the user's e-mail stay secret.

They are sent to NCBI with each E-utilities request and must appear nowhere else: not on
stderr under any fault, not in exception messages or tracebacks, not in reprs, not in
cache keys or values, not in log records, not on the reader's screen, and the key never
reaches another service.
"""

from __future__ import annotations

import io
import logging
import traceback
from dataclasses import replace
from pathlib import Path

import diskcache
import pytest

from tests.server import FAULT_KINDS, FixtureServer
from tests.test_app_support import WIDE, banner, make_app, settle, wait_for
from tests.test_faults_matrix import API_KEY, EMAIL
from tui.cli import main
from tui.data.errors import PubtermError
from tui.data.eutils import EutilsClient, RetryNotice
from tui.data.service import PubMed
from tui.data.settings import Settings

PMID = "38048813"
DOI = "10.1128/aac.00216-22"  # of 35856662
EMAIL_PARTS = (EMAIL, EMAIL.replace("@", "%40"), EMAIL.split("@")[0])
KEY_PARTS = (API_KEY, API_KEY[:12])


def secret_free(text: str) -> bool:
    return not any(part in text for part in (*KEY_PARTS, *EMAIL_PARTS))


@pytest.fixture
def secret_settings(settings: Settings) -> Settings:
    return replace(settings, api_key=API_KEY, email=EMAIL, max_attempts=2)


def test_reprs_hide_the_secrets(secret_settings: Settings) -> None:
    assert secret_free(repr(secret_settings)) and secret_free(str(secret_settings))
    client = EutilsClient(secret_settings)
    assert secret_free(repr(client)) and secret_free(str(client))
    service = PubMed(secret_settings)
    assert secret_free(repr(service))
    assert secret_free(str(RetryNotice("Rate limited by NCBI", 1.0, 1, 3)))


def _fault_param(kind: str) -> object:
    return kind


# The fault matrix (test_faults_matrix.py) runs the slow faults with --api-key and --email
# set and checks stderr too; here every kind runs once more with a DOI in the batch.
SLOW = {"stall", "429-retry-after"}


@pytest.mark.parametrize("kind", [_fault_param(k) for k in sorted(FAULT_KINDS - SLOW)])
def test_cli_stderr_under_every_fault(
    kind: str,
    fixture_server: FixtureServer,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "backoff_initial = 0.01\nbackoff_max = 0.02\nmax_attempts = 2\ntimeout = 0.5\n"
    )
    monkeypatch.setenv("PUBTERM_CONFIG", str(config))
    fixture_server.stall_seconds = 2
    fixture_server.add_fault(kind, times=10)
    out = io.StringIO()
    code = main(
        [
            "--eutils-url",
            fixture_server.eutils_url,
            "--cache-dir",
            str(cache_dir),
            "--api-key",
            API_KEY,
            "--email",
            EMAIL,
            "--format",
            "json",
            PMID,
            DOI,
        ],
        out=out,
    )
    err = capsys.readouterr().err
    assert code in (3, 4), err
    assert err.strip()
    assert secret_free(err + out.getvalue()), err


@pytest.mark.parametrize(
    "kind",
    [_fault_param(k) for k in ("400", "500", "429", "html-200", "wrong-xml", "truncate", "drop")],
)
async def test_exception_messages_and_tracebacks(
    kind: str, fixture_server: FixtureServer, secret_settings: Settings
) -> None:
    fixture_server.add_fault(kind, times=10)
    async with EutilsClient(secret_settings) as client:
        with pytest.raises(PubtermError) as caught:
            await client.efetch([PMID])
    err = caught.value
    text = "".join(traceback.format_exception(err)) + repr(err) + repr(err.args)
    assert secret_free(text), text


def test_cache_keys_and_values(
    fixture_server: FixtureServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--eutils-url",
            fixture_server.eutils_url,
            "--cache-dir",
            str(cache_dir),
            "--api-key",
            API_KEY,
            "--email",
            EMAIL,
            "--format",
            "json",
            PMID,
            DOI,
            "PMC9380527",
        ],
        out=io.StringIO(),
    )
    assert code == 0, capsys.readouterr().err
    with diskcache.Cache(str(cache_dir)) as raw:
        keys = list(raw.iterkeys())
        values = [raw[k] for k in keys]
    assert len(keys) >= 4, keys  # two records and two aliases at least
    assert all(secret_free(str(k)) for k in keys), keys
    assert all(secret_free(v.decode("utf-8", "replace")) for v in values)
    for path in cache_dir.rglob("*"):
        if path.is_file():
            assert secret_free(path.read_bytes().decode("utf-8", "replace")), path


def test_log_records(
    fixture_server: FixtureServer, cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """httpx logs each request's URL; the DOI takes the batch through it (a batch of
    PMIDs from an http:// address is one plain request, which logs nothing)."""
    fixture_server.add_fault("500")
    with caplog.at_level(logging.DEBUG):
        main(
            [
                "--eutils-url",
                fixture_server.eutils_url,
                "--cache-dir",
                str(cache_dir),
                "--api-key",
                API_KEY,
                "--email",
                EMAIL,
                "--format",
                "json",
                PMID,
                DOI,
            ],
            out=io.StringIO(),
        )
    assert caplog.records, "nothing was logged at all"
    assert all(secret_free(r.getMessage()) for r in caplog.records), [
        r.getMessage() for r in caplog.records if not secret_free(r.getMessage())
    ]


async def test_key_goes_to_ncbi_only(
    fixture_server: FixtureServer, secret_settings: Settings
) -> None:
    async with EutilsClient(secret_settings) as client:
        await client.efetch([PMID])
        await client.get_json(secret_settings.europepmc_url + "MED/28815688/references")
        await client.get_json(secret_settings.crossref_url + "works/10.1093/gji/ggz376")
    by = {r.endpoint: r for r in fixture_server.logged()}
    assert by["efetch"].params.get("api_key") == API_KEY
    for endpoint in ("europepmc", "crossref"):
        seen = repr(by[endpoint].params) + repr(by[endpoint].headers) + by[endpoint].path
        assert API_KEY not in seen, endpoint


@pytest.mark.parametrize("kind", [_fault_param("400"), "500", "unreachable"])
async def test_reader_screen_under_errors(
    kind: str, fixture_server: FixtureServer, secret_settings: Settings
) -> None:
    config = secret_settings
    if kind == "unreachable":
        config = replace(config, eutils_url="http://127.0.0.1:9/entrez/eutils/")
    else:
        fixture_server.add_fault(kind, times=10)
    app = make_app(config, PMID)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: banner(app).kind == "error", timeout=10)
        await settle(pilot)
        shown = banner(app).message + app.export_screenshot()
        assert secret_free(shown), banner(app).message
