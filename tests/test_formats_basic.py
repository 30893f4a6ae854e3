"""The JSON Lines and plain text formats, on real records and on a hostile one."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.data.formats import get_renderer, json_lines, text
from tui.data.model import AbstractSection, Author, MeshHeading, Record, Reference
from tui.data.model_publication import Journal
from tui.data.parse import parse_pubmed

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"
ESC = "\x1b"


def records(*names: str) -> list[Record]:
    return [r for name in names for r in parse_pubmed((PUBMED / name).read_bytes())]


def hostile() -> Record:
    """A record with escape sequences, C1 controls and bidi overrides in every field."""
    bad = f"{ESC}[31m{ESC}]0;pwned\x07\x9b2J\u202e\x00"
    return Record(
        pmid="4242",
        title=f"[@click=app.quit]x {bad}[bold]y[/bold]",
        doi=f"10.1000/{bad}x",
        pmcid=f"PMC1{bad}",
        authors=(Author(last=f"Evil{bad}", initials="E"), Author(collective=f"Group{bad}")),
        journal=Journal(title=f"J{bad}", volume=f"1{bad}", issue="2", pages=f"3{bad}"),
        published="2024-01-02",
        publication_types=(f"Review{bad}",),
        abstract=(AbstractSection(label=f"AIM{bad}", text=f"Text{bad} more"),),
        keywords=(f"kw{bad}",),
        mesh=(MeshHeading(f"Heart{bad}", True, (f"q{bad}",)),),
        coi=f"None{bad}",
        references=(Reference(citation=f"Ref{bad}", doi=f"10.1/{bad}", pmid="1"),),
        stale=f"Old copy{bad}",
    )


# --- JSON Lines ------------------------------------------------------------------------


def test_json_lines_one_object_per_record_in_order() -> None:
    recs = records("38591913.xml", "set-two-articles.xml", "20301577.xml")
    out = json_lines.render(recs)
    assert out.endswith("\n")
    lines = out.splitlines()
    assert len(lines) == 4
    parsed = [json.loads(line) for line in lines]
    assert [p["pmid"] for p in parsed] == ["38591913", "12091962", "9997", "20301577"]
    assert parsed == [r.to_dict() for r in recs]


def test_json_lines_keeps_unicode_and_reads_back() -> None:
    (record,) = records("35856662.xml")
    out = json_lines.render([record])
    assert "β-Lactamases" in out
    assert "\\u03b2" not in out
    back = json.loads(out)
    assert back["title"] == record.title
    assert len(back["references"]) == 258


def test_json_lines_fetched_time_and_empty_input() -> None:
    record = Record(pmid="1", title="t", fetched=datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC))
    assert json.loads(json_lines.render([record]))["fetched"] == "2024-05-06T07:08:09+00:00"
    assert json_lines.render([]) == ""


def test_json_lines_escapes_controls_in_hostile_text() -> None:
    out = json_lines.render([hostile()])
    assert ESC not in out  # json.dumps writes controls as \u escapes
    assert out.count("\n") == 1
    assert json.loads(out)["pmid"] == "4242"


# --- plain text ------------------------------------------------------------------------


def _no_controls(out: str) -> None:
    assert ESC not in out
    assert "\x9b" not in out
    bad = {c for c in out if unicodedata.category(c) == "Cc" and c != "\n"}
    assert not bad
    assert not {"\u202e", "\u2066", "\u200f"} & set(out)


def test_text_of_hostile_record_has_no_escapes_and_literal_brackets() -> None:
    out = text.render([hostile()])
    _no_controls(out)
    assert out.splitlines()[0] == "[@click=app.quit]x [bold]y[/bold]"
    assert "pwned" not in out
    assert "Evil E, Group" in out
    assert "Note: Old copy" in out
    assert "  *Heart / q" in out


def test_text_layout_of_a_structured_record() -> None:
    out = text.render(records("38534005.xml"))
    lines = out.splitlines()
    assert lines[0] == "The EFLM European Urinalysis Guideline 2023."
    assert lines[1].startswith("Kouri TT, Hofmann W, Falbo R,")
    assert "Clinical chemistry and laboratory medicine. 2024-08-27; 62(9):1653-1786" in lines
    assert "DOI:   10.1515/cclm-2024-0070" in lines
    assert "PMID:  38534005" in lines
    assert "Type:  Journal Article" in lines
    order = [lines.index(h) for h in ("ABSTRACT", "KEYWORDS", "MESH (* major topic)")]
    assert order == sorted(order)
    assert lines[lines.index("KEYWORDS") + 1].startswith("  bacteriological techniques; kidney")
    for label in ("BACKGROUND", "RECOMMENDATIONS", "BACTERIOLOGY"):
        assert f"  {label}" in lines
    assert "  *Urinalysis / standards, methods" in lines
    assert "  Humans" in lines
    assert not any(line.startswith("REFERENCES") for line in lines)  # it has none
    _no_controls(out)


def test_text_numbers_references_with_their_ids() -> None:
    out = text.render(records("38591913.xml"))
    lines = out.splitlines()
    assert "REFERENCES (61)" in lines
    first = lines.index("REFERENCES (61)") + 1
    assert lines[first].startswith("   1. Holden VI, Bachman MA. 2015.")
    assert "      DOI 10.1039/C4MT00333K  PMID 25745886" in lines
    assert any(line.startswith("  61. Luckey M") for line in lines)
    assert lines[-1] == "      DOI 10.1128/jb.111.3.731-738.1972  PMID 4559824  PMCID PMC251346"
    assert "CONFLICT OF INTEREST" in lines
    assert "  The authors declare no conflict of interest." in lines


@pytest.mark.parametrize("name", ["32051057.xml", "39382274.xml", "38909159.xml"])
def test_text_fits_80_columns_except_unbreakable_words(name: str) -> None:
    out = text.render(records(name))
    for line in out.splitlines():
        if len(line) > text.WIDTH:
            assert " " not in line.strip(), line  # a single overlong token, e.g. a URL


def test_text_keeps_author_names_whole() -> None:
    lines = text.render(records("38909159.xml")).splitlines()
    authors = " ".join(lines[1:3])
    assert "Öner T" in authors
    assert not any(line.endswith(" Öner") for line in lines)


def test_text_separates_records_with_a_rule() -> None:
    out = text.render(records("set-two-articles.xml", "20301577.xml"))
    assert out.count("\n" + text.RULE + "\n") == 2
    parts = out.split("\n" + text.RULE + "\n\n")
    assert [p.splitlines()[0] for p in parts] == [
        "The treatment of AIDS behind the walls of correctional facilities.",
        "Magnetic studies of Chromatium flavocytochrome C552. A mechanism for heme-flavin",
        "CACNA1C-Related Disorders",
    ]
    assert "Social justice (San Francisco, Calif.). 1990; 17(1):113-25" in parts[0]
    assert "GeneReviews®. 1993" in parts[2]
    assert out.endswith("\n")


def test_text_of_a_bare_record_and_of_nothing() -> None:
    out = text.render([Record(pmid="7", title="")])
    assert out.splitlines()[0] == "(no title)"
    assert "PMID:  7" in out
    assert "ABSTRACT" not in out
    assert text.render([]) == ""


def test_formats_are_found_through_the_registry() -> None:
    assert get_renderer("json") is json_lines.render
    assert get_renderer("text") is text.render


def test_one_table_feeds_the_command_line_the_chooser_and_exports() -> None:
    from tui.cli import build_parser
    from tui.data.formats import OUTPUT_FORMATS
    from tui.export import EXTENSIONS, FORMAT_LABELS, NOUNS, export_filename, what

    names = [f.name for f in OUTPUT_FORMATS]
    assert len(set(names)) == len(names)
    action = next(a for a in build_parser()._actions if "--format" in a.option_strings)
    assert list(action.choices or ()) == names
    assert list(FORMAT_LABELS) == [f.name for f in OUTPUT_FORMATS if f.citation]
    (record,) = parse_pubmed((PUBMED / "35856662.xml").read_bytes())
    for fmt in OUTPUT_FORMATS:
        assert FORMAT_LABELS.get(fmt.name, fmt.label) == fmt.label
        assert EXTENSIONS[fmt.name] == fmt.extension and NOUNS[fmt.name] == fmt.noun
        assert export_filename("35856662", fmt.name).endswith(fmt.extension)
        assert what(fmt.name, None, 2).endswith(fmt.noun[1])
        # A record in full, and a reference known only by its citation text.
        out = fmt.writer()([record, record.references[0]])
        assert out.endswith("\n") and ("35856662" in out or "10.1128/aac.00216-22" in out)
        assert "10.1016/S0140-6736(21)02724-0" in out, fmt.name
