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
- ``usehistory=y`` with ``WebEnv`` kept across requests and a new ``QueryKey`` each time;
- ``mindate``/``maxdate`` with ``datetype=edat`` (the Entrez date) or ``pdat``.

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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from tests.server_match import (
    Doc,
    Evaluation,
    date_range,
    dates_shown,
    doc_from_article,
    ranked,
)
from tests.server_query import QuerySyntaxError, parse_query

EUTILS = Path(__file__).resolve().parent / "fixtures" / "eutils"
HISTORY_TEMPLATE = "esearch-pubmed-cancer-usehistory-reldate.xml"
NOTICE_TEMPLATE = "esearch-protein-phrase-not-found.xml"
ERROR_TEMPLATE = "esearch-error-invalid-db.xml"


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
        translation = outcome.translation
        if params.get("mindate") or params.get("maxdate"):
            found, translation = self._dated(params, docs, found, translation)
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
        return self._result(len(ids), retstart, shown, translation, webenv, query_key, evaluation)

    @staticmethod
    def _dated(
        params: Mapping[str, str], docs: Mapping[str, Doc], found: set[str], translation: str
    ) -> tuple[set[str], str]:
        """esearch's mindate/maxdate with datetype ``edat`` (Entrez) or ``pdat`` (the default)."""
        low = params.get("mindate") or "1000"
        high = params.get("maxdate") or "3000"
        try:
            first, last = date_range(f"{low}:{high}")
        except QuerySyntaxError:
            return set(), translation
        entry = params.get("datetype", "pdat").lower() == "edat"
        kept = {p for p in found if first <= (docs[p].entered if entry else docs[p].date) <= last}
        field = "Date - Entry" if entry else "Date - Publication"
        shown = dates_shown(first, last, field)
        return kept, f"({translation}) AND {shown}" if translation else shown

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
