"""The notice page (本文已撤下) a taken-down story's URL answers instead of a 404.

It names neither the title nor the branch: a story is often withdrawn because of what it says (a
wrong name, a sensitive site), so the notice must not repeat it. It is ``noindex``, out of
sitemap.xml, and the search index is made from the published catalog (publishing/search/), so
neither search engines nor the site's own search list it.
"""

from __future__ import annotations

from dangjian_column.content.catalog import Catalog
from dangjian_column.content.takedown import WITHDRAWN
from dangjian_column.pages.plans import PagePlan, common_context
from dangjian_column.pages.views import ViewBuilder

NOTICE_TITLE = "本文已撤下"


def takedown_notices(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    owned = {story.url for story in catalog.stories}  # a published story at the same URL keeps it
    plans: dict[str, PagePlan] = {}
    for story in sorted(catalog.taken_down, key=lambda s: s.source_path):
        if story.url in owned or story.url in plans:
            continue
        reason = "应要求撤下" if story.status == WITHDRAWN else "已到展示期限，自动下线"
        context = {**common_context(catalog, "takedown"), "reason": reason}
        plans[story.url] = PagePlan(f"{story.url}index.md", NOTICE_TITLE, "column/takedown.html", context,
                                    noindex=True)
    return list(plans.values())
