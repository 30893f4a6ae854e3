"""MathML as a line of readable text: "C_g = C_0/(K + β)" rather than "C g = C 0 K + β".

A terminal cannot typeset mathematics, and the PubMed flattener (which keeps only the
tokens, right for titles) loses what sets a subscript or a fraction apart.  Scripts
become ``_`` and ``^``, fractions ``a/b`` (parenthesised when either side is compound),
roots ``√``; operators get spaces around them.  Only element names and text are read,
so hostile markup inside a formula is nothing but more text.
"""

from __future__ import annotations

from lxml import etree

from tui.data.text import clean_text

_Element = etree._Element
MATHML = "{http://www.w3.org/1998/Math/MathML}"
_SPACED = frozenset("=+−-×·<>≤≥∝≈±÷→←↔≠≡∼~")
_SKIP = frozenset({"annotation", "annotation-xml", "none", "mprescripts", "mspace", "maligngroup"})
MAX_DEPTH = 200


def _name(el: _Element) -> str:
    tag = el.tag
    return tag.removeprefix(MATHML) if isinstance(tag, str) else ""


def _wrap(text: str) -> str:
    """A script or fraction part, bracketed when it holds more than one term."""
    return f"({text})" if " " in text else text


def _kids(el: _Element, depth: int) -> list[str]:
    return [_flat(k, depth + 1) for k in el if _name(k) and _name(k) not in _SKIP]


def _flat(el: _Element, depth: int = 0) -> str:
    name = _name(el)
    if depth > MAX_DEPTH or name in _SKIP:
        return ""
    if name in ("mi", "mn", "mtext", "ms"):
        return clean_text("".join(map(str, el.itertext())))
    if name == "mo":
        op = clean_text("".join(map(str, el.itertext())))
        return f" {op} " if op in _SPACED else op
    kids = _kids(el, depth)
    if name == "semantics":
        return kids[0] if kids else ""
    if name in ("msub", "munder") and len(kids) == 2:
        return f"{kids[0]}_{_wrap(kids[1].strip())}"
    if name in ("msup", "mover") and len(kids) == 2:
        return f"{kids[0]}^{_wrap(kids[1].strip())}"
    if name in ("msubsup", "munderover") and len(kids) == 3:
        return f"{kids[0]}_{_wrap(kids[1].strip())}^{_wrap(kids[2].strip())}"
    if name == "mfrac" and len(kids) == 2:
        return f"{_wrap(kids[0].strip())}/{_wrap(kids[1].strip())}"
    if name == "msqrt":
        return f"√{_wrap(''.join(kids).strip())}"
    if name == "mroot" and len(kids) == 2:
        return f"{kids[1]}√{_wrap(kids[0].strip())}"
    if name == "mfenced":
        opening, closing = el.get("open", "("), el.get("close", ")")
        return opening + el.get("separators", ",")[:1].join(kids) + closing
    if name == "mtable":
        return "; ".join(k.strip() for k in kids if k.strip())
    if name == "mtd":
        return " ".join(kids)
    return "".join(kids)


def math_text(el: _Element) -> str:
    """The formula as one line of text, whitespace collapsed."""
    return clean_text(_flat(el))
