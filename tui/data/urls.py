"""Every address pubterm builds: the web pages it links to and the API endpoints it asks.

Identifiers come from records, which are untrusted: each one is percent-encoded as a
single path segment, so a DOI such as ``10.1/../../x`` can never step out of its path.
The reader's links, the clipboard's links, the citation formats and the HTTP client all
build their addresses here, so a change of PubMed's or PMC's address is one edit.
"""

from __future__ import annotations

from urllib.parse import quote

DOI_BASE = "https://doi.org/"
PUBMED_BASE = "https://pubmed.ncbi.nlm.nih.gov/"
PMC_BASE = "https://pmc.ncbi.nlm.nih.gov/articles/"


def segment(value: str, *, safe: str = "") -> str:
    """``value`` as one path segment ("." and ".." encoded: browsers resolve them)."""
    quoted = quote(value, safe=safe)
    return quoted.replace(".", "%2E") if quoted in (".", "..") else quoted


def doi_url(doi: str) -> str:
    """The doi.org link for a DOI, each of its segments percent-encoded."""
    return DOI_BASE + "/".join(segment(s) for s in doi.strip().split("/"))


def pubmed_url(pmid: str) -> str:
    """The PubMed page of a PMID."""
    return f"{PUBMED_BASE}{segment(pmid.strip())}/"


def pmc_url(pmcid: str) -> str:
    """The PMC article page of a PMCID (PMC writes the prefix in capitals)."""
    return f"{PMC_BASE}{segment(pmcid.strip().upper())}/"


# -- the services' APIs ------------------------------------------------------------------------


def base(url: str) -> str:
    """A service's base URL as a prefix, whether or not the setting ends with a slash."""
    return url if url.endswith("/") else url + "/"


def endpoint(base_url: str, path: str) -> str:
    """``path`` (already encoded) under a service's base URL."""
    return base(base_url) + path.lstrip("/")


def europepmc_references(pmid: str) -> str:
    """Europe PMC's reference list of a PubMed record, under its REST base."""
    return f"MED/{segment(pmid.strip())}/references"


def crossref_work(doi: str) -> str:
    """Crossref's work record of a DOI, under its API base (the DOI's slashes kept)."""
    return f"works/{quote(doi.strip(), safe='/')}"
