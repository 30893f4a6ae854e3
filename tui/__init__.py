"""pubterm: a terminal reader for PubMed review articles.

Kept import-free so that ``pubterm --version`` and the print path start fast.
"""

__version__ = "0.1.0"
