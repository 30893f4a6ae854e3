"""Every identifier form a researcher pastes, and the clean refusal of everything else."""

from __future__ import annotations

import pytest

from tui.data.errors import InvalidIdError
from tui.data.ids import ArticleId, IdKind, parse_id

PMID, DOI, PMC = IdKind.PMID, IdKind.DOI, IdKind.PMCID


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("40549304", PMID, "40549304"),
        ("  40549304\n", PMID, "40549304"),
        ("PMID:40549304", PMID, "40549304"),
        ("PMID: 40549304", PMID, "40549304"),
        ("pmid 40549304", PMID, "40549304"),
        ("https://pubmed.ncbi.nlm.nih.gov/40549304/", PMID, "40549304"),
        ("pubmed.ncbi.nlm.nih.gov/40549304", PMID, "40549304"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/40549304", PMID, "40549304"),
        ("10.1007/s11010-025-05329-5", DOI, "10.1007/s11010-025-05329-5"),
        ("doi:10.1007/s11010-025-05329-5", DOI, "10.1007/s11010-025-05329-5"),
        ("DOI: 10.1007/s11010-025-05329-5", DOI, "10.1007/s11010-025-05329-5"),
        ("https://doi.org/10.1007/s11010-025-05329-5", DOI, "10.1007/s11010-025-05329-5"),
        ("http://dx.doi.org/10.1007/s11010-025-05329-5", DOI, "10.1007/s11010-025-05329-5"),
        ("https://doi.org/10.1007%2Fs11010-025-05329-5", DOI, "10.1007/s11010-025-05329-5"),
        ("10.1007%2Fs11010-025-05329-5", DOI, "10.1007/s11010-025-05329-5"),
        (
            "10.1002/(SICI)1097-4636(199601)30:1<1::AID-JBM1>3.0.CO;2-U",
            DOI,
            "10.1002/(SICI)1097-4636(199601)30:1<1::AID-JBM1>3.0.CO;2-U",
        ),
        ("doi:10.1042/BCJ20230407.", DOI, "10.1042/BCJ20230407"),
        ("PMC1234567", PMC, "PMC1234567"),
        ("pmc1234567", PMC, "PMC1234567"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/", PMC, "PMC1234567"),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567/", PMC, "PMC1234567"),
        ("\u200b40549304", PMID, "40549304"),
    ],
)
def test_accepted_forms(text: str, kind: IdKind, value: str) -> None:
    assert parse_id(text) == ArticleId(kind, value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "0",
        "PMID:",
        "10.12/x",
        "doi:",
        "https://example.com/40549304",
        "https://pubmed.ncbi.nlm.nih.gov/",
        "1234567890123",
        "PMC",
        "10.1000/a b",
        "x" * 5000,
        "40549304; rm -rf ~",
    ],
)
def test_refused_with_the_input_named(text: str) -> None:
    with pytest.raises(InvalidIdError) as info:
        parse_id(text)
    assert info.value.exit_code == 2
    if text.strip() and len(text) < 80:
        assert text.strip()[:10] in str(info.value)


def test_doi_key_is_case_insensitive() -> None:
    assert parse_id("10.1042/BCJ2023").key == parse_id("10.1042/bcj2023").key
