"""esearch's answer read into a page: the PMIDs, where they sit, and PubMed's warnings.

PubMed reports trouble with a query inside a normal answer (a phrase it left out, a
quoted phrase it has never seen, no items found); reading the answer turns those into
sentences on the page, and an answer with an ``<ERROR>`` into :class:`SearchQueryError`.
Kept apart from the search session (:mod:`tui.data.search`), which asks and pages:
reading an answer needs no service, so it is checked and timed on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.data.errors import ParseError, PubtermError
from tui.data.parse import _load
from tui.data.text import clean_text


class SearchQueryError(PubtermError):
    """PubMed could not run the query as written (an ``<ERROR>`` answer; exit 2)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One esearch answer: where it sits in the whole result set and what PubMed said."""

    count: int
    retstart: int
    retmax: int
    pmids: tuple[str, ...]
    translation: str | None = None
    webenv: str | None = None
    query_key: str | None = None
    # PubMed's warnings and errors about the query, as sentences for a person.
    notices: tuple[str, ...] = ()

    @property
    def has_more(self) -> bool:
        """Whether results lie beyond this page."""
        return self.retstart + len(self.pmids) < self.count

    @property
    def next_start(self) -> int:
        return self.retstart + len(self.pmids)

    def status_line(self) -> str:
        """'1,234 results · <PubMed's translation>', as the command line and reader show."""
        noun = "result" if self.count == 1 else "results"
        head = f"{self.count:,} {noun}"
        return f"{head} · {self.translation}" if self.translation else head


def _int(root: Any, name: str) -> int:
    text = clean_text(root.findtext(name) or "")
    try:
        return int(text)
    except ValueError:
        raise ParseError(f"The search answer has no readable <{name}>") from None


NOTICES = {
    "PhraseNotFound": "Not found in PubMed, left out of the search: ",
    "FieldNotFound": "Unknown search field, left out of the search: ",
    "QuotedPhraseNotFound": "Quoted phrase not found: ",
    "PhraseIgnored": "Ignored (too common to search for): ",
}
"""How each of esearch's ErrorList / WarningList entries is said; any other is "PubMed: …"."""


def _notices(root: Any) -> tuple[str, ...]:
    said: list[str] = []
    for el in root.iterfind("ErrorList/*"):
        said.append(_notice(el))
    for el in root.iterfind("WarningList/*"):
        text = clean_text("".join(el.itertext()))
        if el.tag == "OutputMessage" and text.rstrip(".").lower() == "no items found":
            continue  # the count of 0 says it; the caller words the empty result
        said.append(_notice(el))
    return tuple(dict.fromkeys(s for s in said if s))


def _notice(el: Any) -> str:
    text = clean_text("".join(el.itertext()))
    if not text:
        return ""
    return NOTICES.get(el.tag, "PubMed: ") + text


def parse_search(xml: bytes) -> SearchPage:
    """An esearch answer as a SearchPage; SearchQueryError for PubMed's <ERROR>."""
    try:
        root = _load(xml)
    except PubtermError:
        raise
    except Exception as err:
        raise ParseError(f"The search answer could not be read ({type(err).__name__})") from None
    if root.tag != "eSearchResult":
        raise ParseError(f"Expected an eSearchResult, the service sent <{root.tag!s:.40}>")
    error = root.find("ERROR")
    if error is not None and root.find("Count") is None:
        said = clean_text("".join(t for t in error.itertext() if isinstance(t, str)))
        said = said or "no reason given"
        raise SearchQueryError(f"PubMed could not run the search: {said}")
    ids = tuple(i for i in (clean_text(el.text or "") for el in root.iterfind("IdList/Id")) if i)
    return SearchPage(
        count=_int(root, "Count"),
        retstart=_int(root, "RetStart"),
        retmax=_int(root, "RetMax"),
        pmids=ids,
        translation=clean_text(root.findtext("QueryTranslation") or "") or None,
        webenv=clean_text(root.findtext("WebEnv") or "") or None,
        query_key=clean_text(root.findtext("QueryKey") or "") or None,
        notices=_notices(root),
    )
