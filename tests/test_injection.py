"""Hostile record text: markup, escape sequences, controls, bidi and huge fields.

Records whose fields carry Rich/Textual markup (``[bold]``, ``[link=…]``,
``[@click=app.quit]``), ESC/CSI/OSC sequences (an OSC 52 that would overwrite the
clipboard, an OSC 8 link to ``file://``), C1 controls, bidi overrides, zero-width
characters and a 100,000-character title are served by the local fixture server and
read through the command line (``--format text`` and ``json``) and the reader.  Markup
must be shown literally, escapes and invisible characters stripped, nothing interpreted.
Control characters arrive both as raw bytes and as character references; XML 1.0 forbids
references to C0 controls, and the parser refuses such an answer with one clear error.
The snapshots in ``__snapshots__/test_injection/`` show the literal rendering.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from tests.server import SET_HEAD, SET_TAIL, FixtureServer
from tests.test_app_support import NARROW, WIDE, banner, make_app, settle, wait_for
from tui.cli import main
from tui.data.settings import Settings

HOSTILE = "99000001"
HUGE = "99000002"
C0_REFS = "99000003"
MARKUP = "[bold]Bold[/bold] [link=file:///etc/passwd]link[/link] [@click=app.quit]quit[/]"
OSC52_PAYLOAD = "SGFja2VkIQ=="  # base64 "Hacked!"

# Raw C0 escapes (forbidden in XML, sent anyway), C1 controls and bidi/zero-width as
# characters (legal XML), in every field the reader shows.
RAW_ESCAPES = (
    b"\x1b[2J\x1b[31mred\x1b[0m \x1b]52;c;" + OSC52_PAYLOAD.encode() + b"\x07osc52 "
    b"\x1b]8;;file:///etc/passwd\x1b\\osc8\x1b]8;;\x1b\\ \x07bell"
)
C1 = "\u009b31mcsi1 \u009d52;c;" + OSC52_PAYLOAD + "\u009c \u0085nel"
BIDI = "\u202eevil\u202c \u2066iso\u2069 z\u200bwj\ufeff"  # (ZWJ/ZWNJ are spelling, kept)
TITLE = MARKUP.encode() + b" " + RAW_ESCAPES + b" " + (C1 + " " + BIDI).encode()
TITLE_SHOWN = MARKUP + " red osc52 osc8 bell csi1 nel evil iso zwj"
HUGE_TITLE = ("[bold]x[/bold] " * 7143)[:100_000]
DOI = "10.1000/[@click=app.quit]x\u202e"
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def esc(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").encode()


def article(pmid: str, title: bytes, *, doi: str = DOI, extra: bytes = b"") -> bytes:
    field = esc(MARKUP) + b" " + RAW_ESCAPES + b" " + esc(C1 + " " + BIDI)
    return (
        b'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">'
        + pmid.encode()
        + b"</PMID><Article><Journal><Title>"
        + field
        + b"</Title>"
        b"<JournalIssue><Volume>" + field + b"</Volume><PubDate><Year>2024</Year></PubDate>"
        b"</JournalIssue><ISOAbbreviation>" + esc("[red]J[/red] \u202eabbr") + b"</ISOAbbreviation>"
        b"</Journal><ArticleTitle>" + title + b"</ArticleTitle><Abstract>"
        b'<AbstractText Label="'
        + esc("[b]LABEL[/b]").replace(b'"', b"&quot;")
        + b'">'
        + field
        + b"</AbstractText><AbstractText>"
        + esc("[@click=app.quit]second[/]")
        + b" &#x9b;2J &#x202e;bidi</AbstractText></Abstract><AuthorList><Author><LastName>"
        + field
        + b"</LastName><ForeName>"
        + esc("[link=https://evil.example]Eve[/link]")
        + b"</ForeName><Initials>E</Initials></Author></AuthorList><PublicationTypeList>"
        b"<PublicationType>" + esc("[reverse]Review[/reverse]") + b"</PublicationType>"
        b"</PublicationTypeList></Article><KeywordList><Keyword>" + field + b"</Keyword>"
        b"<Keyword>"
        + esc("[@click=app.bell]kw[/]")
        + b"</Keyword></KeywordList>"
        + extra
        + b'</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">'
        + pmid.encode()
        + b'</ArticleId><ArticleId IdType="doi">'
        + esc(doi)
        + b"</ArticleId>"
        b"</ArticleIdList><ReferenceList><Reference><Citation>" + field + b"</Citation>"
        b'<ArticleIdList><ArticleId IdType="doi">10.1000/ref[@click=app.quit]</ArticleId>'
        b"</ArticleIdList></Reference><Reference><Citation>"
        + esc("[link=file:///etc/passwd]ref two[/link]")
        + b"</Citation></Reference></ReferenceList></PubmedData></PubmedArticle>"
    )


class HostileServer(FixtureServer):
    """The fixture server, serving some answers byte for byte as given.

    The stock server re-serialises records through lxml, which cannot carry raw control
    bytes; a hostile or broken upstream sends them anyway.
    """

    def __init__(self) -> None:
        super().__init__()
        self.raw: dict[str, bytes] = {}

    def answer(self, method: str, path: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        ids = [i.strip() for i in params.get("id", "").split(",") if i.strip()]
        if path.endswith("efetch.fcgi") and ids and all(i in self.raw for i in ids):
            body = b"\n".join(self.raw[i] for i in ids)
            return 200, "text/xml; charset=UTF-8", SET_HEAD + body + b"\n" + SET_TAIL
        return super().answer(method, path, params)


@pytest.fixture
def hostile_server() -> Any:
    server = HostileServer()
    server.raw[HOSTILE] = article(HOSTILE, TITLE)
    server.raw[HUGE] = article(HUGE, esc(HUGE_TITLE), doi="10.1000/huge")
    server.raw[C0_REFS] = article(
        C0_REFS,
        b"x&#x1b;[31mred&#x1b;]52;c;" + OSC52_PAYLOAD.encode() + b"&#x07; &#27;[2J",
        doi="10.1000/c0",
    )
    with server:
        yield server


@pytest.fixture
def hostile_settings(hostile_server: HostileServer, settings: Settings) -> Settings:
    from dataclasses import replace

    return replace(
        settings,
        eutils_url=hostile_server.eutils_url,
        europepmc_url=hostile_server.europepmc_url,
        crossref_url=hostile_server.crossref_url,
    )


def cli(
    server: FixtureServer, cache: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    capsys.readouterr()
    out = io.StringIO()
    code = main(["--eutils-url", server.eutils_url, "--cache-dir", str(cache), *args], out=out)
    return code, out.getvalue(), capsys.readouterr().err


# -- the command line --------------------------------------------------------------------


def test_text_format_shows_markup_literally_and_strips_escapes(
    hostile_server: HostileServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(hostile_server, cache_dir, capsys, "--format", "text", HOSTILE)
    assert code == 0, err
    assert not FORBIDDEN.search(out), repr(FORBIDDEN.search(out))
    assert "\x1b" not in out and OSC52_PAYLOAD not in out and "file:///etc/passwd\x1b" not in out
    flat = " ".join(out.split())
    assert TITLE_SHOWN in flat
    assert "[@click=app.quit]second[/]" in flat
    assert "[b]LABEL[/b]" in flat and "[reverse]Review[/reverse]" in flat
    assert "[@click=app.bell]kw[/]" in flat and "[link=file:///etc/passwd]ref two[/link]" in flat
    assert "10.1000/[@click=app.quit]x" in flat


def test_json_format_carries_clean_strings(
    hostile_server: HostileServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(hostile_server, cache_dir, capsys, "--format", "json", HOSTILE)
    assert code == 0, err
    assert not FORBIDDEN.search(out)
    obj = json.loads(out)
    assert obj["title"] == TITLE_SHOWN
    assert obj["doi"] == "10.1000/[@click=app.quit]x"
    assert not FORBIDDEN.search(json.dumps(obj, ensure_ascii=False))


def test_hundred_thousand_character_title_prints_whole(
    hostile_server: HostileServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(hostile_server, cache_dir, capsys, "--format", "text", HUGE)
    assert code == 0, err
    assert "".join(HUGE_TITLE.split()) in "".join(out.split())
    assert max(len(line) for line in out.splitlines() if "[bold]x" in line) <= 80


def test_c0_character_references_are_refused_in_one_line(
    hostile_server: HostileServer, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """XML 1.0 forbids &#x1b;: the answer is not XML, so it is refused and not cached."""
    code, out, err = cli(hostile_server, cache_dir, capsys, "--format", "text", C0_REFS)
    assert code == 4 and out == ""
    (line,) = [ln for ln in err.splitlines() if "retrying" not in ln]
    assert line.startswith(f"pubterm: {C0_REFS}: ") and "not valid XML" in line
    assert not FORBIDDEN.search(err) and OSC52_PAYLOAD not in err
    from tui.data.cache import RecordCache

    with RecordCache(cache_dir) as cache:
        assert cache.get_record(C0_REFS) is None


# -- the reader ----------------------------------------------------------------------------


async def ready(pilot: Pilot[Any]) -> None:
    with contextlib.suppress(WorkerFailed):
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def rendered(app: Any) -> tuple[str, list[dict[str, Any]], list[str]]:
    """Every widget's rendered lines: the text, the metas and the links it sends."""
    text: list[str] = []
    metas: list[dict[str, Any]] = []
    links: list[str] = []
    for widget in app.screen.query("*"):
        if not widget.display or not widget.size.area:
            continue
        for strip in widget.render_lines(Region(0, 0, *widget.size)):
            text.append(strip.text)
            for segment in strip:
                style = segment.style
                if style is None:
                    continue
                if style.link:
                    links.append(style.link)
                if style.meta and widget.__class__.__name__ not in ("FooterKey", "Footer"):
                    metas.append(dict(style.meta))
    return "\n".join(text), metas, links


def markup_positions(app: Any) -> list[tuple[int, int]]:
    """Screen cells inside "[@click=…]" and "[link=…]" texts, wherever they are shown."""
    found: set[tuple[int, int]] = set()
    for widget in app.screen.query("*"):
        if not widget.display or not widget.size.area or widget.children:
            continue
        region = widget.region
        for row, strip in enumerate(widget.render_lines(Region(0, 0, *widget.size))):
            for m in re.finditer(r"\[(?:@click|link)=", strip.text):
                x, y = region.x + m.start() + 3, region.y + row
                if region.contains(x, y):
                    found.add((x, y))
    return sorted(found)


async def test_reader_shows_hostile_record_literally(hostile_settings: Settings) -> None:
    app = make_app(hostile_settings, HOSTILE)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: app.reader.record is not None)
        await ready(pilot)
        assert app.reader.record is not None and app.reader.record.title == TITLE_SHOWN
        for pane in ("1", "2", "3"):
            await pilot.press(pane)
            await pilot.pause()
            text, metas, links = rendered(app)
            assert not FORBIDDEN.search(text), repr(FORBIDDEN.search(text))
            assert OSC52_PAYLOAD not in text
            assert not [m for m in metas if "@click" in m], metas
            assert all(link.startswith("https://") for link in links), links
            assert not [link for link in links if "passwd" in link or "evil" in link]
        flat = " ".join(text.split())
        assert "[bold]Bold[/bold]" in flat and "[@click=app.quit]" in flat
        svg = app.export_screenshot()
        assert "\x1b" not in svg and OSC52_PAYLOAD not in svg


async def test_clicking_and_keys_do_not_run_embedded_actions(hostile_settings: Settings) -> None:
    app = make_app(hostile_settings, HOSTILE)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: app.reader.record is not None)
        await ready(pilot)
        before = app.clipboard
        # Click on every place the screen shows embedded markup, as a curious user would.
        targets = markup_positions(app)
        assert len(targets) >= 4, targets
        for x, y in targets:
            await pilot.click(offset=(x, y))
            assert app.is_running, (x, y)
        for key in ("1", "down", "enter", "2", "enter", "3", "home", "tab", "enter"):
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running, key
        await settle(pilot)
        assert app.is_running
        assert app.clipboard == before
        assert OSC52_PAYLOAD not in app.clipboard
        assert all("passwd" not in m for m in app.messages)
        # Copying the hostile DOI copies it as text, cleaned, and says so literally.
        await pilot.press("1", "y")
        await pilot.pause()
        assert app.clipboard == "10.1000/[@click=app.quit]x"
        assert (
            "Sent DOI 10.1000/[@click=app.quit]x to the terminal's clipboard (OSC 52)"
            in app.messages
        )
        assert app.is_running


async def test_reader_stays_responsive_with_a_huge_title(hostile_settings: Settings) -> None:
    app = make_app(hostile_settings, HUGE)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: app.reader.record is not None, timeout=10)
        await ready(pilot)
        assert app.reader.record is not None and len(app.reader.record.title) > 99_000
        await pilot.press("3", "j", "k", "1")
        assert app.is_running


async def test_reader_refuses_c0_references_in_place(hostile_settings: Settings) -> None:
    app = make_app(hostile_settings, C0_REFS)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: banner(app).kind == "error", timeout=10)
        await settle(pilot)
        assert "not valid XML" in banner(app).message
        assert app.reader.record is None and app.is_running
        assert app.clipboard == ""


SIZES = pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
SnapCompare = Callable[..., bool]


@SIZES
def test_snapshot_hostile_record(
    snap_compare: SnapCompare, hostile_settings: Settings, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(hostile_settings, HOSTILE), terminal_size=size, run_before=ready)


@SIZES
def test_snapshot_hostile_references(
    snap_compare: SnapCompare, hostile_settings: Settings, size: tuple[int, int]
) -> None:
    async def references(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("3")
        await pilot.pause()

    assert snap_compare(
        make_app(hostile_settings, HOSTILE), terminal_size=size, run_before=references
    )


@SIZES
def test_snapshot_huge_title(
    snap_compare: SnapCompare, hostile_settings: Settings, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(hostile_settings, HUGE), terminal_size=size, run_before=ready)
