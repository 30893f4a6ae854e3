"""Citation output compared byte for byte with files checked in under tests/expected/.

The expected files were written once and then read line by line against the fixture
XML; any change in output shows up here as a diff to review, not as a silent drift.
To accept an intended change, run ``python tests/test_formats_expected.py`` and read
the diff of tests/expected/ before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.data.formats import get_renderer
from tui.data.parse import parse_pubmed

HERE = Path(__file__).parent
PUBMED = HERE / "fixtures" / "pubmed"
EXPECTED = HERE / "expected"
# A review with β in the title, a guideline with a group author and a structured
# abstract, a GeneReviews book chapter, and a paper with Turkish author names.
PMIDS = ("35856662", "38534005", "20301577", "38909159")
# File suffix -> (format, style).
OUTPUTS: dict[str, tuple[str, str | None]] = {
    "bib": ("bibtex", None),
    "ris": ("ris", None),
    "nbib": ("medline", None),
    "csl.json": ("csl-json", None),
    "apa.txt": ("cite", "apa"),
    "vancouver.txt": ("cite", "vancouver"),
}


def render(pmid: str, suffix: str) -> str:
    name, style = OUTPUTS[suffix]
    records = parse_pubmed((PUBMED / f"{pmid}.xml").read_bytes())
    return get_renderer(name)(records, style=style)


@pytest.mark.parametrize("suffix", list(OUTPUTS))
@pytest.mark.parametrize("pmid", PMIDS)
def test_output_matches_the_reviewed_file(pmid: str, suffix: str) -> None:
    expected = (EXPECTED / f"{pmid}.{suffix}").read_text(encoding="utf-8")
    assert render(pmid, suffix) == expected


def _write_expected() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for pmid in PMIDS:
        for suffix in OUTPUTS:
            (EXPECTED / f"{pmid}.{suffix}").write_text(render(pmid, suffix), encoding="utf-8")


if __name__ == "__main__":
    _write_expected()
