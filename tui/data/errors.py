"""The one error vocabulary of the data layer.

Everything that can go wrong below the screen ends as one of these, with a message a
person can act on; the command line maps them to exit codes and the reader to sentences
shown in place.  Nothing else (httpx, lxml, diskcache errors) crosses the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T", covariant=True)


class PubtermError(Exception):
    """Base class; ``str(err)`` is the one-line message shown to the user."""

    exit_code = 4


class InvalidIdError(PubtermError, ValueError):
    """What the user typed is not a PMID, DOI or PMCID (exit 2)."""

    exit_code = 2

    def __init__(self, text: str, why: str = "not a PMID, DOI or PMCID") -> None:
        self.text = text
        shown = text if len(text) <= 80 else text[:77] + "..."
        super().__init__(f"{shown!r}: {why}")


class NotFoundError(PubtermError):
    """The ID is well formed but PubMed has no such record (exit 3)."""

    exit_code = 3

    def __init__(self, ident: str, detail: str | None = None) -> None:
        self.ident = ident
        super().__init__(detail or f"No PubMed record {ident}")


class ServiceError(PubtermError):
    """The service failed: network, HTTP error, or an answer that is not a record (exit 4)."""

    exit_code = 4


class UnreachableError(ServiceError):
    """No answer at all: DNS, refused or dropped connection, timeout."""


class HttpStatusError(ServiceError):
    """The service answered with an error status that retries did not cure."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


class RateLimitedError(ServiceError):
    """NCBI kept refusing for the request rate; ``retry_after`` in seconds when known."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class BadResponseError(ServiceError):
    """The service answered, but with something that is not what was asked for."""


class ParseError(BadResponseError):
    """The XML could not be read as PubMed records."""


class OfflineError(ServiceError):
    """Offline mode was asked for and the cache has no copy.

    Said in words: what is missing ("Cited by", "Titles") and for which paper, as in
    "Cited by isn't available offline for 35856662", or "PMID 38534005 isn't available
    offline" when the paper itself is what is missing.
    """

    def __init__(self, ident: str, what: str | None = None, *, many: bool = False) -> None:
        self.ident = ident
        self.what = what
        verb = "aren't" if many else "isn't"
        if what:
            super().__init__(f"{what} {verb} available offline for {ident}")
        else:
            super().__init__(f"{ident} {verb} available offline")


@dataclass(frozen=True, slots=True)
class Partial(Generic[T]):
    """What could be had, and the problems met getting the rest.

    The extras around a record (reference titles, fallback lists) never stop the reader:
    they return what they got with the failures beside it, so each caller sees the
    problems of its own call and nothing is left on an object for the next one.
    """

    value: T
    problems: tuple[PubtermError, ...] = ()
