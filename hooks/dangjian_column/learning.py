"""Mutual-learning pages (互学互鉴): pairings, the highlights wall and the experiences index.

Scaffold: filled in by the issue-6 work.
"""

from __future__ import annotations

from .catalog import Catalog
from .plans import PagePlan
from .views import ViewBuilder


def learning_pages(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    return []
