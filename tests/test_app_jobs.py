"""Every kind of background job of the reader, made to raise: each failure ends as a
sentence in the status banner, and the app keeps running."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_app_support import REVIEW, WIDE, banner, loaded, make_app, settle, wait_for
from tui.data.settings import Settings

BOOM = "the job tripped over something new"


def boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(BOOM)


async def aboom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(BOOM)


# (job, what to break, keys that start the job after the record is shown, sentence)
JOBS: list[tuple[str, str, tuple[str, ...], str]] = [
    (
        "references",
        "tui.data.bibliography.Bibliography.summaries",
        (),
        "Could not load the reference titles",
    ),
    ("cited-by", "tui.screens.graph.cited_by", ("4",), "Could not load the papers citing"),
    ("similar", "tui.screens.graph.similar", ("5",), "Could not load the similar articles"),
    ("cite", "tui.data.formats.get_renderer", ("c", "enter", "enter"), "Could not make"),
    ("prefetch", "tui.screens.prefetching.prefetch", ("P",), "Prefetch failed"),
    ("open", "tui.screens.copy_links.open_url", ("o",), "Could not open the browser"),
]


@pytest.mark.parametrize(("job", "target", "keys", "sentence"), JOBS, ids=[j[0] for j in JOBS])
async def test_a_failing_job_ends_as_a_sentence_in_the_banner(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    job: str,
    target: str,
    keys: tuple[str, ...],
    sentence: str,
) -> None:
    asynchronous = job in ("references", "cited-by", "similar", "prefetch")
    monkeypatch.setattr(target, aboom if asynchronous else boom)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        if keys:
            await pilot.press(*keys)
        await wait_for(pilot, lambda: banner(app).kind != "clear")
        await settle(pilot)
        assert banner(app).message == f"{sentence}{banner_tail(sentence)}: Unexpected error: {BOOM}"
        assert app.return_code is None  # still running


def banner_tail(sentence: str) -> str:
    """The rest of the job's sentence after the words the table above names."""
    from tui.screens.jobs import JOB_FAILURES

    whole = next(s for s in JOB_FAILURES.values() if s.startswith(sentence))
    return whole[len(sentence) :]


async def test_a_failing_fetch_says_so_with_the_retry_key(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.data.service.PubMed.fetch", aboom)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: banner(app).kind == "error")
        assert banner(app).message == f"Unexpected error: {BOOM} — press r to retry"
