"""The fixture server's reading of a PubMed query: tokens, then a tree.

PubMed reads operators left to right without precedence, joins juxtaposed terms with
AND, and treats the words before a field tag as one phrase (``clinical trial[pt]``);
this parser does the same, so the evaluator (``tests/server_match.py``) sees the query
as PubMed would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(r'\s*(?:(\()|(\))|("[^"]*"?)|(\[[^\]]*\]?)|([^\s()"\[\]]+))')


class QuerySyntaxError(ValueError):
    """The query cannot be read; the server answers with esearch's <ERROR>."""


@dataclass
class Term:
    value: str
    tag: str | None = None  # the tag as typed, lower case, without brackets
    quoted: bool = False


@dataclass
class Op:
    op: str
    left: Node
    right: Node


@dataclass
class Group:
    inner: Node


Node = Term | Op | Group


def _tokens(query: str) -> Iterator[tuple[str, str]]:
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if not m or m.end() == pos:
            if query[pos:].strip():
                raise QuerySyntaxError(f"cannot read the query at {query[pos:]!r}")
            return
        pos = m.end()
        lpar, rpar, quoted, tag, word = m.groups()
        if lpar:
            yield "(", lpar
        elif rpar:
            yield ")", rpar
        elif quoted:
            if len(quoted) < 2 or not quoted.endswith('"'):
                raise QuerySyntaxError("a quotation mark is not closed")
            yield "quoted", quoted[1:-1]
        elif tag:
            if not tag.endswith("]"):
                raise QuerySyntaxError("a field tag's bracket is not closed")
            yield "tag", tag[1:-1].strip().lower()
        elif word in ("AND", "OR", "NOT"):
            yield "op", word
        else:
            yield "word", word


def parse_query(query: str) -> Node:
    """The query as a tree; QuerySyntaxError when it cannot be read."""
    tokens = list(_tokens(query))
    node, pos = _expression(tokens, 0)
    if pos != len(tokens):
        raise QuerySyntaxError("a closing parenthesis has no opening one")
    return node


def _expression(tokens: list[tuple[str, str]], pos: int) -> tuple[Node, int]:
    node, pos = _unit(tokens, pos)
    while pos < len(tokens) and tokens[pos][0] != ")":
        op = "AND"
        if tokens[pos][0] == "op":
            op = tokens[pos][1]
            pos += 1
        right, pos = _unit(tokens, pos)
        node = Op(op, node, right)
    return node, pos


def _unit(tokens: list[tuple[str, str]], pos: int) -> tuple[Node, int]:
    if pos >= len(tokens):
        raise QuerySyntaxError("the query ends where a term was expected")
    kind, value = tokens[pos]
    if kind == "(":
        inner, pos = _expression(tokens, pos + 1)
        if pos >= len(tokens) or tokens[pos][0] != ")":
            raise QuerySyntaxError("an opening parenthesis is not closed")
        return Group(inner), pos + 1
    if kind == "quoted":
        tag, pos = _tag(tokens, pos + 1)
        return Term(value, tag, quoted=True), pos
    if kind == "word":
        run = [value]
        pos += 1
        while pos < len(tokens) and tokens[pos][0] == "word":
            run.append(tokens[pos][1])
            pos += 1
        tag, pos = _tag(tokens, pos)
        if tag is not None:
            return Term(" ".join(run), tag), pos
        node: Node = Term(run[0])
        for word in run[1:]:
            node = Op("AND", node, Term(word))
        return node, pos
    raise QuerySyntaxError(f"{value!r} has no term beside it")


def _tag(tokens: list[tuple[str, str]], pos: int) -> tuple[str | None, int]:
    if pos < len(tokens) and tokens[pos][0] == "tag":
        return tokens[pos][1], pos + 1
    return None, pos
