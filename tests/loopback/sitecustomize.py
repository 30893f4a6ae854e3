"""Loopback only, in every Python process the tests start.

The suite puts this folder first on ``PYTHONPATH`` (tests/conftest.py), so each
subprocess (``python -m tui``, the rate-limit bursts, the cache lockers) imports it at
start-up, as Python does with any ``sitecustomize``: a name other than a loopback one
then fails to resolve there too, instead of reaching a real service.
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


socket.getaddrinfo = loopback_only
