"""The suite itself cannot reach the internet: only loopback resolves, even by accident."""

from __future__ import annotations

import io
import re
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tui.cli import main
from tui.data.settings import (
    DEFAULT_CROSSREF_URL,
    DEFAULT_EUROPEPMC_URL,
    DEFAULT_EUTILS_URL,
    load_settings,
)


@pytest.fixture
def resolver_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Behind the guard, a resolver that answers loopback only and records every other
    name it is asked for: even a broken guard then sends no query off the machine."""
    from tests.loopback import sitecustomize

    real = sitecustomize._real_getaddrinfo
    asked: list[str] = []

    def tripwire(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in ("localhost", "127.0.0.1", "::1"):
            return real(host, *args, **kwargs)
        asked.append(name)
        raise socket.gaierror(socket.EAI_NONAME, f"the guard let {name} through")

    monkeypatch.setattr(sitecustomize, "_real_getaddrinfo", tripwire)
    return asked


def test_only_loopback_resolves(resolver_asked: list[str]) -> None:
    assert socket.getaddrinfo("127.0.0.1", 80)
    assert socket.getaddrinfo("localhost", 80)
    # Reserved names and addresses (RFC 2606, RFC 5737): nothing real is named here.
    for host, port in (("service.example", 443), ("203.0.113.7", 53)):
        with pytest.raises(socket.gaierror, match=f"tests may not reach {host}"):
            socket.getaddrinfo(host, port)
    assert resolver_asked == []


def test_a_forgotten_service_url_stays_local(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--cache-dir", str(cache_dir), "--format", "json", "38534005"], out=io.StringIO())
    assert code == 4
    assert "unreachable" in capsys.readouterr().err.lower()


def test_the_built_in_service_hosts_are_refused_before_any_resolver(
    resolver_asked: list[str],
) -> None:
    """pubterm's own defaults (the real E-utilities, Europe PMC and Crossref hosts) are
    refused by the guard by name: no request is made, and the tripwire behind the guard
    shows no resolver was asked either."""
    for url in (DEFAULT_EUTILS_URL, DEFAULT_EUROPEPMC_URL, DEFAULT_CROSSREF_URL):
        host = urlsplit(url).hostname
        assert host is not None
        with pytest.raises(socket.gaierror, match=re.escape(f"tests may not reach {host}")):
            socket.getaddrinfo(host, 443)
    assert resolver_asked == []


def test_settings_from_the_environment_point_at_a_closed_local_port() -> None:
    """A test that builds settings as the program does gets no real service."""
    settings = load_settings()
    for url in (settings.eutils_url, settings.europepmc_url, settings.crossref_url):
        assert urlsplit(url).hostname == "127.0.0.1", url


def test_a_connection_to_a_literal_address_is_refused() -> None:
    """Even an address needing no resolver (RFC 5737's documentation range) is refused
    before a packet leaves."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(
            ConnectionRefusedError, match=re.escape("tests may not connect to 203.0.113.7")
        ):
            sock.connect(("203.0.113.7", 443))
        assert sock.connect_ex(("127.0.0.1", 9)) != 0  # loopback still connects (closed port)


def test_no_test_names_a_real_service_host() -> None:
    """The services are reached through tests/server.py alone: no test file spells out
    the host of E-utilities, Europe PMC or Crossref (browser links to PubMed pages are
    data, never fetched)."""
    hosts = [
        urlsplit(u).hostname
        for u in (DEFAULT_EUTILS_URL, DEFAULT_EUROPEPMC_URL, DEFAULT_CROSSREF_URL)
    ]
    tests = Path(__file__).resolve().parent
    named = [
        f"{path.relative_to(tests)}: {host}"
        for path in sorted(tests.rglob("*.py"))
        for host in hosts
        if host and host in path.read_text(encoding="utf-8")
    ]
    assert named == []


def test_a_subprocess_cannot_resolve_a_real_host_either() -> None:
    """Every Python the tests start loads the loopback guard: a service host name fails
    there with the guard's words (not with whatever the machine's DNS would say)."""
    import os
    import subprocess
    import sys

    code = "import socket\ntry:\n    socket.getaddrinfo('service.example', 443)\nexcept OSError as e:\n    print(e)\n"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    )
    assert "tests may not reach service.example" in done.stdout, done.stderr
    loop = "import socket\nprint(bool(socket.getaddrinfo('127.0.0.1', 80)))\n"
    local = subprocess.run([sys.executable, "-c", loop], capture_output=True, text=True)
    assert local.stdout.strip() == "True", local.stderr
