"""Unpacking a compressed answer a little at a time, so a bomb never fills memory.

httpx unpacks each chunk read from the network whole: 64 KB of a gzip bomb become 64 MB
at once, before any cap can look.  Here each chunk is unpacked in steps of at most
``STEP`` bytes, and the reader counts every step against its cap.  Only the encodings
pubterm asks for (``Accept-Encoding: gzip, deflate``) are understood.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

STEP = 256 * 1024
ACCEPT_ENCODING = "gzip, deflate"


class UnpackError(ValueError):
    """The body's compression is broken, or one pubterm did not ask for."""


class Unpacker:
    """Unpacks one body as its ``Content-Encoding`` says; identity passes through."""

    def __init__(self, content_encoding: str | None) -> None:
        names = [n.strip().lower() for n in (content_encoding or "").split(",")]
        names = [n for n in names if n and n != "identity"]
        self._deflate = names == ["deflate"]
        self._raw_deflate = False
        if not names:
            self._z: zlib._Decompress | None = None
        elif names in (["gzip"], ["x-gzip"]):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._deflate:
            self._z = zlib.decompressobj()
        else:
            raise UnpackError(f"the answer is packed as {', '.join(names)!r}")

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The unpacked bytes of ``data``, in pieces of at most STEP bytes."""
        if self._z is None:
            yield data
            return
        pending = data
        while pending and not self._z.eof:
            try:
                piece = self._z.decompress(pending, STEP)
            except zlib.error as exc:
                if self._deflate and not self._raw_deflate:
                    # Some servers send "deflate" without its zlib header.
                    self._raw_deflate = True
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise UnpackError(str(exc)) from None
            self._deflate = False  # the first piece decided which deflate it is
            pending = self._z.unconsumed_tail
            if piece:
                yield piece

    def finish(self) -> bytes:
        """What is left once the body has ended (a little, never a bomb's worth)."""
        if self._z is None:
            return b""
        try:
            return self._z.flush(STEP)
        except zlib.error as exc:
            raise UnpackError(str(exc)) from None


class TooBig(Exception):
    """The unpacked body passed its cap."""


class CappedBody:
    """A body unpacked and counted as its raw bytes arrive: :class:`TooBig` as soon as
    it passes ``max_bytes``.  The async (httpx) and the plain (http.client) readers feed
    it the same way, so the cap is counted in one place."""

    def __init__(self, content_encoding: str | None, max_bytes: int) -> None:
        self._unpacker = Unpacker(content_encoding)
        self._max = max_bytes
        self._chunks: list[bytes] = []
        self._size = 0

    def feed(self, raw: bytes) -> None:
        for piece in self._unpacker.feed(raw):
            self._size += len(piece)
            if self._size > self._max:
                raise TooBig
            self._chunks.append(piece)

    def finish(self) -> bytes:
        last = self._unpacker.finish()
        if self._size + len(last) > self._max:
            raise TooBig
        return b"".join([*self._chunks, last])
