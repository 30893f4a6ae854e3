"""Bundled sample records for ``pubterm --demo``: the reader with no network at all.

The records are real efetch answers shipped as package data.  The demo seeds them into
a throw-away cache and runs offline, so it exercises exactly the code a real session does.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from tui.data.settings import Settings

# The record the demo opens first: a review with 258 references.
DEMO_PMID = "35856662"
DEMO_PMIDS = ("35856662", "38534005", "36598232")


def bundled_records() -> dict[str, bytes]:
    """PMID -> raw efetch XML of every bundled record."""
    folder = resources.files(__name__)
    return {pmid: folder.joinpath(f"{pmid}.xml").read_bytes() for pmid in DEMO_PMIDS}


def demo_settings(settings: Settings) -> Settings:
    """Settings for an offline session over a temporary cache holding the bundled records."""
    from tui.data.cache import RecordCache
    from tui.data.parse import parse_pubmed

    folder = Path(tempfile.mkdtemp(prefix="pubterm-demo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    cache = RecordCache(folder, size_limit_mb=64)
    now = datetime.now(UTC)
    try:
        for pmid, xml in bundled_records().items():
            cache.put_record(pmid, xml, now)
            for record in parse_pubmed(xml):
                if record.doi:
                    cache.put_alias("doi", record.doi.lower(), record.pmid)
                if record.pmcid:
                    cache.put_alias("pmcid", record.pmcid, record.pmid)
    finally:
        cache.close()
    return replace(settings, cache_dir=folder, offline=True, refresh=False)
