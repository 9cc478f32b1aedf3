"""Chinese full-text search by substring: a static n-gram index (character pairs and triples) that
the browser reads in small pieces.

``documents`` (what a result is) → ``text`` (normalisation, body text) → ``postings`` (the pair and triple
index, NumPy) → ``encoding`` (compact integer strings) → ``writer`` (the files under ``searchindex/``).
The browser side is ``site_templates/assets/javascripts/search-engine.js``.
"""

from __future__ import annotations

import time
from pathlib import Path

from dangjian_column.content.catalog import Catalog
from dangjian_column.publishing.search.documents import SearchThumb, Thumbs, column_documents
from dangjian_column.publishing.search.writer import INDEX_DIR, IndexResult, write_index

__all__ = ["INDEX_DIR", "IndexResult", "SearchThumb", "Thumbs", "index_column"]


def index_column(site_dir: Path, catalog: Catalog, bodies: dict[str, str], thumb: Thumbs) -> IndexResult:
    """Index every published story and branch profile of ``catalog`` into ``site_dir/searchindex/``."""
    start = time.perf_counter()
    documents = column_documents(catalog, bodies, catalog.settings.search_full_text, thumb)
    result = write_index(site_dir, documents)
    return IndexResult(result.ok, f"{result.summary}，用时 {time.perf_counter() - start:.1f} 秒")
