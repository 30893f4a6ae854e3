"""pubterm's data layer: identifiers, the HTTP client, the parser, the cache, the formats.

Nothing here imports Textual or Rich, so the print path and any script can use it alone.

httpx imports its optional command-line module (which pulls in Rich, Pygments and Click,
about 30 ms) whenever those happen to be installed, as they are next to Textual.  pubterm
never uses httpx's command line, so the module is marked unavailable before httpx loads;
httpx falls back to a stub ``main`` and the print path stays lean.
"""

import sys

if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
