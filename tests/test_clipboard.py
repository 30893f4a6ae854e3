"""Copy and open: the environment decides the route, and only safe links are ever opened."""

from __future__ import annotations

import os
import stat
import sys
import webbrowser
from pathlib import Path

import pytest

from tui.clipboard import (
    OSC52_LIMIT,
    Copied,
    Outcome,
    copy,
    copy_text,
    doi_url,
    is_allowed_url,
    is_local_desktop,
    is_ssh_session,
    open_url,
    pubmed_url,
)


class FakeApp:
    def __init__(self) -> None:
        self.copied: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


@pytest.mark.parametrize(
    ("doi", "url"),
    [
        ("10.1016/j.cell.2022.06.001", "https://doi.org/10.1016/j.cell.2022.06.001"),
        ('10.1000/x"; rm -rf ~', "https://doi.org/10.1000/x%22%3B%20rm%20-rf%20~"),
        ("10.1000/../../etc", "https://doi.org/10.1000/%2E%2E/%2E%2E/etc"),
        (
            "10.1002/(SICI)1097-4636<1::AID>3.0.CO;2-#",
            "https://doi.org/10.1002/%28SICI%291097-4636%3C1%3A%3AAID%3E3.0.CO%3B2-%23",
        ),
        ("10.1000/a?b=c&d", "https://doi.org/10.1000/a%3Fb%3Dc%26d"),
    ],
)
def test_doi_url_encodes_everything_but_slashes(doi: str, url: str) -> None:
    assert doi_url(doi) == url
    assert is_allowed_url(url)


def test_pubmed_url() -> None:
    assert pubmed_url("35856662") == "https://pubmed.ncbi.nlm.nih.gov/35856662/"


@pytest.mark.parametrize(
    "url",
    [
        "https://doi.org/10.1/x",
        "https://pubmed.ncbi.nlm.nih.gov/35856662/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC123/",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC123/",
    ],
)
def test_allowed_urls(url: str) -> None:
    assert is_allowed_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://doi.org/10.1/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://evil.example/10.1/x",
        "https://doi.org.evil.example/x",
        "https://user@doi.org/10.1/x",
        "https://doi.org:8443/10.1/x",
        "https://doi.org/",
        "https://doi.org/10.1/../../x",
        "https://www.ncbi.nlm.nih.gov/gene/1",
        "https://doi.org/10.1/x y",
        "https://doi.org/10.1/x\n--new-window",
        "-https://doi.org/10.1/x",
    ],
)
def test_refused_urls(url: str) -> None:
    assert not is_allowed_url(url)
    outcome = open_url(url, environ={"DISPLAY": ":0"})
    assert outcome.outcome is Outcome.REFUSED


def test_session_detection() -> None:
    assert is_ssh_session({"SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"})
    assert is_ssh_session({"SSH_TTY": "/dev/pts/1"})
    assert not is_ssh_session({})
    assert is_local_desktop({"DISPLAY": ":0"}, "linux")
    assert is_local_desktop({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not is_local_desktop({}, "linux")
    assert is_local_desktop({}, "darwin")
    assert is_local_desktop({}, "win32")
    assert not is_local_desktop({"DISPLAY": ":0", "SSH_TTY": "/dev/pts/1"}, "linux")


def test_copy_uses_osc52_and_pyperclip_on_a_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr("pyperclip.copy", seen.append)
    app = FakeApp()
    where = copy_text(app, "10.1/x", environ={"DISPLAY": ":0"})
    assert app.copied == ["10.1/x"]
    assert seen == ["10.1/x"]
    assert where == "terminal and system clipboard"


def test_copy_over_ssh_skips_pyperclip(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr("pyperclip.copy", seen.append)
    app = FakeApp()
    where = copy_text(app, "10.1/x", environ={"DISPLAY": ":0", "SSH_CONNECTION": "a b c d"})
    assert app.copied == ["10.1/x"]
    assert seen == []
    assert where == "terminal clipboard"


def test_pyperclip_failures_are_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyperclip

    def broken(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr("pyperclip.copy", broken)
    app = FakeApp()
    assert copy_text(app, "x", environ={"DISPLAY": ":0"}) == "terminal clipboard"
    assert app.copied == ["x"]


def recorder(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace webbrowser.open with one that records the URL and reports success."""
    opened: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    return opened


def test_open_uses_webbrowser_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = recorder(monkeypatch)
    url = doi_url("10.1000/x y")
    outcome = open_url(url, environ={"DISPLAY": ":0"}, platform="linux")
    assert outcome.outcome is Outcome.OPENED
    assert opened == ["https://doi.org/10.1000/x%20y"]


def test_open_over_ssh_copies_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = recorder(monkeypatch)
    outcome = open_url("https://doi.org/10.1/x", environ={"SSH_TTY": "/dev/pts/0", "DISPLAY": ":0"})
    assert outcome.outcome is Outcome.COPY_INSTEAD
    assert outcome.message == "SSH session: copied https://doi.org/10.1/x — open it on your machine"
    assert opened == []


def test_open_without_desktop_copies_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = recorder(monkeypatch)
    outcome = open_url("https://doi.org/10.1/x", environ={}, platform="linux")
    assert outcome.outcome is Outcome.COPY_INSTEAD
    assert opened == []


def test_open_failure_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(url: str, *a: object, **k: object) -> bool:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "open", boom)
    outcome = open_url("https://doi.org/10.1/x", environ={}, platform="darwin")
    assert outcome.outcome is Outcome.FAILED
    assert "could not locate runnable browser" in outcome.message


def browser_script(tmp_path: Path) -> tuple[str, Path]:
    """A BROWSER command that appends its argument to a file, as a real browser would run."""
    log = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), log


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX shell script")
def test_open_runs_the_browser_command_even_over_ssh(tmp_path: Path) -> None:
    command, log = browser_script(tmp_path)
    env = {"BROWSER": command, "SSH_TTY": "/dev/pts/0", "PATH": os.environ.get("PATH", "")}
    url = doi_url('10.1000/x"; rm -rf ~')
    outcome = open_url(url, environ=env)
    assert outcome.outcome is Outcome.OPENED
    assert log.read_text().splitlines() == ["https://doi.org/10.1000/x%22%3B%20rm%20-rf%20~"]


def test_a_copy_by_osc52_alone_says_it_was_sent_not_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr("pyperclip.copy", seen.append)
    app = FakeApp()
    copied = copy(app, "10.1/x", environ={})  # no desktop: OSC 52 is the only way out
    assert app.copied == ["10.1/x"] and seen == []
    assert not copied.system and copied.payload == 8  # base64 of 6 bytes
    assert copied.sentence("DOI 10.1/x") == ("Sent DOI 10.1/x to the terminal's clipboard (OSC 52)")
    on_desktop = copy(app, "10.1/x", environ={"DISPLAY": ":0"})
    assert on_desktop.system and seen == ["10.1/x"]
    assert on_desktop.sentence("DOI 10.1/x") == "Copied DOI 10.1/x"


def test_a_payload_larger_than_terminals_accept_is_warned_about() -> None:
    app = FakeApp()
    just_fits = copy(app, "x" * (OSC52_LIMIT // 4 * 3), environ={})
    assert just_fits.payload == OSC52_LIMIT and not just_fits.too_large
    big = copy(app, "é" * 100_000, environ={})  # 200 KB of UTF-8, 266,668 bytes of base64
    assert big.payload == 266_668 and big.too_large
    assert big.sentence("597 BibTeX entries") == (
        "Sent 597 BibTeX entries to the terminal's clipboard (OSC 52), but at 267 KB it is "
        "more than most terminals accept (about 100 KB), so it may not arrive: e exports "
        "to a file instead"
    )
    # The system clipboard takes any size: no warning when the text went there too.
    assert not Copied(system=True, payload=266_668).too_large
