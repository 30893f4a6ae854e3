"""Copying to the clipboard and opening links, safely, locally and over SSH.

Copying always goes through OSC 52 (the terminal's own clipboard escape, which reaches the
user's machine through SSH and tmux) and, on a local desktop only, through pyperclip as
well, because some terminals ignore OSC 52.  Opening is restricted to the few sites the
reader links to: a DOI is data from a record and must never become a command or a path.
Over SSH a browser would start on the wrong machine, so the link is copied instead.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol
from urllib.parse import urlsplit

# The links ``open_url`` accepts are built with the rest of pubterm's addresses.
from tui.data.urls import doi_url as doi_url
from tui.data.urls import pubmed_url as pubmed_url


class _Copier(Protocol):
    def copy_to_clipboard(self, text: str) -> None: ...


PUBMED_HOST = "pubmed.ncbi.nlm.nih.gov"
ALLOWED_HOSTS = frozenset({"doi.org", PUBMED_HOST, "pmc.ncbi.nlm.nih.gov"})
# www.ncbi.nlm.nih.gov serves much more than PMC; only its PMC pages are allowed.
NCBI_PMC = ("www.ncbi.nlm.nih.gov", "/pmc/")


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def is_ssh_session(environ: Mapping[str, str] | None = None) -> bool:
    """True when pubterm runs on a remote machine the user reached over SSH."""
    env = _env(environ)
    return bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY"))


def is_local_desktop(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a system clipboard and a graphical browser belong to the user's screen."""
    env = _env(environ)
    if is_ssh_session(env):
        return False
    plat = sys.platform if platform is None else platform
    if plat == "darwin" or plat.startswith("win"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def _system_copy(text: str) -> bool:
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception:  # pyperclip fails in many ways when no clipboard tool exists
        return False
    return True


# OSC 52 carries the text base64-encoded; terminals and tmux drop payloads above about
# this many bytes (xterm's default limit, and what tmux passes on), often silently.
OSC52_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class Copied:
    """Where a copy went, and how large it was on the way.

    Only the system clipboard can be checked; OSC 52 is a request to the terminal, which
    may ignore it (tmux with ``set-clipboard off``) or drop a large one, so the sentence
    says the text was sent rather than copied.
    """

    system: bool  # also on the local system clipboard (pyperclip)
    payload: int  # bytes of the OSC 52 sequence's base64 text

    @property
    def too_large(self) -> bool:
        """True when terminals are likely to drop the OSC 52 payload."""
        return not self.system and self.payload > OSC52_LIMIT

    def sentence(self, what: str) -> str:
        """ "Copied DOI 10.1/x", or "Sent DOI 10.1/x to the terminal's clipboard (OSC 52)"."""
        if self.system:
            return f"Copied {what}"
        said = f"Sent {what} to the terminal's clipboard (OSC 52)"
        if self.too_large:
            from tui.keys import spec

            size = f"{self.payload / 1000:.0f} KB"
            said += (
                f", but at {size} it is more than most terminals accept (about "
                f"{OSC52_LIMIT // 1000} KB), so it may not arrive: "
                f"{spec('export').key_display} exports to a file instead"
            )
        return said


def copy(app: _Copier, text: str, *, environ: Mapping[str, str] | None = None) -> Copied:
    """Copy ``text`` by OSC 52 and, on a local desktop, the system clipboard too."""
    app.copy_to_clipboard(text)
    system = is_local_desktop(environ) and _system_copy(text)
    payload = 4 * ((len(text.encode("utf-8")) + 2) // 3)
    return Copied(system, payload)


def copy_text(app: _Copier, text: str, *, environ: Mapping[str, str] | None = None) -> str:
    """Copy ``text`` and say where it went ("terminal clipboard" or "... and system ...")."""
    if copy(app, text, environ=environ).system:
        return "terminal and system clipboard"
    return "terminal clipboard"


def is_allowed_url(url: str) -> bool:
    """Only https links to doi.org, PubMed and PMC pages may be handed to a browser."""
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme != "https" or port is not None or parts.username or parts.password:
        return False
    if any(seg in (".", "..") for seg in parts.path.split("/")):
        return False
    host = (parts.hostname or "").lower()
    if parts.netloc.lower() != host:
        return False
    if host == PUBMED_HOST:
        # A PubMed page is a PMID and nothing else.
        return re.fullmatch(r"/[1-9][0-9]{0,9}/?", parts.path) is not None
    if host in ALLOWED_HOSTS:
        return len(parts.path) > 1
    return host == NCBI_PMC[0] and parts.path.startswith(NCBI_PMC[1])


class Outcome(Enum):
    """What became of a request to open a link."""

    OPENED = "opened"
    COPY_INSTEAD = "copy"  # no browser here: the caller copies the link and says so
    REFUSED = "refused"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class OpenOutcome:
    """The outcome and the sentence to show for it."""

    outcome: Outcome
    url: str
    message: str


def _launch(url: str, env: Mapping[str, str]) -> bool:
    import webbrowser

    browser = env.get("BROWSER")
    if browser:
        # Read BROWSER now: webbrowser caches its choice at first use.
        for using in filter(None, (b.strip() for b in browser.split(os.pathsep))):
            try:
                controller: webbrowser.BaseBrowser = webbrowser.get(using)
            except webbrowser.Error:
                # What webbrowser itself does with a BROWSER entry it does not know.
                controller = webbrowser.GenericBrowser(using)
            if controller.open(url):
                return True
        return False
    return bool(webbrowser.open(url))


def open_url(
    url: str, *, environ: Mapping[str, str] | None = None, platform: str | None = None
) -> OpenOutcome:
    """Open an allowed link in the browser; blocking, so callers run it off the UI thread."""
    env = _env(environ)
    if not is_allowed_url(url):
        why = f"Refused to open {url!r}: not a DOI or PubMed link"
        return OpenOutcome(Outcome.REFUSED, url, why)
    if not env.get("BROWSER"):
        if is_ssh_session(env):
            return OpenOutcome(
                Outcome.COPY_INSTEAD, url, f"SSH session: copied {url} — open it on your machine"
            )
        if not is_local_desktop(env, platform):
            # Without a desktop, webbrowser would start a text browser inside this terminal.
            return OpenOutcome(
                Outcome.COPY_INSTEAD, url, f"No desktop browser: copied {url} — open it yourself"
            )
    try:
        opened = _launch(url, env)
    except Exception as exc:  # a broken browser setup must not take the reader down
        return OpenOutcome(Outcome.FAILED, url, f"Could not open a browser: {exc}")
    if not opened:
        return OpenOutcome(Outcome.FAILED, url, f"Could not open a browser for {url}")
    return OpenOutcome(Outcome.OPENED, url, f"Opened {url}")
