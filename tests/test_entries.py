"""An unresolved reference reads as a reference: a few authors, "et al.", the title.

Reference 1 of the demo review is a consortium paper whose citation text names 50
authors, says "et al.." and ends with its DOI, which the DOI badge says again.
"""

from __future__ import annotations

from tests.screen_colours import screen_runs
from tests.test_app_support import WIDE, fixture_record, loaded, wait_for
from tui.app import PubtermApp
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Reference
from tui.data.settings import Settings
from tui.demo import DEMO_PMID, demo_settings
from tui.widgets.entries import LIST_AUTHORS, citation_line, short_authors

CONSORTIUM = fixture_record(DEMO_PMID).references[0]


def test_a_long_author_list_is_cut_to_a_few_names_and_et_al() -> None:
    line = citation_line(CONSORTIUM)
    assert line.startswith("Murray CJ, Ikuta KS, Sharara F, et al. 2022. Global burden of")
    assert "Dokova" not in line and "et al.." not in line
    assert line.endswith("Lancet 399:629–655.")  # the DOI is left to its badge
    assert CONSORTIUM.citation.count("10.1016/S0140-6736(21)02724-0") == 1  # model untouched


def test_citations_in_other_shapes_are_left_whole() -> None:
    few = "Endimiani A, Choudhary Y, Bonomo RA. 2009. In vitro activity of NXL104."
    ampersand = "Kell DB, Kaprelyants AS & Grafen A (1995) On pheromones. Trends 10, 126–129."
    nature = "Ghosh, R. et al. Juvenile dermatomyositis. Paediatr. Int. Child Health 40 (2020)."
    for text in (few, ampersand, nature):
        assert short_authors(text) == text
    assert citation_line(Reference(nature)) == nature


def test_the_author_list_ends_where_the_citation_style_says() -> None:
    names = ", ".join(f"Author{c} A" for c in "BCDEFG")
    cases = {
        f"{names}. 2012. Title.": "2012. Title.",
        f"{names} et al (2013) Title.": "(2013) Title.",
        f"{names}, et al. . 2019. Title.": "2019. Title.",
        f"{names}, et al. Title. J. 2020;8:166.": "Title. J. 2020;8:166.",
    }
    first = ", ".join(f"Author{c} A" for c in "BCDEFG"[:LIST_AUTHORS])
    for text, rest in cases.items():
        assert short_authors(text) == f"{first}, et al. {rest}"
    assert short_authors(f"{names}, Neefs J-M & de Waal FBM (2012a). Title.") == (
        f"{first}, et al. (2012a). Title."
    )
    assert short_authors(f"{names}; TAIPAI Study Group. Title.") == (
        f"{first}, et al.; TAIPAI Study Group. Title."
    )


def test_a_single_author_et_al_keeps_one_dot() -> None:
    assert citation_line(Reference("Zhang YP, et al.. Fast clustering. IEEE. 2020.")) == (
        "Zhang YP, et al. Fast clustering. IEEE. 2020."
    )


def _pane_text(app: PubtermApp) -> list[str]:
    region = app.reader.query_one("#references").region
    rows: dict[int, str] = {}
    for run in screen_runs(app):
        if run.inside(region):
            rows[run.y] = rows.get(run.y, "") + run.text
    return [rows[y] for y in sorted(rows)]


async def test_reference_one_of_the_demo_no_longer_buries_its_title(settings: Settings) -> None:
    app = PubtermApp(demo_settings(settings), ArticleId(IdKind.PMID, DEMO_PMID))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, DEMO_PMID)
        rows = _pane_text(app)
        first = next(i for i, row in enumerate(rows) if " 1. " in row)
        second = next(i for i, row in enumerate(rows) if " 2. " in row)
        entry = " ".join(" ".join(row.strip(" │╭╮╰╯┃").split()) for row in rows[first:second])
        assert second - first <= 4, entry  # it took 12 rows here, 17 at 120 columns
        assert "Murray CJ, Ikuta KS, Sharara F, et al. 2022. Global burden" in entry
        assert entry.count("10.1016/S0140-6736(21)02724-0") == 0
        assert entry.endswith("DOI PMID PMC")
        assert "et al.." not in " ".join(rows)

        # A filter matching an author the list leaves out shows the whole citation.
        await pilot.press("slash", *"Dokova", "enter")
        await wait_for(pilot, lambda: app.reader.references.filter_text == "Dokova")
        await pilot.pause()
        shown = " ".join(_pane_text(app))
        assert "Dokova" in shown and "Murray CJ" in shown
