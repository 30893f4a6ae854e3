"""Property tests for the identifier parser: any text is an ID or a clean usage error.

Whatever a person pastes (or a script passes), ``parse_id`` either returns an
``ArticleId`` or raises ``InvalidIdError`` naming the input, and a parsed ID written out
the way pubterm shows it (``str(aid)``, a URL, the bare value) parses back to itself.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.hypothesis_profiles import examples
from tui.data.errors import InvalidIdError
from tui.data.ids import ArticleId, IdKind, parse_id

# Pieces real input is made of, so the generator reaches the parser's interesting paths
# (prefixes, hosts, DOI shapes) instead of only random noise.
PIECES = st.sampled_from(
    [
        "10.",
        "1000",
        "10.1007/",
        "/",
        "doi:",
        "DOI ",
        "PMID:",
        "pmid ",
        "PMC",
        "pmcid:",
        "https://",
        "http://",
        "doi.org/",
        "dx.doi.org/",
        "pubmed.ncbi.nlm.nih.gov/",
        "pmc.ncbi.nlm.nih.gov/articles/",
        "www.ncbi.nlm.nih.gov/pmc/articles/",
        "?term=",
        "%2F",
        "%2f",
        "%25",
        "%",
        "..",
        ".",
        " ",
        "\t",
        "\n",
        "\u200b",
        "\ufeff",
        "\x1b[31m",
        "\x00",
        "\u202e",
        "0",
        "00",
        "123",
        "40549304",
        "999999999",
        "1234567890",
        "abc",
        "é",
        "ß",
        "\U0001f600",
        "#",
        "=",
        ":",
        '"',
        "'",
        ")",
        ";",
        "<",
        ">",
        "&",
        "\\",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.lists(PIECES, max_size=10).map("".join),
    st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=8).map("".join),
)


def _outcome(text: str) -> ArticleId | None:
    try:
        return parse_id(text)
    except InvalidIdError as err:
        assert err.text == text
        assert str(err).strip(), "a usage error must say something"
        assert "\n" not in str(err) or "\n" in text
        return None


def _valid(aid: ArticleId) -> None:
    assert aid.value and aid.value == aid.value.strip()
    if aid.kind is IdKind.PMID:
        assert aid.value.isdigit() and aid.value.isascii()
        assert not aid.value.startswith("0"), aid
    elif aid.kind is IdKind.PMCID:
        assert aid.value.startswith("PMC") and aid.value[3:].isdigit()
        assert not aid.value[3:].startswith("0"), aid
    else:
        assert aid.value.startswith("10.") and "/" in aid.value
        assert all(ch.isprintable() and not ch.isspace() for ch in aid.value), aid


@hsettings(max_examples=examples(3500))
@given(TEXTS)
@example("https://pubmed.ncbi.nlm.nih.gov/0/")
@example("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC0/")
@example("PMC0")
@example("10.1000/a%252F")
@example("10.1000/x%2500")
@example('10.1000/x"; rm -rf ~')
@example("x" * 5000)
def test_any_text_is_an_id_or_a_usage_error(text: str) -> None:
    aid = _outcome(text)
    if aid is None:
        return
    _valid(aid)
    # Shown forms read back as the same identifier.
    again = parse_id(str(aid))
    assert again == aid, (text, aid, again)
    assert parse_id(aid.value) == aid
    assert parse_id(str(again)) == again


@hsettings(max_examples=examples(1500))
@given(
    st.integers(min_value=1, max_value=999_999_999),
    st.sampled_from(
        [
            "{}",
            "PMID:{}",
            "pmid {}",
            "PMID: {}.",
            "https://pubmed.ncbi.nlm.nih.gov/{}/",
            "pubmed.ncbi.nlm.nih.gov/{}",
            " {} ",
            "\u200b{}",
        ]
    ),
)
def test_pmids_in_every_written_form(number: int, form: str) -> None:
    aid = parse_id(form.format(number))
    assert aid == ArticleId(IdKind.PMID, str(number))
    assert parse_id(str(aid)) == aid


DOI_SUFFIX = st.text(
    alphabet=st.characters(categories=["L", "N", "Pd", "Pc", "Po", "Sm", "Ps", "Pe"]),
    min_size=1,
    max_size=30,
)


@hsettings(max_examples=examples(1500))
@given(
    st.integers(min_value=1000, max_value=999_999_999),
    DOI_SUFFIX,
    st.sampled_from(["{}", "doi:{}", "DOI: {}", "https://doi.org/{}", "http://dx.doi.org/{}"]),
)
def test_dois_are_ids_or_usage_errors_and_stable(prefix: int, suffix: str, form: str) -> None:
    text = form.format(f"10.{prefix}/{suffix}")
    aid = _outcome(text)
    if aid is None:
        return
    _valid(aid)
    assert aid.kind is IdKind.DOI
    assert aid.value.lower().startswith(f"10.{prefix}/".lower())
    assert parse_id(str(aid)) == aid
    assert parse_id(aid.value) == aid
