"""Shared pytest fixtures: the local fixture server, an isolated cache and settings.

Every test runs with an environment that cannot reach the user's real cache, config,
API key or browser, so results never depend on the machine the suite runs on.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that ``tests.server`` imports under any pytest mode
    sys.path.insert(0, str(ROOT))

from tests.loopback.sitecustomize import (  # noqa: E402
    loopback_connect,
    loopback_connect_ex,
    loopback_only,
)
from tests.server import FixtureServer  # noqa: E402
from tui.data.settings import Settings  # noqa: E402

ISOLATED_UNSET = (
    "NCBI_API_KEY",
    "PUBTERM_EMAIL",
    "BROWSER",
    "SSH_CONNECTION",
    "SSH_TTY",
    "NO_COLOR",
    # No desktop clipboard: copies go by OSC 52 alone, the same on every machine.
    "DISPLAY",
    "WAYLAND_DISPLAY",
)
# A test that forgets to aim at the fixture server gets a closed local port, never the
# real services (subprocesses inherit these too).
NOWHERE = "http://127.0.0.1:9/"
SERVICE_URLS = ("PUBTERM_EUTILS_URL", "PUBTERM_EUROPEPMC_URL", "PUBTERM_CROSSREF_URL")
LOOPBACK_SITE = Path(__file__).resolve().parent / "loopback"  # sitecustomize for subprocesses


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Keep tests away from the user's cache, config, key and browser, and off the network:
    only loopback addresses resolve inside the test process."""
    home = tmp_path_factory.mktemp("env")
    monkeypatch.setenv("PUBTERM_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("PUBTERM_CONFIG", str(home / "no-such-config.toml"))
    for name in ISOLATED_UNSET:
        monkeypatch.delenv(name, raising=False)
    for name in SERVICE_URLS:
        monkeypatch.setenv(name, NOWHERE)
    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    monkeypatch.setattr(socket.socket, "connect", loopback_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", loopback_connect_ex)
    # Subprocesses get the same guard from the loopback sitecustomize.
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(LOOPBACK_SITE), path])))


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text field in every test shows a cursor that does not blink, so every frame
    (and every snapshot) is the same whenever it is taken."""
    from textual.widgets import Input

    made = Input.__init__

    def steady(self: Input, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        self.set_reactive(Input.cursor_blink, False)

    monkeypatch.setattr(Input, "__init__", steady)


@pytest.fixture
def fixture_server() -> Iterator[FixtureServer]:
    """A running fixture server on a random 127.0.0.1 port, stopped after the test."""
    with FixtureServer() as server:
        yield server


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def settings(fixture_server: FixtureServer, cache_dir: Path) -> Settings:
    """Settings aimed at the fixture server, with a private cache and near-zero backoff."""
    return Settings(
        eutils_url=fixture_server.eutils_url,
        europepmc_url=fixture_server.europepmc_url,
        crossref_url=fixture_server.crossref_url,
        email="test@example.org",
        cache_dir=cache_dir,
        timeout=5.0,
        max_attempts=4,
        backoff_initial=0.01,
        backoff_max=0.05,
    )
