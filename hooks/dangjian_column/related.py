"""Related stories from other branches (互学互鉴) for every story page.

Scaffold: filled in by the issue-6 work.
"""

from __future__ import annotations

from .catalog import Catalog
from .model import Story


def related_stories(catalog: Catalog) -> dict[int, list[Story]]:
    """id(story) -> up to ``related_count`` stories, best first."""
    return {id(story): [] for story in catalog.stories}
