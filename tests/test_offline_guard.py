"""The suite itself cannot reach the internet: only loopback resolves, even by accident."""

from __future__ import annotations

import io
import socket
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main
from tui.data.settings import DEFAULT_EUTILS_URL, Settings


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


async def test_even_the_default_url_goes_nowhere(
    cache_dir: Path, resolver_asked: list[str]
) -> None:
    """The built-in E-utilities address is refused by the guard before any resolver."""
    from tui.data.errors import UnreachableError
    from tui.data.ids import parse_id
    from tui.data.service import PubMed

    settings = Settings(cache_dir=cache_dir, max_attempts=1)
    assert settings.eutils_url == DEFAULT_EUTILS_URL
    async with PubMed(settings) as service:
        with pytest.raises(UnreachableError):
            await service.fetch(parse_id("38534005"))
    assert resolver_asked == []


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
