"""Regenerate the README screenshots in ``screenshots/`` from the real reader.

Each picture is the app in a known state, fed by the local fixture server (recorded PubMed
answers, no network) with a throw-away cache, so the pictures match what the snapshot
tests check.  Run from the repository root:  ``.venv/bin/python scripts/screenshots.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.worker import WorkerFailed  # noqa: E402

from tests.server import FixtureServer  # noqa: E402
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


async def _press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


SHOTS = (
    Shot("reader", "35856662"),
    Shot("structured-abstract", "38534005"),
    Shot("references-filter", "35856662",
         steps=lambda p: _press(p, "slash", *"Klebsiella", "enter")),
    Shot("help", "35856662", steps=lambda p: _press(p, "question_mark")),
    Shot("palette", "35856662", steps=lambda p: _press(p, "ctrl+p", *"copy")),
    Shot("not-found", "99999999"),
    Shot("narrow-80x24", "35856662", size=(80, 24)),
    Shot("narrow-references", "35856662", size=(80, 24), steps=lambda p: _press(p, "3")),
    Shot("open-prompt", None),
)


class ScreenshotApp(PubtermApp):
    CURSOR_BLINK = False


async def take(shot: Shot, settings: Settings, folder: Path) -> Path:
    initial = ArticleId(IdKind.PMID, shot.pmid) if shot.pmid else None
    app = ScreenshotApp(settings, initial)
    async with app.run_test(size=shot.size) as pilot:
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        await shot.steps(pilot)
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
        settings = Settings(eutils_url=server.eutils_url, europepmc_url=server.europepmc_url,
                            crossref_url=server.crossref_url, cache_dir=Path(cache),
                            backoff_initial=0.01, backoff_max=0.05)
        for shot in SHOTS:
            if args.names and shot.name not in args.names:
                continue
            print(await take(shot, settings, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
