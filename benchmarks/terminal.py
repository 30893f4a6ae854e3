"""A process on its own pseudo-terminal, timed by the bytes it writes there.

What a person sees is what the terminal receives, so every start-up and key figure is
read off the master side of a pty: a thread reads it as fast as the bytes come and
stamps each chunk with ``time.monotonic()``.  A screen counts as painted when every
expected string has arrived and the output burst carrying it has ended (15 ms without a
byte); the screen is then rebuilt from the same bytes with ``pyte``, a terminal
emulator, to check that the strings really stand on it.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZE = (160, 48)  # columns, lines
QUIET = 0.015  # a burst has ended after this long without output
# Processes start outside the checkout, so ``python -m tui`` imports the code tree on
# PYTHONPATH (never the checkout's own, which would also get bytecode written into it).
NEUTRAL = tempfile.gettempdir()
SWITCH = 0.0002  # seconds a thread may hold the interpreter before the reader gets it
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78NOc]"
)
KEY_BYTES = {
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "backspace": b"\x7f",
    "escape": b"\x1b",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "down": b"\x1b[B",
    "enter": b"\r",
}


def plain_text(data: bytes) -> str:
    """The characters in a stretch of terminal output, escape sequences removed."""
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


@dataclass
class Terminal:
    """One process on a fresh 160x48 pty, its output kept as timestamped chunks."""

    argv: Sequence[str]
    env: dict[str, str]
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    keys: list[tuple[float, str]] = field(default_factory=list)
    start: float = 0.0
    max_rss_mb: float = 0.0
    returncode: int | None = None
    painted_at: float | None = None  # the end of the burst that completed the paint

    def __post_init__(self) -> None:
        # The reader thread must stamp a chunk the moment it comes, not when the main
        # thread (rebuilding a screen, say) next lets go of the interpreter.
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH))
        master, slave = os.openpty()
        cols, lines = SIZE
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, cols, 0, 0))
        self._master = master
        self._lock = threading.Lock()
        self.start = time.monotonic()
        self.proc = subprocess.Popen(
            list(self.argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            cwd=NEUTRAL,
            start_new_session=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._drain, daemon=True, name="pty-reader")
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            now = time.monotonic()
            with self._lock:
                self.chunks.append((now, data))

    # -- reading -------------------------------------------------------------------------
    def snapshot(self) -> list[tuple[float, bytes]]:
        with self._lock:
            return list(self.chunks)

    def output(self, upto: float | None = None) -> bytes:
        return b"".join(d for t, d in self.snapshot() if upto is None or t <= upto)

    def last_output(self) -> float:
        chunks = self.snapshot()
        return chunks[-1][0] if chunks else self.start

    def wait_quiet(
        self, after: float, quiet: float = QUIET, timeout: float = 10.0, idle: float | None = None
    ) -> float:
        """Wait for output after ``after`` followed by ``quiet`` seconds of silence; the
        time of the burst's last chunk.  With ``idle``, give up when nothing at all has
        come by ``after + idle`` (and return ``after``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.last_output()
            if last > after and time.monotonic() - last >= quiet:
                return last
            if idle is not None and last <= after and time.monotonic() >= after + idle:
                return after
            if self.proc.poll() is not None and time.monotonic() - last >= quiet:
                return last if last > after else after
            time.sleep(0.002)
        return self.last_output()

    def wait_painted(self, expected: Sequence[str], timeout: float = 60.0) -> float:
        """Seconds from start to the end of the burst that carried every expected string."""
        deadline = time.monotonic() + timeout
        after = self.start
        while time.monotonic() < deadline:
            end = self.wait_quiet(after, timeout=max(0.1, deadline - time.monotonic()))
            if end > after:
                text = plain_text(self.output(end))
                if all(s in text for s in expected):
                    self.painted_at = end
                    return end - self.start
                after = end
            elif self.proc.poll() is not None:
                break
        missing = [s for s in expected if s not in plain_text(self.output())]
        shown = "\n".join(line.rstrip() for line in self.screen())
        raise RuntimeError(
            f"{' '.join(self.argv[-2:])}: never painted {missing} (exit {self.proc.poll()});"
            f" the screen:\n{shown}"
        )

    def screen(self, upto: float | None = None) -> list[str]:
        """The screen as a terminal would show it after the output up to ``upto``."""
        screen = pyte.Screen(*SIZE)
        pyte.ByteStream(screen).feed(self.output(upto))
        return list(screen.display)

    def check_screen(self, expected: Sequence[str]) -> None:
        """Raise unless every expected string stands on the screen as painted."""
        lines = self.screen(self.painted_at)
        shown = "\n".join(lines)
        missing = [s for s in expected if s not in shown]
        if missing:
            raise RuntimeError(f"not on the screen: {missing}\n{shown}")

    def tail(self) -> str:
        return plain_text(self.output()[-3000:]).strip()[-600:]

    # -- writing and ending --------------------------------------------------------------
    def press(self, key: str) -> float:
        """Send a key as a terminal would; the time it was written."""
        data = KEY_BYTES.get(key, key.encode())
        now = time.monotonic()
        os.write(self._master, data)
        self.keys.append((now, key))
        return now

    def peak_rss_mb(self) -> float:
        """The process's peak resident set so far (VmHWM), in MB."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return 0.0
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(found.group(1)) / 1024 if found else 0.0

    def close(self) -> None:
        """Kill the process (its terminal is thrown away) and reap it."""
        if self.proc.poll() is None:
            self.max_rss_mb = self.peak_rss_mb()
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.returncode = self.proc.wait(10)
        self._reader.join(2)
        os.close(self._master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Piped:
    """A process with output to a pipe (the print path): time to exit."""

    to_exit_ms: float
    returncode: int
    output: bytes


def piped(argv: Sequence[str], env: dict[str, str], timeout: float = 60.0) -> Piped:
    start = time.monotonic()
    proc = subprocess.run(
        list(argv),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env,
        cwd=NEUTRAL,
        timeout=timeout,
    )
    took = (time.monotonic() - start) * 1000
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr.decode()[-600:]}")
    return Piped(took, proc.returncode, proc.stdout + proc.stderr)


def base_env(extra: dict[str, str]) -> dict[str, str]:
    """No user settings, a colour terminal, bytecode as installed, the given overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PUBTERM_", "TEXTUAL"))}
    # COLUMNS and LINES would override the pty's own size (160x48).
    dropped = ("NCBI_API_KEY", "NO_COLOR", "PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE")
    for name in (*dropped, "COLUMNS", "LINES"):
        env.pop(name, None)
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    env.update(extra)
    return env
