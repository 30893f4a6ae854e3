"""The parser's entry points, with lxml and the record readers loaded on first use.

The service imports these names at start-up, but ``pubterm --format json PMID`` on a
cold cache has nothing to parse until its request has come back: importing lxml and the
readers (:mod:`tui.data.parse_articles`) only then, or while the request is on its way
(:func:`preload`), keeps them off the path to the request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

    from tui.data.model import Record


def preload() -> None:
    """Import the readers now, e.g. while a request is waiting for its answer."""
    import tui.data.parse_articles  # noqa: F401


def parse_pubmed(xml: bytes) -> list[Record]:
    """The records of an efetch answer (see :func:`tui.data.parse_articles.parse_pubmed`)."""
    from tui.data.parse_articles import parse_pubmed as read

    return read(xml)


def split_pubmed(xml: bytes) -> dict[str, bytes]:
    """PMID -> one-article set (see :func:`tui.data.parse_articles.split_pubmed`)."""
    from tui.data.parse_articles import split_pubmed as read

    return read(xml)


def parse_esearch(xml: bytes) -> list[str]:
    """The PMIDs of an esearch answer (see :func:`tui.data.parse_articles.parse_esearch`)."""
    from tui.data.parse_articles import parse_esearch as read

    return read(xml)


def _load(xml: bytes) -> etree._Element:
    """A hardened parse of any E-utilities XML (see :func:`tui.data.parse_xml.load`)."""
    from tui.data.parse_xml import load

    return load(xml)
