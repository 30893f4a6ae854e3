"""Property tests for the PubMed XML parser: mutated real answers never crash it.

Each example starts from a recorded efetch answer in ``tests/fixtures/pubmed`` and
damages it the way a network, a proxy or a hostile server could: cut short, tags swapped,
elements deleted, random bytes written over it, a huge text node inserted.  The parser
must answer with a list of records (every string in them clean) or ``ParseError``, never
another exception, and the per-PMID pieces it splits out must read back as the whole.
"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.hypothesis_profiles import examples
from tui.data.errors import BadResponseError, ParseError
from tui.data.model import Record
from tui.data.parse import parse_esearch, parse_pubmed, split_pubmed
from tui.data.text import clean_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The smaller answers keep each example fast; the large review is used for truncations.
ALL = {p.name: p.read_bytes() for p in sorted((FIXTURES / "pubmed").glob("*.xml"))}
SMALL = sorted(name for name, data in ALL.items() if len(data) < 40_000)
TAG = re.compile(rb"</?([A-Za-z][\w]*)")
ELEMENT = re.compile(rb"<([A-Za-z]\w*)[^>]*>[^<]*</\1>")


def _strings(value: Any) -> list[str]:
    """Every string held anywhere inside a record."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [s for item in value for s in _strings(item)]
    if hasattr(value, "__dataclass_fields__"):
        return [s for f in fields(value) for s in _strings(getattr(value, f.name))]
    return []


def _check(xml: bytes) -> list[Record] | None:
    """Parse; assert the outcome is records (clean, splittable) or ParseError."""
    try:
        records = parse_pubmed(xml)
    except ParseError as err:
        assert str(err) and "\n" not in str(err)
        assert clean_text(str(err)) == str(err)
        return None
    assert isinstance(records, list)
    for record in records:
        assert isinstance(record, Record)
        assert record.pmid.isdigit()
        for s in _strings(record):
            if s is not record.stale:
                assert clean_text(s) == s, s[:80]
    pieces = split_pubmed(xml)
    assert set(pieces) == {r.pmid for r in records}
    for record in records:
        again = [r for r in parse_pubmed(pieces[record.pmid]) if r.pmid == record.pmid]
        assert again and again[0] == next(r for r in records if r.pmid == record.pmid)
    return records


def _pick(data: st.DataObject, names: list[str]) -> bytes:
    return ALL[data.draw(st.sampled_from(names), label="fixture")]


@hsettings(max_examples=examples(700))
@given(st.data())
def test_truncated_answers(data: st.DataObject) -> None:
    xml = _pick(data, sorted(ALL))
    cut = data.draw(st.integers(min_value=0, max_value=len(xml)), label="cut")
    records = _check(xml[:cut])
    if cut < len(xml.rstrip()) - 1:
        # A document cut before its last tag closes is never a list of records.
        assert records is None


@hsettings(max_examples=examples(500))
@given(st.data())
def test_swapped_tags(data: st.DataObject) -> None:
    xml = _pick(data, SMALL)
    tags = sorted({m.group(1) for m in TAG.finditer(xml)})
    a = data.draw(st.sampled_from(tags), label="a")
    b = data.draw(st.sampled_from(tags), label="b")
    swapped = re.sub(
        rb"(</?)(" + re.escape(a) + rb"|" + re.escape(b) + rb")\b",
        lambda m: m.group(1) + (b if m.group(2) == a else a),
        xml,
    )
    _check(swapped)


@hsettings(max_examples=examples(500))
@given(st.data())
def test_deleted_elements(data: st.DataObject) -> None:
    xml = _pick(data, SMALL)
    spans = [m.span() for m in ELEMENT.finditer(xml)]
    chosen = data.draw(st.lists(st.sampled_from(spans), max_size=12, unique=True), label="del")
    for start, end in sorted(chosen, reverse=True):
        xml = xml[:start] + xml[end:]
    _check(xml)


@hsettings(max_examples=examples(1000))
@given(st.data())
def test_random_bytes_written_over(data: st.DataObject) -> None:
    xml = bytearray(_pick(data, SMALL))
    edits = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(xml) - 1), st.binary(min_size=1, max_size=8)),
            min_size=1,
            max_size=6,
        ),
        label="edits",
    )
    for at, junk in edits:
        xml[at : at + len(junk)] = junk
    _check(bytes(xml))


@hsettings(max_examples=examples(500))
@given(st.data())
def test_inserted_text_and_characters(data: st.DataObject) -> None:
    xml = _pick(data, SMALL)
    spots = [m.end() for m in re.finditer(rb">", xml)][2:]  # after the doctype
    at = data.draw(st.sampled_from(spots), label="at")
    text = data.draw(st.text(max_size=40), label="text")
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8")
    _check(xml[:at] + escaped + xml[at:])


@hsettings(max_examples=examples(8))
@given(st.data())
def test_huge_text_nodes(data: st.DataObject) -> None:
    xml = _pick(data, SMALL)
    size = data.draw(st.sampled_from([10_000, 1_000_000, 9_000_000, 11_000_000]), label="size")
    letter = data.draw(st.sampled_from([b"a", b"\xc3\xa9", b"&#x41;", b" "]), label="letter")
    huge = letter * (size // len(letter))
    records = _check(xml.replace(b"<ArticleTitle>", b"<ArticleTitle>" + huge, 1))
    if records:
        assert len(records[0].title) <= size + 10_000


@hsettings(max_examples=examples(1500))
@given(st.binary(max_size=300))
def test_arbitrary_bytes(blob: bytes) -> None:
    _check(blob)
    _check(b"<PubmedArticleSet>" + blob + b"</PubmedArticleSet>")


@hsettings(max_examples=examples(600))
@given(st.data())
def test_search_answers(data: st.DataObject) -> None:
    xml = (FIXTURES / "eutils" / "esearch.xml").read_bytes()
    cut = data.draw(st.integers(0, len(xml)), label="cut")
    junk = data.draw(st.binary(max_size=6), label="junk")
    at = data.draw(st.integers(0, max(cut - 1, 0)), label="at")
    damaged = xml[:at] + junk + xml[at + len(junk) : cut]
    try:
        ids = parse_esearch(damaged)
    except BadResponseError as err:  # ParseError, or NCBI's own <ERROR> words
        assert str(err) and clean_text(str(err)) == str(err)
        return
    assert all(i and clean_text(i) == i for i in ids)
