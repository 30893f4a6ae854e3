"""Launching pubterm (and the floor app) the way a person would, and timing it.

The reader opens only when standard output is a terminal, so each run gets its own
pseudo-terminal of a fixed size (160x48) with the output drained in a thread; the
real terminal driver runs, painting included.  Time runs from just before the process is
created to the paint mark the app prints (and, separately, to its exit); peak RSS comes
from the kernel's accounting of the finished child.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PUBTERM = [PYTHON, "-m", "tui"]
FLOOR = [PYTHON, str(ROOT / "benchmarks" / "floor_app.py")]
SIZE = (160, 48)
_MARK = re.compile(rb"pubterm-painted-at ([0-9]+\.[0-9]+)")


@dataclass(frozen=True)
class Run:
    """One timed process: start, paint mark and exit on the monotonic clock."""

    start: float
    painted: float | None
    ended: float
    returncode: int
    max_rss_mb: float
    output: bytes

    @property
    def to_paint_ms(self) -> float:
        if self.painted is None:
            raise RuntimeError(f"no paint mark (exit {self.returncode}): {self.tail()}")
        return (self.painted - self.start) * 1000

    @property
    def to_exit_ms(self) -> float:
        return (self.ended - self.start) * 1000

    def tail(self) -> str:
        text = re.sub(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]", b"", self.output[-2000:])
        return text.decode("utf-8", "replace").strip()[-600:]


def base_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment of a run: no user settings, a colour terminal, the given overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PUBTERM_", "TEXTUAL"))}
    for name in ("NCBI_API_KEY", "NO_COLOR", "PYTHONPROFILEIMPORTTIME"):
        env.pop(name, None)
    env.update(TERM="xterm-256color", COLORTERM="truecolor", PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def in_terminal(argv: list[str], env: dict[str, str], timeout: float = 60.0) -> Run:
    """Run ``argv`` on a fresh pseudo-terminal; return its timings."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.monotonic()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
    )
    os.close(slave)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    ended = time.monotonic()
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(2)
    os.close(master)
    output = b"".join(chunks)
    found = _MARK.search(output)
    return Run(
        start,
        float(found.group(1)) if found else None,
        ended,
        proc.returncode,
        usage.ru_maxrss / 1024,
        output,
    )


def piped(argv: list[str], env: dict[str, str], timeout: float = 60.0) -> Run:
    """Run ``argv`` with output to a pipe (the print path); time to exit."""
    start = time.monotonic()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    out, err = proc.communicate(timeout=timeout)
    ended = time.monotonic()
    return Run(start, ended, ended, proc.returncode, 0.0, out + err)
