"""Reading untrusted E-utilities XML safely, and the text and value helpers every part uses.

The answer is untrusted input: the parser never resolves entities, loads a DTD or goes to
the network, and a document that declares entities is refused outright.  Whatever goes
wrong while reading ends as :class:`ParseError` so callers deal with one error type.
Every string a record holds has been through :func:`clean_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import ParamSpec, TypedDict, TypeVar

from lxml import etree

from tui.data.errors import ParseError, PubtermError
from tui.data.text import clean_or_none, clean_text

_Element = etree._Element
_P = ParamSpec("_P")
_T = TypeVar("_T")


# No entities, DTDs or network; no huge trees; comments and processing instructions
# dropped.  The streamed reference reader (parse_stream) parses with the same options.
class Hardening(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    huge_tree: bool
    remove_comments: bool
    remove_pis: bool


HARDENED: Hardening = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_PARSER = etree.XMLParser(**HARDENED)
_MATHML = "{http://www.w3.org/1998/Math/MathML}"
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_YEAR = re.compile(r"\b(\d{4})\b")
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])")
_DOI_PREFIX = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
# C0 controls XML 1.0 forbids, and the 7-bit escape sequences they introduce.  The
# character classes leave out "<" and "&" so a removal can never eat into markup.
_BAD_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BYTE_ESCAPES = re.compile(
    rb"\x1b\[[\x30-\x3b\x3d-\x3f]*[\x20-\x25\x27-\x2f]*[\x40-\x7e]?"
    rb"|\x1b\][^\x07\x1b<]*(?:\x07|\x1b\\)?"
    rb"|\x1b[PX^_][^\x1b<]*(?:\x1b\\)?"
    rb"|\x1b[\x20-\x25\x27-\x2f]*[\x30-\x3b\x3d-\x7e]"
)


def scrub(xml: bytes) -> bytes:
    """The bytes without control characters and the escape sequences they start.

    XML 1.0 forbids these bytes, so one stray control character would otherwise make a
    whole batch of records unreadable; removing the escape sequences with them keeps
    their parameters ("[31m") out of the text.  Bytes below 0x20 never occur inside a
    multi-byte UTF-8 character, so this is safe on the UTF-8 that E-utilities sends.
    """
    if xml.startswith((b"\xff\xfe", b"\xfe\xff")) or _BAD_BYTES.search(xml) is None:
        return xml
    return _BAD_BYTES.sub(b"", _BYTE_ESCAPES.sub(b"", xml))


def load(xml: bytes) -> _Element:
    """The root element of a safely parsed document, or ParseError."""
    if not xml or not xml.strip():
        raise ParseError("The service sent an empty answer instead of XML")
    xml = scrub(xml)
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as err:
        why = clean_text(str(err.msg))[:120]
        raise ParseError(f"The service sent something that is not valid XML ({why})") from None
    check_entities(root)
    return root


def check_entities(root: _Element) -> None:
    """ParseError when the document declares entities (never expanded, but refused)."""
    dtd = root.getroottree().docinfo.internalDTD
    entities = getattr(dtd, "iterentities", None)  # missing from the lxml stubs
    if entities is not None and any(True for _ in entities()):
        raise ParseError("The answer declares XML entities; refusing to read it")


def reading(what: str) -> Callable[[Callable[_P, _T]], Callable[_P, _T]]:
    """Turn any surprise while reading hostile input into a ParseError."""

    def wrap(read: Callable[_P, _T]) -> Callable[_P, _T]:
        @wraps(read)
        def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _T:
            try:
                return read(*args, **kwargs)
            except PubtermError:
                raise
            except Exception as err:
                raise ParseError(f"The {what} could not be read ({type(err).__name__})") from None

        return guarded

    return wrap


def tag_name(el: _Element) -> str:
    return clean_text(str(el.tag))[:40] if isinstance(el.tag, str) else "?"


# --- text ------------------------------------------------------------------------------


def flat(el: _Element | None) -> str:
    """All text inside an element, inline markup and MathML flattened, then cleaned."""
    if el is None:
        return ""
    if len(el) == 0:
        return clean_text(el.text or "")
    parts: list[str] = []
    collect(el, parts)
    return clean_text("".join(parts))


def collect(el: _Element, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            if child.tag.startswith(_MATHML):
                math_text(child, parts)
            else:
                collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def math_text(el: _Element, parts: list[str]) -> None:
    """MathML as plain text: token contents only, prescripts before their base (³He)."""
    name = str(el.tag).removeprefix(_MATHML)
    if name in ("none", "mprescripts"):
        return
    kids = [k for k in el if isinstance(k.tag, str)]
    if name == "mmultiscripts":
        marks = [i for i, k in enumerate(kids) if k.tag == _MATHML + "mprescripts"]
        if marks:
            kids = kids[marks[0] + 1 :] + kids[: marks[0]]
    if el.text and (name == "mtext" or el.text.strip()):
        parts.append(el.text if name == "mtext" else el.text.strip())
    for kid in kids:
        math_text(kid, parts)
        if kid.tail and kid.tail.strip():
            parts.append(kid.tail.strip())


def texts(elements: Iterable[_Element]) -> list[str]:
    return [t for t in (flat(el) for el in elements) if t]


# --- identifiers and dates -------------------------------------------------------------


def doi(value: str | None) -> str | None:
    if not value:
        return None
    found = _DOI_PREFIX.sub("", "".join(clean_text(value).split()))
    return found if found.startswith("10.") else None


def pmcid(value: str | None) -> str | None:
    text = clean_text(value or "")
    if text[:3] == "PMC" and text[3:].isdigit():
        return text  # already in the shape asked for (almost always)
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"PMC{digits}" if digits else None


def orcid(value: str | None) -> str | None:
    match = _ORCID.search(clean_text(value or "").upper())
    return "-".join(match.groups()) if match else None


def ids(id_list: _Element | None) -> dict[str, str]:
    """IdType -> first value of an ArticleIdList."""
    found: dict[str, str] = {}
    if id_list is not None:
        for el in id_list:  # the ArticleId children, without a path lookup
            if el.tag != "ArticleId":
                continue
            kind = el.get("IdType", "")
            text = clean_text(el.text or "")
            if text and kind not in found:
                found[kind] = text
    return found


def iso_date(el: _Element | None) -> str | None:
    """An ISO date at the precision the record gives; seasons count as the year only."""
    if el is None:
        return None
    year = clean_text(el.findtext("Year") or "")
    if not (len(year) == 4 and year.isdigit()):
        match = _YEAR.search(el.findtext("MedlineDate") or "")
        return match.group(1) if match else None
    month_text = clean_text(el.findtext("Month") or "").lower()
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3], 0)
    if not 1 <= month <= 12:
        return year
    day_text = clean_text(el.findtext("Day") or "")
    day = int(day_text) if day_text.isdigit() else 0
    return f"{year}-{month:02d}-{day:02d}" if 1 <= day <= 31 else f"{year}-{month:02d}"


def month_number(text: str) -> int:
    """1-12 for "8", "08", "Aug" or "August"; 0 for anything else (a season)."""
    text = clean_text(text).lower()
    return int(text) if text.isdigit() else _MONTHS.get(text[:3], 0)


def date_words(el: _Element | None) -> str | None:
    """A PubDate as PubMed's ``DP`` writes it: "2022 Aug 16", "1990 Spring", "2010 Sep-Oct".

    The DTD's PubDate is a Year with a Month (and Day) or a Season, or free-text
    MedlineDate; months are written as their three-letter names, days without zeros.
    """
    if el is None:
        return None
    medline = clean_or_none(el.findtext("MedlineDate"))
    year = clean_text(el.findtext("Year") or "")
    if not year:
        return medline
    words = [year]
    month = month_number(el.findtext("Month") or "")
    season = clean_or_none(el.findtext("Season"))
    if 1 <= month <= 12:
        words.append(_MONTH_NAMES[month - 1])
        day = clean_text(el.findtext("Day") or "")
        if day.isdigit() and 1 <= int(day) <= 31:
            words.append(str(int(day)))
    elif season:
        words.append(season)
    else:
        month_text = clean_or_none(el.findtext("Month"))  # "Jul-Aug" in a Month element
        if month_text:
            words.append(month_text)
    return " ".join(words)


def full_date(el: _Element | None, *, clock: bool = False) -> str | None:
    """A complete date element (DateCompleted, ArticleDate, PubMedPubDate) in ISO form.

    With ``clock`` the time is added as PubMed's history keeps it ("2010-09-08T06:00"),
    midnight when the record gives no hour.  None unless year, month and day are there.
    """
    if el is None:
        return None
    year = clean_text(el.findtext("Year") or "")
    month = month_number(el.findtext("Month") or "")
    day_text = clean_text(el.findtext("Day") or "")
    if not (len(year) == 4 and year.isdigit() and 1 <= month <= 12 and day_text.isdigit()):
        return None
    iso = f"{year}-{month:02d}-{int(day_text):02d}"
    if clock:
        hour, minute = (clean_text(el.findtext(n) or "") for n in ("Hour", "Minute"))
        hours = int(hour) if hour.isdigit() else 0
        minutes = int(minute) if minute.isdigit() else 0
        iso += f"T{hours:02d}:{minutes:02d}"
    return iso


def child(el: _Element, path: str) -> _Element:
    """The element at ``path``, or an empty stand-in so optional parts need no checks."""
    found = el.find(path)
    return found if found is not None else etree.Element("missing")


def value(el: _Element, path: str) -> str | None:
    """The cleaned text at ``path`` (markup flattened), None when missing or empty."""
    return clean_or_none(flat(el.find(path)))
