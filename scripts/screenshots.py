"""Regenerate the README screenshots in ``screenshots/`` from the real reader.

Each picture is the app in a known state, fed by the local fixture server (recorded PubMed
answers, no network) with a throw-away cache, so the pictures match what the snapshot
tests check.  Run from the repository root:  ``.venv/bin/python scripts/screenshots.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402
from textual.worker import WorkerFailed  # noqa: E402

from tests.server import FIXTURES, FixtureServer  # noqa: E402
from tui.app import PubtermApp  # noqa: E402
from tui.data.ids import ArticleId, IdKind  # noqa: E402
from tui.data.settings import Settings  # noqa: E402

Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def _nothing(pilot: Pilot[Any]) -> None:
    return None


@dataclass(frozen=True)
class Shot:
    """One screenshot: the file name, what to open, the terminal size, what to press."""

    name: str
    pmid: str | None
    size: tuple[int, int] = (120, 40)
    steps: Steps = field(default=_nothing)
    setup: Callable[[FixtureServer], None] | None = None
    theme: str | None = None


async def _press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


_CITATION = re.compile(
    r"^(?P<author>[^,.]+).*?\b(?P<year>(?:19|20)\d\d)\. (?P<title>[^.]+)\. "
    r"(?P<journal>[^0-9]+?) \d"
)


def _resolve_references(server: FixtureServer) -> None:
    """esummary answers for the review's first references, read off their citations, and
    one invented entry flagged as retracted (no real paper is shown as retracted)."""
    from tui.data.parse import parse_pubmed

    review = parse_pubmed((FIXTURES / "pubmed" / "35856662.xml").read_bytes())[0]
    cited = [r for r in review.references if r.pmid][:14]
    for n, ref in enumerate(cited):
        m = _CITATION.match(ref.citation)
        if m is None or ref.pmid is None:
            continue
        server.add_summary(
            ref.pmid,
            title=m["title"],
            authors=[m["author"], "et al"],
            source=m["journal"],
            pubdate=m["year"],
            doi=ref.doi,
            pubtypes=["Journal Article"] + (["Review"] if n == 1 else []),
        )
    flagged = cited[3]
    if flagged.pmid:
        server.add_summary(
            flagged.pmid,
            title="Example entry: how a retracted paper is shown",
            authors=["Example A"],
            source="Demo J",
            pubdate="2020",
            pubtypes=["Journal Article", "Retracted Publication"],
        )


def _cited_by(server: FixtureServer) -> None:
    """Serve the review under PMID 28495875, whose recorded elink lists 305 citing papers."""
    _resolve_references(server)
    xml = (FIXTURES / "pubmed" / "35856662.xml").read_bytes()
    xml = xml.replace(b'<PMID Version="1">35856662</PMID>', b'<PMID Version="1">28495875</PMID>', 1)
    xml = xml.replace(
        b'<ArticleId IdType="pubmed">35856662</ArticleId>',
        b'<ArticleId IdType="pubmed">28495875</ArticleId>',
        1,
    )
    server.add_record("28495875", xml)
    recorded = json.loads((FIXTURES / "eutils" / "elink_citedin_28495875.json").read_bytes())
    citing = [str(p) for p in recorded["linksets"][0]["linksetdbs"][0]["links"]]
    for n, pmid in enumerate(citing[:6], 1):
        server.add_summary(
            pmid,
            title=f"Example citing paper {n}",
            authors=[f"Author{n} A"],
            source="Demo J",
            pubdate=str(2017 + n),
            pubtypes=["Journal Article"],
        )


def _full_text(server: FixtureServer) -> None:
    """Serve the recorded JATS articles, so the review's Full text pane has its text."""
    server.fulltext.enable()


async def _in_full_text(pilot: Pilot[Any], *keys: str) -> None:
    """Open the Full text pane, wait for its text, then press ``keys``."""
    await pilot.press("7")
    with contextlib.suppress(WorkerFailed):
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await _press(pilot, *keys)


SHOTS = (
    Shot("reader", "35856662"),
    Shot("structured-abstract", "38534005"),
    Shot(
        "references-filter", "35856662", steps=lambda p: _press(p, "slash", *"Klebsiella", "enter")
    ),
    Shot("help", "35856662", steps=lambda p: _press(p, "question_mark")),
    Shot("palette", "35856662", steps=lambda p: _press(p, "ctrl+p", *"copy")),
    Shot("not-found", "99999999"),
    Shot("narrow-80x24", "35856662", size=(80, 24)),
    Shot("narrow-references", "35856662", size=(80, 24), steps=lambda p: _press(p, "3")),
    Shot("search", None, steps=lambda p: _press(p, *"review[pt]", "enter")),
    Shot(
        "references-resolved", "35856662", setup=_resolve_references, steps=lambda p: _press(p, "3")
    ),
    Shot(
        "narrow-references-resolved",
        "35856662",
        size=(80, 24),
        setup=_resolve_references,
        steps=lambda p: _press(p, "3"),
    ),
    Shot("cited-by", "28495875", setup=_cited_by, steps=lambda p: _press(p, "4")),
    Shot("reader-light", "35856662", theme="textual-light", steps=lambda p: _press(p, "3", "j")),
    Shot(
        "full-text",
        "41032705",
        setup=_full_text,
        steps=lambda p: _in_full_text(p, "right_square_bracket", "right_square_bracket", "enter"),
    ),
    Shot(
        "narrow-full-text",
        "41032705",
        size=(80, 24),
        setup=_full_text,
        steps=lambda p: _in_full_text(p, "right_square_bracket", "enter", "w"),
    ),
)


def _steady_cursor() -> None:
    """Text fields whose cursor does not blink, so every shot is the same."""
    made = Input.__init__

    def steady(field: Input, *args: Any, **kwargs: Any) -> None:
        made(field, *args, **kwargs)
        field.set_reactive(Input.cursor_blink, False)

    Input.__init__ = steady  # type: ignore[method-assign]


_steady_cursor()
ScreenshotApp = PubtermApp


async def take(shot: Shot, settings: Settings, folder: Path) -> Path:
    initial = ArticleId(IdKind.PMID, shot.pmid) if shot.pmid else None
    if shot.theme is not None:
        settings = replace(settings, theme=shot.theme)
    app = ScreenshotApp(settings, initial)
    async with app.run_test(size=shot.size) as pilot:
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        await shot.steps(pilot)
        with contextlib.suppress(WorkerFailed):  # titles and linked papers resolve
            await app.workers.wait_for_complete()
        await pilot.pause(0.3)  # let the palette's search and any scrolling finish
        name = f"{shot.name}.svg"
        app.save_screenshot(name, str(folder))
    return folder / name


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("names", nargs="*", help="only these shots (default: all)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with FixtureServer() as server, tempfile.TemporaryDirectory() as cache:
        settings = Settings(
            eutils_url=server.eutils_url,
            europepmc_url=server.europepmc_url,
            crossref_url=server.crossref_url,
            cache_dir=Path(cache),
            backoff_initial=0.01,
            backoff_max=0.05,
        )
        for shot in SHOTS:
            if args.names and shot.name not in args.names:
                continue
            if shot.setup is not None:
                shot.setup(server)
            print(await take(shot, settings, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
