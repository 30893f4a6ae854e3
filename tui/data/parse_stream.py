"""An efetch answer read with its reference lists taken out of the tree as they come.

A review of 20,000 references is a 6 MB answer whose tree, built whole, holds some
30 MB at once before a single reference is read.  Here the answer is parsed as a
stream: each ``<Reference>`` is read into the model at its end tag and its element is
dropped, so the tree never holds more than one reference, and the rest of the record is
read from the (small) tree that remains.  The parser's safety settings and checks are
those of :func:`tui.data.parse_xml.load`.

The lists read this way are exactly those :func:`tui.data.parse_fields.references`
would find: ``Reference`` elements inside a ``ReferenceList`` of an article's first
``PubmedData`` (or a book's first ``BookDocument``).  A document in any other shape (a
``Reference`` inside a ``Reference``) is read again whole, the ordinary way.
"""

from __future__ import annotations

from io import BytesIO

from lxml import etree

from tui.data.errors import ParseError
from tui.data.model import Reference
from tui.data.parse_fields import reference
from tui.data.parse_xml import HARDENED, check_entities, load, scrub
from tui.data.text import clean_text

_Element = etree._Element
Lists = dict[_Element, tuple[Reference, ...]]
"""Reference lists read while parsing, by the element that owned them."""

_OWNERS = {"PubmedData": "PubmedArticle", "BookDocument": "PubmedBookArticle"}
_ODD = etree.Element("odd")  # marks a Reference nested in another


def load_streaming(xml: bytes) -> tuple[_Element, Lists]:
    """The root of the answer without its reference lists' elements, and the lists."""
    if not xml or not xml.strip():
        raise ParseError("The service sent an empty answer instead of XML")
    xml = scrub(xml)
    events = etree.iterparse(
        BytesIO(xml),
        events=("end",),
        tag="Reference",
        **HARDENED,
    )
    found: dict[_Element, list[Reference]] = {}
    owners: dict[_Element, _Element | None] = {}  # a Reference's parent -> its owner
    done: _Element | None = None  # the last reference read, removed at the next
    try:
        for _, el in events:
            parent = el.getparent()
            if parent is None:
                continue
            if parent in owners:
                owner = owners[parent]
            else:
                owner = owners[parent] = _owner(parent)
            if owner is _ODD:
                return load(xml), {}
            if owner is None:
                continue
            read = reference(el)
            if read is not None:
                found.setdefault(owner, []).append(read)
            el.clear()
            if done is not None:
                _drop(done)
            done = el
        root = events.root
    except etree.XMLSyntaxError as err:
        why = clean_text(str(err.msg))[:120]
        raise ParseError(f"The service sent something that is not valid XML ({why})") from None
    if done is not None:
        _drop(done)
    check_entities(root)
    return root, {owner: tuple(refs) for owner, refs in found.items()}


def _drop(el: _Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _owner(parent: _Element) -> _Element | None:
    """The element whose reference list a Reference under ``parent`` belongs to: None
    when it belongs to none, ``_ODD`` when it sits inside another Reference."""
    owner: _Element | None = None
    node: _Element | None = parent
    while node is not None:
        if node.tag == "Reference":
            return _ODD
        up = node.getparent()
        if node.tag == "ReferenceList" and up is not None and _is_owner(up):
            owner = up
        node = up
    return owner


def _is_owner(el: _Element) -> bool:
    """Whether ``el`` is an article's first PubmedData (a book's first BookDocument)."""
    tag = el.tag
    article = el.getparent()
    if not isinstance(tag, str) or tag not in _OWNERS or article is None:
        return False
    return (
        article.tag == _OWNERS[tag]
        and article.getparent() is not None
        and article.getparent().getparent() is None  # type: ignore[union-attr]
        and article.find(tag) is el
    )
