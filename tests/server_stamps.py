"""Arrival times as the kernel stamped them, for the fixture server's request log.

A rate limit is judged by when requests reach the server, and the server thread that
notes the time may run late: on a loaded machine, or when the clients share the
process (and its GIL) with the server, a request that arrived on time can be logged a
tenth of a second later, and a window check on the log then sees requests bunched that
were not.  With ``SO_TIMESTAMPNS`` the kernel stamps each packet as it arrives; peeking
at the next request's first byte (``MSG_PEEK``) reads that stamp without consuming
anything.  Linux only; elsewhere the log keeps the thread's own clock.
"""

from __future__ import annotations

import socket
import struct
import sys
import time

# Linux's numbers; Python does not export these names.
SO_TIMESTAMPNS = 35
SCM_TIMESTAMPNS = SO_TIMESTAMPNS


def enable(listener: socket.socket) -> bool:
    """Stamp arrivals on ``listener`` and every connection it accepts (which inherit it)."""
    if sys.platform != "linux":
        return False
    try:
        listener.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    except OSError:
        return False
    return True


def next_arrival(connection: socket.socket) -> float | None:
    """Wait for the next request's first byte; when it arrived, on ``time.monotonic()``.

    None when the peer closed, or the kernel gave no stamp.  Only for clients that send
    one request at a time (httpx does): a pipelined request already read into the
    handler's buffer would leave nothing to peek at.
    """
    try:
        data, ancillary, _, _ = connection.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
    except OSError:
        return None
    if not data:
        return None
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS and len(payload) >= 16:
            seconds, nanoseconds = struct.unpack("qq", payload[:16])
            # The stamp is wall-clock time: shift it onto the monotonic clock.
            return seconds + nanoseconds / 1e9 - wall_minus_monotonic()
    return None


def wall_minus_monotonic() -> float:
    """The offset between the two clocks, read so that a thread paused between the two
    readings cannot skew it: the monotonic reading is bracketed by two wall-clock ones,
    and the tightest bracket of a few tries is kept."""
    best: tuple[float, float] | None = None
    for _ in range(5):
        before = time.time()
        mono = time.monotonic()
        after = time.time()
        if best is None or after - before < best[0]:
            best = (after - before, (before + after) / 2 - mono)
        if after - before < 20e-6:
            break
    assert best is not None
    return best[1]
