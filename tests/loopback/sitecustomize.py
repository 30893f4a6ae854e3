"""Loopback only, in every Python process the tests start.

The suite puts this folder first on ``PYTHONPATH`` (tests/conftest.py), so each
subprocess (``python -m tui``, the rate-limit bursts, the cache lockers) imports it at
start-up, as Python does with any ``sitecustomize``: a name other than a loopback one
then fails to resolve there too, instead of reaching a real service.  Behind the
resolver, a connection to any address but a loopback one is refused as well, so not even
a literal address (or code that resolves by other means) leaves the machine.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_real_getaddrinfo = socket.getaddrinfo


def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
    """getaddrinfo for tests: loopback names and addresses only, anything else refused."""
    name = host.decode() if isinstance(host, bytes) else host
    if name not in (None, "localhost"):
        try:
            if not ipaddress.ip_address(name).is_loopback:
                raise socket.gaierror(socket.EAI_NONAME, f"tests may not reach {name}")
        except ValueError as exc:  # a host name other than localhost
            raise socket.gaierror(socket.EAI_NONAME, f"tests may not reach {name}") from exc
    return _real_getaddrinfo(host, *args, **kwargs)


def _is_local(address: Any) -> bool:
    """A socket address on this machine: loopback, or a Unix socket's path."""
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths, abstract names
    try:
        return ipaddress.ip_address(address[0]).is_loopback
    except ValueError:
        return address[0] == "localhost"


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def loopback_connect(sock: socket.socket, address: Any) -> None:
    """socket.connect for tests: loopback addresses only."""
    if not _is_local(address):
        raise ConnectionRefusedError(f"tests may not connect to {address[0]}")
    _real_connect(sock, address)


def loopback_connect_ex(sock: socket.socket, address: Any) -> int:
    """socket.connect_ex for tests: loopback addresses only."""
    if not _is_local(address):
        raise ConnectionRefusedError(f"tests may not connect to {address[0]}")
    return _real_connect_ex(sock, address)


socket.getaddrinfo = loopback_only
socket.socket.connect = loopback_connect  # type: ignore[method-assign]
socket.socket.connect_ex = loopback_connect_ex  # type: ignore[method-assign]
