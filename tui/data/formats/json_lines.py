"""JSON Lines: one record per line, so ``pubterm --format json`` pipes into jq or a loop.

The object is exactly ``Record.to_dict()``, the shape documented in the README; text is
kept as UTF-8 (β stays β) because the parser has already made every string safe.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from tui.data.model import Record


def render(records: Sequence[Record], *, style: str | None = None) -> str:
    """One JSON object per line, in the order given; "" for no records.

    ``style`` is accepted for the common format signature and ignored.
    """
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records)
