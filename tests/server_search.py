"""The fixture server's esearch: a documented subset of PubMed's query language.

The server holds a few dozen real efetch records; this module searches them the way
PubMed would and answers in esearch's own XML, built on recorded answers
(``tests/fixtures/eutils/``), so the client meets the shape NCBI sends.

What it understands:

- words, searched in title and abstract (``All Fields``); a trailing ``*`` truncates;
- ``"quoted phrases"``; consecutive words before a tag form a phrase (``clinical trial[pt]``);
- tags ``[ti]``, ``[tiab]``, ``[au]`` (``Borodina I`` or ``borodina``), ``[pt]``, ``[mh]``
  (the descriptor), ``[dp]`` (``2020``, ``2020:2025``, ``2020/03``), ``[sb]``
  (``free full text``: has a PMC ID; ``systematic``: systematic reviews and meta-analyses);
- ``AND``, ``OR``, ``NOT`` (upper case, left to right as PubMed does), parentheses, and
  juxtaposition as AND;
- sorts ``relevance`` (hits of the query's words, then newest), ``pub_date``, ``Author``
  (first author) and ``JournalName``;
- ``usehistory=y`` with ``WebEnv`` kept across requests and a new ``QueryKey`` each time.

Like PubMed, a word or field tag found nowhere is reported (``ErrorList/PhraseNotFound``,
``FieldNotFound``) and left out of the search; a quoted phrase found nowhere is reported
as ``WarningList/QuotedPhraseNotFound`` and matches nothing; an empty result carries
``OutputMessage`` "No items found."; unbalanced parentheses or quotes, or an operator with
nothing beside it, answer with an ``<ERROR>``.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

EUTILS = Path(__file__).resolve().parent / "fixtures" / "eutils"
HISTORY_TEMPLATE = "esearch-pubmed-cancer-usehistory-reldate.xml"
NOTICE_TEMPLATE = "esearch-protein-phrase-not-found.xml"
ERROR_TEMPLATE = "esearch-error-invalid-db.xml"

FIELDS = {
    "ti": "Title",
    "title": "Title",
    "tiab": "Title/Abstract",
    "title/abstract": "Title/Abstract",
    "au": "Author",
    "author": "Author",
    "pt": "Publication Type",
    "publication type": "Publication Type",
    "mh": "MeSH Terms",
    "mesh": "MeSH Terms",
    "mesh terms": "MeSH Terms",
    "dp": "Date - Publication",
    "pdat": "Date - Publication",
    "sb": "Filter",
    "filter": "Filter",
    "all": "All Fields",
    "all fields": "All Fields",
}
_TOKEN = re.compile(r'\s*(?:(\()|(\))|("[^"]*"?)|(\[[^\]]*\]?)|([^\s()"\[\]]+))')
_WORD = re.compile(r"[\w*][\w'*-]*")
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_DATE = re.compile(r"^(\d{4})(?:/(\d{1,2}))?(?:/(\d{1,2}))?$")


class QuerySyntaxError(ValueError):
    """The query cannot be read; the server answers with esearch's <ERROR>."""


def _words(text: str) -> list[str]:
    return [w.strip("'-") for w in _WORD.findall(text.lower()) if w.strip("'-")]


@dataclass
class Doc:
    """What the evaluator needs of one record."""

    pmid: str
    title: list[str]
    abstract: list[str]
    authors: list[str]
    pubtypes: set[str]
    mesh: set[str]
    date: tuple[int, int, int]
    has_pmc: bool
    journal: str


def doc_from_article(pmid: str, article: Any, summary: Any) -> Doc:
    title = (
        "".join(article.find(".//ArticleTitle").itertext())
        if article.find(".//ArticleTitle") is not None
        else summary.title
    )
    abstract = " ".join("".join(a.itertext()) for a in article.iterfind(".//Abstract/AbstractText"))
    mesh = {
        (d.text or "").strip().lower()
        for d in article.iterfind(".//MeshHeadingList/MeshHeading/DescriptorName")
    }
    m = re.match(r"(\d{4})(?:\s+([A-Za-z]{3}))?(?:\s+(\d{1,2}))?", summary.pubdate or "")
    year = int(m.group(1)) if m else 0
    month = MONTHS.get((m.group(2) or "").lower(), 0) if m else 0
    day = int(m.group(3)) if m and m.group(3) and month else 0
    return Doc(
        pmid=pmid,
        title=_words(title),
        abstract=_words(abstract),
        authors=[a.lower() for a in summary.authors],
        pubtypes={t.lower() for t in summary.pubtypes},
        mesh=mesh,
        date=(year, month, day),
        has_pmc=bool(summary.pmc),
        journal=(summary.source or summary.full_journal_name).lower(),
    )


# -- the query tree ---------------------------------------------------------------------
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


# -- evaluation ---------------------------------------------------------------------------
@dataclass
class Outcome:
    """The matching PMIDs (None: left out of the search) and what to tell the user."""

    found: set[str] | None
    translation: str


@dataclass
class Evaluation:
    docs: Mapping[str, Doc]
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    positive: list[Term] = field(default_factory=list)

    def run(self, node: Node, negated: bool = False) -> Outcome:
        if isinstance(node, Group):
            inner = self.run(node.inner, negated)
            return Outcome(inner.found, f"({inner.translation})" if inner.translation else "")
        if isinstance(node, Op):
            left = self.run(node.left, negated)
            right = self.run(node.right, negated != (node.op == "NOT"))
            if left.found is None or right.found is None:
                return left if right.found is None else right if node.op != "NOT" else left
            found = {
                "AND": left.found & right.found,
                "OR": left.found | right.found,
                "NOT": left.found - right.found,
            }[node.op]
            return Outcome(found, f"{left.translation} {node.op} {right.translation}")
        if not negated:
            self.positive.append(node)
        return self.term(node)

    def term(self, term: Term) -> Outcome:
        name = FIELDS.get(term.tag or "all")
        if name is None:
            self.errors.append(("FieldNotFound", f"[{term.tag}]"))
            return Outcome(None, "")
        value = " ".join(term.value.split()).lower()
        test = self._test(name, value)
        if test is None:
            self.errors.append(("PhraseNotFound", term.value))
            return Outcome(None, "")
        found = {pmid for pmid, doc in self.docs.items() if test(doc)}
        shown = _translated(name, value)
        if not found and term.quoted and name in ("All Fields", "Title/Abstract", "Title"):
            self.warnings.append(("QuotedPhraseNotFound", f'"{term.value}"'))
        elif not found and name in ("All Fields", "Title/Abstract", "Title"):
            self.errors.append(("PhraseNotFound", term.value))
            return Outcome(None, "")
        return Outcome(found, shown)

    def _test(self, name: str, value: str) -> Callable[[Doc], bool] | None:
        if name in ("All Fields", "Title/Abstract", "Title"):
            words = _words(value)
            if not words:
                return None
            only_title = name == "Title"
            return lambda d: _has(d.title, words) or (not only_title and _has(d.abstract, words))
        if name == "Author":
            return lambda d: any(_author(a, value) for a in d.authors)
        if name == "Publication Type":
            return lambda d: value in d.pubtypes
        if name == "MeSH Terms":
            return lambda d: value in d.mesh
        if name == "Date - Publication":
            low, high = _date_range(value)
            return lambda d: d.date[0] > 0 and low <= d.date <= high
        if value == "free full text":
            return lambda d: d.has_pmc
        if value == "systematic":
            return lambda d: bool(d.pubtypes & {"systematic review", "meta-analysis"})
        return None


def _has(tokens: list[str], words: list[str]) -> bool:
    def same(token: str, word: str) -> bool:
        return token.startswith(word[:-1]) if word.endswith("*") else token == word

    n = len(words)
    return any(
        all(same(tokens[i + k], words[k]) for k in range(n)) for i in range(len(tokens) - n + 1)
    )


def _author(author: str, value: str) -> bool:
    return (
        author == value
        or author.startswith(value + " ")
        or (" " in value and author.startswith(value))
    )


def _date_range(value: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    low_text, _, high_text = value.partition(":")
    low, high = _date(low_text, False), _date(high_text or low_text, True)
    if low is None or high is None:
        raise QuerySyntaxError(f"{value!r} is not a date or a date range")
    return low, high


def _date(text: str, end: bool) -> tuple[int, int, int] | None:
    m = _DATE.match(text.strip())
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else (12 if end else 0)
    day = int(m.group(3)) if m.group(3) else (31 if end else 0)
    return (year, month, day)


def _translated(name: str, value: str) -> str:
    if name == "Date - Publication":
        low, high = _date_range(value)
        return f"{low[0]}/{low[1] or 1:02d}/{low[2] or 1:02d}:{high[0]}/{high[1]:02d}/{high[2]:02d}[{name}]"
    return f'"{value}"[{name}]'


# -- sorting and the answer -----------------------------------------------------------------
def ranked(docs: Mapping[str, Doc], found: set[str], sort: str, positive: list[Term]) -> list[str]:
    """The matching PMIDs in the order esearch's ``sort`` asks for."""
    newest = sorted(found, key=lambda p: (docs[p].date, int(p)), reverse=True)
    if sort == "relevance":
        words = [
            w
            for t in positive
            if (t.tag or "all") in ("all", "tiab", "ti")
            for w in _words(t.value)
        ]

        def hits(p: str) -> int:
            d = docs[p]
            return sum(3 * d.title.count(w) + d.abstract.count(w) for w in words)

        return sorted(newest, key=hits, reverse=True)  # stable: ties stay newest first
    if sort == "Author":
        return sorted(newest, key=lambda p: (not docs[p].authors, docs[p].authors[:1]))
    if sort == "JournalName":
        return sorted(newest, key=lambda p: docs[p].journal)
    return newest


def _template(name: str) -> tuple[str, Any]:
    text = (EUTILS / name).read_text(encoding="utf-8")
    head = text[: text.index("\n", text.index("<!DOCTYPE")) + 1]
    return head, etree.fromstring(text[len(head) :].encode())


class SearchEngine:
    """Answers esearch requests over the server's records; keeps the history server."""

    def __init__(self) -> None:
        self.history: dict[str, list[list[str]]] = {}
        self._docs: dict[str, tuple[bytes, Any, Doc]] = {}

    def docs(self, records: Mapping[str, bytes], summaries: Mapping[str, Any]) -> dict[str, Doc]:
        """The records as Docs, read again only when a record or its summary changed."""
        out: dict[str, Doc] = {}
        for pmid, xml in records.items():
            summary = summaries[pmid]
            known = self._docs.get(pmid)
            if known is None or known[0] is not xml or known[1] is not summary:
                doc = doc_from_article(pmid, etree.fromstring(xml), summary)
                known = (xml, summary, doc)
                self._docs[pmid] = known
            out[pmid] = known[2]
        return out

    def answer(
        self, params: Mapping[str, str], records: Mapping[str, bytes], summaries: Mapping[str, Any]
    ) -> str:
        docs = self.docs(records, summaries)
        term = params.get("term", "")
        evaluation = Evaluation(docs)
        try:
            outcome = evaluation.run(parse_query(term))
        except QuerySyntaxError as exc:
            return self._error(str(exc))
        found = outcome.found or set()
        ids = ranked(docs, found, params.get("sort", ""), evaluation.positive)
        retstart = max(0, _number(params.get("retstart"), 0))
        retmax = max(0, _number(params.get("retmax"), 20))
        shown = ids[retstart : retstart + retmax]
        webenv = query_key = None
        if params.get("usehistory", "").lower() == "y":
            webenv = params.get("WebEnv") or ""
            if webenv not in self.history:
                digest = hashlib.sha1(f"{len(self.history)}:{term}".encode()).hexdigest()
                webenv = "MCID_" + digest[:24]
                self.history[webenv] = []
            self.history[webenv].append(ids)
            query_key = str(len(self.history[webenv]))
        if not ids:
            evaluation.warnings.append(("OutputMessage", "No items found."))
        return self._result(
            len(ids), retstart, shown, outcome.translation, webenv, query_key, evaluation
        )

    def _result(
        self,
        count: int,
        retstart: int,
        ids: list[str],
        translation: str,
        webenv: str | None,
        query_key: str | None,
        evaluation: Evaluation,
    ) -> str:
        head, root = _template(HISTORY_TEMPLATE)
        root.find("Count").text = str(count)
        root.find("RetMax").text = str(len(ids))
        root.find("RetStart").text = str(retstart)
        for name, value in (("QueryKey", query_key), ("WebEnv", webenv)):
            if value is None:
                root.remove(root.find(name))
            else:
                root.find(name).text = value
        id_list = root.find("IdList")
        for child in list(id_list):
            id_list.remove(child)
        id_list.text = "\n" if ids else None
        for pmid in ids:
            etree.SubElement(id_list, "Id").text = pmid
            id_list[-1].tail = "\n"
        translation_set = root.find("TranslationSet")
        for child in list(translation_set):
            translation_set.remove(child)
        root.find("QueryTranslation").text = translation
        _, notices = _template(NOTICE_TEMPLATE)
        for name, entries in (
            ("ErrorList", evaluation.errors),
            ("WarningList", evaluation.warnings),
        ):
            if not entries:
                continue
            element = copy.deepcopy(notices.find(name))
            for child in list(element):
                element.remove(child)
            for tag, text in dict.fromkeys(entries):
                etree.SubElement(element, tag).text = text
            root.append(element)
        return head + etree.tostring(root, encoding="unicode") + "\n"

    @staticmethod
    def _error(message: str) -> str:
        head, root = _template(ERROR_TEMPLATE)
        root.find("ERROR").text = message
        return head + etree.tostring(root, encoding="unicode") + "\n"


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text not in (None, "") else default
    except ValueError:
        return default


_LOOKUP = re.compile(r'^\s*"?[^"\[\]]+?"?\s*\[(?:doi|pmc|pmcid|uid|pmid)\]\s*$', re.IGNORECASE)


def is_identifier_lookup(term: str) -> bool:
    """True for the DOI / PMCID / PMID look-ups the server answered before searching."""
    return bool(_LOOKUP.match(term)) or term.strip().isdigit()
