"""The print path's yardstick: Biopython fetching and parsing one PubMed record.

``python benchmarks/entrez_print.py URL PMID`` does what a short script written against
Biopython would: ``Entrez.efetch`` + ``Entrez.read``, then print the title.  Biopython
has no setting for its base URL, so the request it builds for NCBI is pointed at ``URL``
(the benchmark's local server) before it is sent; and since ``Entrez.read`` may fetch
DTDs it does not ship, any host but the loopback one is refused.
"""

from __future__ import annotations

import importlib
import socket
import sys
from typing import Any

NCBI = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"


def _loopback_only() -> None:
    original = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise OSError(f"the benchmark does not reach {host}")
        return original(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def main(base_url: str, pmid: str) -> int:
    _loopback_only()
    entrez: Any = importlib.import_module("Bio.Entrez")
    build = entrez._build_request

    def local(cgi: str, *args: Any, **kwargs: Any) -> Any:
        return build(cgi.replace(NCBI, base_url), *args, **kwargs)

    entrez._build_request = local
    entrez.email = "benchmark@example.org"
    entrez.tool = "pubterm-benchmark"
    with entrez.efetch(db="pubmed", id=pmid, retmode="xml") as handle:
        records = entrez.read(handle)
    article = records["PubmedArticle"][0]["MedlineCitation"]["Article"]
    print(article["ArticleTitle"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
