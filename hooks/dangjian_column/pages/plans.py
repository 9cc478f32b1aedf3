"""Plans of generated pages: what each virtual file is, its template and its template context."""

from __future__ import annotations

from dataclasses import dataclass, field

from dangjian_column.content.catalog import Catalog
from dangjian_column.content.pinning import pinned_count, pinned_first
from dangjian_column.model import Story
from dangjian_column.pages.pagination import paginate
from dangjian_column.pages.views import ViewBuilder


@dataclass
class PagePlan:
    src_uri: str  # where the virtual file pretends to live in docs_dir
    title: str
    template: str  # under site_templates/
    context: dict  # exposed to the template as ``column``
    markdown: str = ""  # rendered by MkDocs into page.content (branch story, hand-written intro)
    noindex: bool = False  # kept out of search engines and sitemap.xml (take-down notices)


@dataclass
class ColumnPlan:
    pages: list[PagePlan] = field(default_factory=list)
    story_context: dict[str, dict] = field(default_factory=dict)  # story src_uri -> context
    downloads: dict[str, str | bytes] = field(default_factory=dict)  # site path -> file content (CSV, JSON)


def common_context(catalog: Catalog, page_type: str) -> dict:
    """``page_type`` says which kind of page this is ("home", "branch", "tag"…); a story's ``kind`` is its
    activity kind, a different thing, hence the name."""
    return {"page_type": page_type, "column_title": catalog.settings.title,
            "organisation": catalog.settings.organisation}


def listing_pages(catalog: Catalog, views: ViewBuilder, stories: list[Story], base_url: str, title: str,
                  template: str, page_type: str, *, pins: bool = False, **extra) -> list[PagePlan]:
    """A paginated story listing: page 1 at ``base_url``, page n at ``base_url/page/n/``.

    With ``pins`` today's pinned stories come first, and each page says how many of its first cards
    are pinned (the template marks them 置顶)."""
    if pins:
        stories = pinned_first(stories, catalog.today)
    plans = []
    for listing in paginate(stories, catalog.settings.page_size, base_url):
        page_title = title if listing.pager.number == 1 else f"{title}（第 {listing.pager.number} 页）"
        context = {**common_context(catalog, page_type), **extra, "heading": title, "stories": views.cards(listing.items),
                   "pager": listing.pager, "total": len(stories),
                   "pinned": pinned_count(listing.items, catalog.today) if pins else 0}
        plans.append(PagePlan(listing.src_uri, page_title, template, context))
    return plans
