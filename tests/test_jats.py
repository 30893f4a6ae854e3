"""The JATS parser and citation linking on every recorded JATS document.

Counts are taken from the documents themselves with plain lxml (not with pubterm's
parser), so a citation, section or figure the parser drops makes a test fail.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from tui.data.citations import link_citations, number_map, sentence_around
from tui.data.errors import ParseError
from tui.data.fulltext_model import BOX, FIGURE, FORMULA, HEADING, TABLE, FullText
from tui.data.jats import MetadataOnly, NoArticleError, parse_jats
from tui.data.model import Reference

FULLTEXT = Path(__file__).parent / "fixtures" / "fulltext"
FILES = sorted(p.name for p in FULLTEXT.iterdir())
PLAIN = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
# Documents whose reference list names one work twice (the same PMID or DOI under two
# <ref>s): a citation of either copy is right when it lands on either.
DUPLICATED_WORKS = {
    "PMC12306033-bmc-exp-hematol-oncol-review.xml",
    "PMC3258128-oup-nar-research.xml",
}


def parsed(name: str) -> FullText:
    result = parse_jats((FULLTEXT / name).read_bytes(), "europepmc")
    assert isinstance(result, FullText), name
    return result


def tree(name: str) -> etree._Element:
    return etree.fromstring((FULLTEXT / name).read_bytes(), PLAIN)


def bibr_xrefs(root: etree._Element) -> list[etree._Element]:
    """Every bibr xref of the article's body and back, outside the reference list."""
    found = []
    for x in root.iter("{*}xref"):
        if x.get("ref-type") != "bibr":
            continue
        names = {etree.QName(a).localname for a in x.iterancestors()}
        if "ref-list" not in names and "front" not in names and "sub-article" not in names:
            found.append(x)
    return found


def outside_text(el: etree._Element) -> bool:
    return bool({etree.QName(a).localname for a in el.iterancestors()} & {"front", "sub-article"})


@pytest.mark.parametrize("name", FILES)
def test_every_bibr_xref_becomes_a_citation_with_a_number(name: str) -> None:
    full = link_citations(parsed(name), ())
    xrefs = bibr_xrefs(tree(name))
    cites = [c for b in full.blocks for c in b.all_cites()]
    assert len(cites) == len(xrefs)
    # Unmappable: none.  Every xref names a <ref> of the article and gets its number.
    assert full.unmatched == ()
    assert all(c.own_numbers and len(c.own_numbers) == len(c.rids) for c in cites)
    assert full.references_source == ("jats" if full.jats_references else "none")


@pytest.mark.parametrize("name", FILES)
def test_pubmed_list_in_another_order_is_matched_by_ids_then_wording(name: str) -> None:
    """PubMed's list reversed: each citation still lands on the same work."""
    full = parsed(name)
    if not full.jats_references:
        pytest.skip("no reference list")
    pubmed = tuple(reversed([r.reference for r in full.jats_references]))
    linked = link_citations(full, pubmed)
    assert linked.unmatched == () and linked.references_source == "pubmed"
    by_rid = {r.rid: r.reference for r in full.jats_references}
    for block in linked.blocks:
        for cite in block.all_cites():
            for rid, number in zip(cite.rids, cite.own_numbers, strict=True):
                mine, theirs = by_rid[rid], pubmed[number - 1]
                if name in DUPLICATED_WORKS and (mine.pmid or mine.doi):
                    same = (mine.pmid and mine.pmid == theirs.pmid) or (
                        mine.doi and mine.doi == theirs.doi
                    )
                    assert same or mine.citation == theirs.citation
                else:
                    assert theirs is mine or theirs == mine


@pytest.mark.parametrize("name", FILES)
def test_sections_figures_and_tables_are_all_there(name: str) -> None:
    full = parsed(name)
    root = tree(name)
    body = next(root.iter("{*}body"))
    titled = [s for s in body.iter("{*}sec") if (s.findtext("{*}title") or "").strip()]
    headings = [b for b in full.blocks if b.kind == HEADING]
    assert len(headings) >= len(titled)
    # Not counted: a graphical abstract (front matter) and the decision letters of eLife.
    figures = [f for f in root.iter("{*}fig") if not outside_text(f)]
    assert len([b for b in full.blocks if b.kind == FIGURE]) == len(figures)
    wraps = [t for t in root.iter("{*}table-wrap") if not outside_text(t)]
    assert len([b for b in full.blocks if b.kind == TABLE]) == len(wraps)
    for block in full.blocks:
        if block.kind == TABLE and block.rows:
            assert len({len(r) for r in block.rows}) == 1, "rows of one width"


def test_sections_nest_four_deep_with_the_articles_numbers() -> None:
    assert max(s.level for s in parsed("PMC12389689-mdpi-pharmaceuticals-review.xml").sections) == 4
    full = parsed("PMC13254690-wiley-edm-review.xml")
    labels = [
        (s.findtext("{*}label") or "").strip()
        for s in tree("PMC13254690-wiley-edm-review.xml").iter("{*}sec")
        if s.find("{*}label") is not None
    ]
    assert [s.label for s in full.sections if s.label][: len(labels)] == labels
    assert all(s.display == f"{s.label} {s.title}" for s in full.sections if s.label)


def test_a_range_written_with_two_xrefs_expands() -> None:
    """ "[1-9]" in the BMC article is <xref B1>-<xref B9>: 2…8 are implied by the second."""
    full = link_citations(parsed("PMC3166277-bmc-microbiol.nxml"), ())
    first = next(b for b in full.blocks if b.cites and b.cites[0].rids == ("B1",))
    opening, closing = first.cites[0], first.cites[1]
    assert closing.rids == ("B9",) and closing.implied == tuple(f"B{i}" for i in range(2, 9))
    assert opening.numbers == (1,) and closing.numbers == (9, 2, 3, 4, 5, 6, 7, 8)
    assert full.cited_times()[5] >= 1


def test_one_xref_naming_several_refs_keeps_them_all() -> None:
    full = link_citations(parsed("PMC3258128-oup-nar-research.xml"), ())
    cite = next(c for b in full.blocks for c in b.cites if len(c.rids) == 4)
    assert cite.numbers == (3, 4, 5, 6)


def test_author_year_citations_map_like_numbered_ones() -> None:
    full = link_citations(parsed("elife-03032-publisher-jats.xml"), ())
    block = next(b for b in full.blocks if "Chang and Kan, 1979" in b.text)
    cite = next(c for c in block.cites if block.text[c.start : c.end] == "Chang and Kan, 1979")
    position = [r.rid for r in full.jats_references].index("bib4") + 1
    assert cite.numbers == (position,)


def test_contexts_hold_the_sentence_and_the_section() -> None:
    full = link_citations(parsed("PMC12306033-bmc-exp-hematol-oncol-review.xml"), ())
    assert len(full.contexts) >= full.cite_count
    for context in full.contexts:
        block = full.blocks[context.block]
        if context.start >= 0:
            assert context.sentence in block.text
            assert block.text.index(context.sentence) <= context.start
        assert context.section == (
            full.sections[block.section].display if block.section >= 0 else ""
        )
    first = full.contexts[0]
    assert first.section == "Background" and first.sentence.endswith("[1].")


def test_sentences_do_not_end_at_et_al() -> None:
    text = "Earlier work (Smith et al. 2019) found this [3]. A second sentence follows."
    start = text.index("3")
    assert sentence_around(text, start, start + 1) == text.split(" A second")[0]


def test_mathml_is_flattened_to_text() -> None:
    full = parsed("PMC13133655-wiley-rcm-mathml.xml")
    formulas = [b for b in full.blocks if b.kind == FORMULA]
    assert len(formulas) == 3 and all(f.text for f in formulas)
    maths = list(
        tree("PMC13133655-wiley-rcm-mathml.xml").iter("{http://www.w3.org/1998/Math/MathML}mi")
    )
    assert maths and not any("mml" in b.text or "<mi" in b.text for b in full.blocks)


def test_mathml_keeps_scripts_and_fractions_readable() -> None:
    full = parsed("PMC13133655-wiley-rcm-mathml.xml")
    first, second = [b.text for b in full.blocks if b.kind == FORMULA][:2]
    assert first == "A ∝ C_g = C_0/(K + β)"
    assert second == "K ∝ 1/(p_i^° · γ_i)"


def test_boxed_text_is_a_box_with_its_paragraphs_inside() -> None:
    full = parsed("PMC12599256-portland-bst-review.xml")
    at = next(i for i, b in enumerate(full.blocks) if b.kind == BOX)
    box, inside = full.blocks[at], full.blocks[at + 1]
    assert box.text and inside.level == box.level + 1


def test_tex_math_is_kept_as_tex() -> None:
    """The recordings carry no tex-math; one is added to a real formula of one of them."""
    raw = (FULLTEXT / "PMC13133655-wiley-rcm-mathml.xml").read_bytes()
    tex = rb"<tex-math>\frac{a}{b} &lt; c</tex-math>"
    doc = raw.replace(
        b"<disp-formula", b"<disp-formula><alternatives>" + tex + b"</alternatives", 1
    )
    doc = doc.replace(b"</alternatives id=", b"</alternatives></disp-formula><disp-formula id=", 1)
    full = parse_jats(doc, "europepmc")
    assert isinstance(full, FullText)
    assert any(b.tex == r"\frac{a}{b} < c" for b in full.blocks if b.kind == FORMULA)


def test_licence_is_named() -> None:
    assert parsed("PMC12599256-portland-bst-review.xml").license == "CC BY 4.0"
    assert parsed("PMC12477725-aacr-cir-review.xml").license == "CC BY-NC-ND 4.0"
    assert parsed("PMC12599256-portland-bst-review.xml").license_url == (
        "https://creativecommons.org/licenses/by/4.0/"
    )


def test_front_matter_without_body_is_metadata_only() -> None:
    root = tree("efetch-pmc-PMC8435807-correction.xml")
    for body in list(root.iter("{*}body")):
        body.getparent().remove(body)
    result = parse_jats(etree.tostring(root), "pmc")
    assert isinstance(result, MetadataOnly) and result.pmcid == "PMC8435807"
    assert result.title.startswith("“Lung diffusing capacity")


def test_an_empty_pmc_articleset_and_other_documents_are_refused() -> None:
    with pytest.raises(NoArticleError):
        parse_jats(b"<pmc-articleset></pmc-articleset>", "pmc")
    with pytest.raises(ParseError):
        parse_jats(
            (Path(__file__).parent / "fixtures" / "pubmed" / "38048813.xml").read_bytes(), "pmc"
        )
    with pytest.raises(ParseError):
        parse_jats(b"<html><body>Service unavailable</body></html>", "europepmc")


def test_number_map_prefers_pmid_then_doi_then_position() -> None:
    full = parsed("PMC13254690-wiley-edm-review.xml")
    refs = [r.reference for r in full.jats_references]
    # PubMed's list: the first two swapped, ids kept; the third without ids at its place.
    pubmed = [refs[1], refs[0], Reference(citation=refs[2].citation), *refs[3:]]
    numbers = number_map(full.jats_references, pubmed)
    rids = [r.rid for r in full.jats_references]
    assert numbers[rids[0]] == 2 and numbers[rids[1]] == 1 and numbers[rids[2]] == 3
    # A PubMed entry whose PMID contradicts the JATS one is never taken by position.
    contradicting = [*pubmed[:2], replace(pubmed[2], pmid="1"), *pubmed[3:]]
    assert number_map(full.jats_references, contradicting).get(rids[2]) in (None, 3)


def test_what_a_pane_needs_to_step_through_citations() -> None:
    full = link_citations(parsed("PMC3166277-bmc-microbiol.nxml"), ())
    places = full.citation_places()
    assert len(places) == full.cite_count
    assert [i for i, _ in places] == sorted(i for i, _ in places)
    block, first = places[0]
    assert full.blocks[block].text[first.start : first.end] == "1"
    section = full.section_at(block)
    assert section is not None and section.title == "Background"
    contexts = full.contexts_of(5)
    assert contexts and all(c.reference == 5 for c in contexts)
    assert full.cited_times()[5] == len(contexts)


def test_one_xref_labelled_as_a_range_implies_the_refs_up_to_its_end() -> None:
    from tui.data.jats_inline import RefOrder

    order = RefOrder([f"r{i}" for i in range(1, 11)], {f"r{i}": str(i) for i in range(1, 11)})
    assert order.through_label("r3", "3–7") == ("r4", "r5", "r6", "r7")
    assert order.through_label("r3", "[3-4]") == ("r4",)
    assert order.through_label("r7", "7–3") == ()
    assert order.between("r1", "r9") == tuple(f"r{i}" for i in range(2, 9))
