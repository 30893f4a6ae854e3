"""Reading esummary document summaries: the recorded answer, errors, hostile input, flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server import ESUMMARY_HEAD, docsum_xml
from tests.server import Summary as ServerSummary
from tui.data.errors import ParseError
from tui.data.summaries import (
    SUMMARY_SCHEMA,
    Summary,
    parse_esummary,
    summary_from_bytes,
    summary_to_bytes,
)

ESUMMARY = Path(__file__).parent / "fixtures" / "eutils" / "esummary.xml"


def answer(*parts: str) -> bytes:
    return (ESUMMARY_HEAD + "<eSummaryResult>\n" + "".join(parts) + "</eSummaryResult>\n").encode()


def test_recorded_answer() -> None:
    found = parse_esummary(ESUMMARY.read_bytes())
    assert list(found) == ["11850928", "11482001"]
    first = found["11850928"]
    assert first.title == "Zirconium granuloma following treatment of rhus dermatitis."
    assert first.authors == ("LoPresti PJ", "Hambrick GW Jr")
    assert first.first_author == "LoPresti PJ"
    assert first.journal == "Arch Dermatol" and first.year == "1965"
    assert first.pub_types == ("Journal Article",)
    assert first.doi is None and first.pmcid is None
    assert found["11482001"].pub_types == ("Journal Article", "Review")
    assert not first.retracted and first.flags == ()


def test_error_docsums_are_skipped_and_ids_read() -> None:
    one = ServerSummary(
        "123",
        title="A title",
        authors=["Smith J", "Doe A"],
        source="J Test",
        pubdate="2020 Jan 5",
        pubtypes=["Journal Article"],
        doi="10.1000/xyz",
        pmc="PMC42",
    )
    xml = answer("<ERROR>UID=999: cannot get document summary</ERROR>\n", docsum_xml(one))
    found = parse_esummary(xml)
    assert list(found) == ["123"]
    assert found["123"].doi == "10.1000/xyz" and found["123"].pmcid == "PMC42"
    assert found["123"].year == "2020"


def test_only_errors_is_empty() -> None:
    assert parse_esummary(answer("<ERROR>Empty id list - nothing todo</ERROR>")) == {}


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml at all",
        b"<!DOCTYPE html><html><body>Error</body></html>",
        b"<eSummaryResult><DocSum><Id>1</Id>",  # cut short
        b"<PubmedArticleSet></PubmedArticleSet>",
        b'{"error":"API rate limit exceeded"}',
    ],
)
def test_garbage_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_esummary(body)


def test_entity_declarations_are_refused() -> None:
    xml = (
        b'<?xml version="1.0"?>\n<!DOCTYPE eSummaryResult [<!ENTITY x "boom">]>\n'
        b'<eSummaryResult><DocSum><Id>1</Id><Item Name="Title" Type="String">&x;</Item>'
        b"</DocSum></eSummaryResult>"
    )
    with pytest.raises(ParseError):
        parse_esummary(xml)


def test_every_string_is_cleaned() -> None:
    nasty = ServerSummary(
        "7",
        title="Safe\u202e title \x1b]8;;http://evil\x07link",
        authors=["Evil\u200b Author"],
        source="J\u2066 X",
        pubtypes=["Journal\x1b[31m Article"],
    )
    found = parse_esummary(answer(docsum_xml(nasty)))  # raw ESC/BEL bytes, as sent
    s = found["7"]
    text = " ".join([s.title, *s.authors, s.journal or "", *s.pub_types])
    assert "\x1b" not in text and "\u202e" not in text and "\u200b" not in text
    assert "\u2066" not in text and "evil" not in text
    assert s.title.startswith("Safe") and s.pub_types == ("Journal Article",)


def test_control_bytes_do_not_lose_the_batch() -> None:
    one = docsum_xml(ServerSummary("8", title="Bad\x01 byte"))
    found = parse_esummary(answer(one, docsum_xml(ServerSummary("9", title="Fine"))))
    assert found["8"].title == "Bad byte" and found["9"].title == "Fine"


@pytest.mark.parametrize(
    ("types", "flags", "label"),
    [
        (("Journal Article", "Retracted Publication"), ("Retracted Publication",), "Retracted"),
        (("Retraction of Publication",), ("Retraction of Publication",), "Retraction notice"),
        (("expression of concern", "Review"), ("Expression of Concern",), "Expression of concern"),
        (("Review", "Journal Article"), (), None),
    ],
)
def test_retraction_flags(
    types: tuple[str, ...], flags: tuple[str, ...], label: str | None
) -> None:
    s = Summary("1", "t", pub_types=types)
    assert s.flags == flags and s.retracted is bool(flags) and s.flag_label == label


def test_flags_read_from_an_answer() -> None:
    xml = answer(
        docsum_xml(
            ServerSummary("5", title="Gone", pubtypes=["Journal Article", "Retracted Publication"])
        )
    )
    assert parse_esummary(xml)["5"].retracted


def test_cache_form_round_trips_and_rejects_other_versions() -> None:
    s = Summary("1", "Title", ("A B",), "J", "2020", ("Review",), "10.1/x", "PMC1")
    assert summary_from_bytes(summary_to_bytes(s)) == s
    old = summary_to_bytes(s).replace(f'"v": {SUMMARY_SCHEMA}'.encode(), b'"v": 0')
    assert summary_from_bytes(old) is None
    assert summary_from_bytes(b"\xff garbage") is None
    assert summary_from_bytes(b'{"v": 1, "pmid": 3}') is None
    assert Summary("1", "t").first_author is None
