"""Hostile answers for the fixture server: redirects, lying compression, endless bodies.

Each mode is a fault kind of :class:`tests.server.FixtureServer` (``add_fault("gzip-bomb")``)
and is built from the answer the server would have sent: the bomb unpacks to the real
efetch answer followed by spaces, the endless and dribbling bodies are that answer sent
without end or a byte at a time, and the broken article is a real recorded article with
one byte that is not UTF-8.  Nothing here is typed by hand as if recorded.

- ``redirect-loop``: 302 back to the same address, for ever.
- ``redirect-other-host``: 307 to the same path on ``localhost`` (the server was asked as
  ``127.0.0.1``, so for the client that is another host), the query kept as it came.
- ``redirect-file``: 302 to ``file:///etc/passwd``.
- ``bad-gzip``: ``Content-Encoding: gzip`` on a body that is not gzip.
- ``gzip-bomb``: a gzip body that unpacks to ``bomb_mb`` megabytes.
- ``endless``: the answer's first bytes, then spaces until the client hangs up.
- ``dribble``: the answer one byte every ``dribble_seconds``.
- ``bad-utf8-article``: one article of an efetch batch with a byte that is not UTF-8.
- ``esearch-extra-hit``: esearch's answer with another recorded paper ranked first.
"""

from __future__ import annotations

import contextlib
import re
import socket
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.server import FixtureServer

HOSTILE_KINDS = frozenset(
    {
        "redirect-loop",
        "redirect-other-host",
        "redirect-file",
        "bad-gzip",
        "gzip-bomb",
        "endless",
        "dribble",
        "bad-utf8-article",
        "esearch-extra-hit",
    }
)
NOT_UTF8 = b"\xff"  # never valid anywhere in UTF-8
CHUNK = 64 * 1024


@dataclass
class HostileSettings:
    """How big, how slow and which article: tests make them small."""

    bomb_mb: int = 64
    dribble_seconds: float = 0.2
    bad_pmid: str | None = None  # the article to break; None: the batch's second article
    extra_hit: str = "35856662"  # the recorded paper esearch-extra-hit ranks first


def gzip_bomb(head: bytes, megabytes: int) -> bytes:
    """``head`` and then ``megabytes`` MB of spaces, gzipped (about a thousandth the size)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
    spaces = b" " * (1024 * 1024)
    parts = [packer.compress(head)]
    parts += [packer.compress(spaces) for _ in range(megabytes)]
    parts.append(packer.flush())
    return b"".join(parts)


def break_article(body: bytes, pmid: str | None) -> bytes:
    """``body`` (a PubmedArticleSet) with NOT_UTF8 in one article's title.

    ``pmid`` names the article; None breaks the second (or only) one.
    """
    starts = [m.start() for m in re.finditer(rb"<PubmedArticle>", body)]
    if not starts:
        return body
    index = min(1, len(starts) - 1)
    if pmid is not None:
        ends = [*starts[1:], len(body)]
        mark = f'<PMID Version="1">{pmid}<'.encode()
        index = next(
            i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if mark in body[s:e]
        )
    title = body.index(b"<ArticleTitle>", starts[index]) + len(b"<ArticleTitle>")
    return body[:title] + NOT_UTF8 + body[title:]


def rank_first(body: bytes, pmid: str) -> bytes:
    """An esearch answer with ``pmid`` put before its hits, and its count raised."""
    body = re.sub(rb"<IdList>\s*", b"<IdList>\n<Id>" + pmid.encode() + b"</Id>\n", body, count=1)
    for tag in (b"Count", b"RetMax"):
        body = re.sub(
            rb"<" + tag + rb">(\d+)<",
            lambda m, t=tag: b"<" + t + b">" + str(int(m.group(1)) + 1).encode() + b"<",
            body,
            count=1,
        )
    return body


def serve_hostile(
    handler: BaseHTTPRequestHandler, fixture: FixtureServer, kind: str, ctype: str, body: bytes
) -> None:
    """Answer ``handler``'s request the hostile way ``kind`` names."""
    settings = fixture.hostile
    if kind.startswith("redirect-"):
        if kind == "redirect-loop":
            status, location = 302, handler.path
        elif kind == "redirect-file":
            status, location = 302, "file:///etc/passwd"
        else:
            status, location = 307, f"http://localhost:{fixture.port}{handler.path}"
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return
    if kind == "bad-utf8-article":
        body = break_article(body, settings.bad_pmid)
    if kind == "esearch-extra-hit":
        body = rank_first(body, settings.extra_hit)
    handler.send_response(200)
    handler.send_header("Content-Type", ctype)
    if kind in ("bad-gzip", "gzip-bomb"):
        handler.send_header("Content-Encoding", "gzip")
        if kind == "gzip-bomb":
            body = gzip_bomb(body, settings.bomb_mb)
    if kind == "endless":
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        _write_until_hung_up(handler, fixture, body[: len(body) // 2])
        return
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if kind == "dribble":
        _dribble(handler, fixture, body, settings.dribble_seconds)
        return
    handler.wfile.write(body)


def _write_until_hung_up(
    handler: BaseHTTPRequestHandler, fixture: FixtureServer, head: bytes
) -> None:
    spaces = b" " * CHUNK
    try:
        handler.wfile.write(head)
        while not fixture._stopping.is_set():
            handler.wfile.write(spaces)
    except OSError:  # the client hung up, as it should
        return


def _dribble(
    handler: BaseHTTPRequestHandler, fixture: FixtureServer, body: bytes, every: float
) -> None:
    try:
        for i in range(len(body)):
            if fixture._stopping.is_set():
                return
            handler.wfile.write(body[i : i + 1])
            handler.wfile.flush()
            fixture.sleep(every)
    except OSError:
        return
    finally:
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.connection.shutdown(socket.SHUT_RDWR)
