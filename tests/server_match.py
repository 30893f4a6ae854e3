"""The fixture server's evaluation of a parsed query over its records, and the sorts.

Each record becomes a :class:`Doc` (words of title and abstract, authors, publication
types, MeSH descriptors, date, PMC or not); a term becomes a set of PMIDs, and what
PubMed would say about it (a phrase found nowhere, an unknown field) is collected on the
way, with the translation PubMed would give.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.server_query import Group, Node, Op, QuerySyntaxError, Term

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
_WORD = re.compile(r"[\w*][\w'*-]*")
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_DATE = re.compile(r"^(\d{4})(?:/(\d{1,2}))?(?:/(\d{1,2}))?$")


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
    entered: tuple[int, int, int] = (0, 0, 0)  # the Entrez date, for datetype=edat


def doc_from_article(pmid: str, article: Any, summary: Any) -> Doc:
    """A record's searchable facts: the XML for the text and MeSH, its esummary for the rest
    (so a test that changes a summary, say to add "Retracted Publication", is searched so)."""
    found = article.find(".//ArticleTitle")
    title = "".join(found.itertext()) if found is not None else summary.title
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
        entered=_history_date(article, "entrez"),
    )


def _history_date(article: Any, status: str) -> tuple[int, int, int]:
    for when in article.iterfind("./*/History/PubMedPubDate"):
        if when.get("PubStatus") == status:
            parts = (when.findtext(n) or "0" for n in ("Year", "Month", "Day"))
            year, month, day = (int(p) if p.isdigit() else 0 for p in parts)
            return (year, month, day)
    return (0, 0, 0)


# -- evaluation ---------------------------------------------------------------------------
@dataclass
class Outcome:
    """The matching PMIDs (None: left out of the search) and what to tell the user."""

    found: set[str] | None
    translation: str


@dataclass
class Evaluation:
    """One query's run: PubMed's errors and warnings, and the terms that rank results."""

    docs: Mapping[str, Doc]
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    positive: list[Term] = field(default_factory=list)

    def run(self, node: Node, negated: bool = False) -> Outcome:
        """The node's PMIDs; a side left out (None) leaves the other side as the answer."""
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
            low, high = date_range(value)
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


def date_range(value: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
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


def dates_shown(low: tuple[int, int, int], high: tuple[int, int, int], name: str) -> str:
    """A date range as PubMed's translation writes it: 2020/01/01:2025/12/31[name]."""
    first = f"{low[0]}/{low[1] or 1:02d}/{low[2] or 1:02d}"
    return f"{first}:{high[0]}/{high[1]:02d}/{high[2]:02d}[{name}]"


def _translated(name: str, value: str) -> str:
    if name == "Date - Publication":
        return dates_shown(*date_range(value), name)
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
