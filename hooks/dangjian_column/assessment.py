"""Assessment views (考核): the branch × kind matrix, monthly coverage and the stats downloads.

Scaffold: filled in by the issue-6 work.
"""

from __future__ import annotations

from .catalog import Catalog
from .plans import PagePlan
from .views import ViewBuilder


def assessment_pages(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    return []


def stats_downloads(catalog: Catalog) -> dict[str, str | bytes]:
    return {}
