"""JSON Lines: one record per line, so ``pubterm --format json`` pipes into jq or a loop.

The object is exactly ``Record.to_dict()``, the shape documented in the README; text is
kept as UTF-8 (β stays β) because the parser has already made every string safe.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from tui.data.formats.csl_json import Item


def render(records: Sequence[Item], *, style: str | None = None) -> str:
    """One JSON object per line, in the order given; "" for no records.

    A reference that is not a PubMed record is written in its reference-list shape.

    ``style`` is accepted for the common format signature and ignored.
    """
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records)
