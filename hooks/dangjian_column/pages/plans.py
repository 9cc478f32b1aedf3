"""Plans of generated pages: what each virtual file is, its template and its template context."""

from __future__ import annotations

from dataclasses import dataclass, field

from dangjian_column.content.catalog import Catalog
from dangjian_column.content.pinning import pinned_count, pinned_first
from dangjian_column.model import Story
from dangjian_column.pages.memory import reuse_or_make
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
                  template: str, page_type: str, *, pins: bool = False, markdown: str = "", **extra) -> list[PagePlan]:
    """A paginated story listing: page 1 at ``base_url``, page n at ``base_url/page/n/``; ``markdown`` is
    page 1's own text (a brand story, a topic's introduction).

    With ``pins`` today's pinned stories come first, and each page says how many of its first cards
    are pinned (the template marks them 置顶).

    The preview's memory (``views.memory``) hands back the last plan's pages while the cards and the rest
    are equal: a save changes a handful of ~3,000 listings."""
    if pins:
        stories = pinned_first(stories, catalog.today)
    pinned = pinned_count(stories, catalog.today) if pins else 0  # all first: page n holds what is left
    cards = views.cards(stories)
    settings = catalog.settings
    inputs = (cards, pinned, base_url, title, template, page_type, markdown, extra, settings.page_size,
              settings.title, settings.organisation)
    return reuse_or_make(views.memory, "listing", base_url, inputs, lambda: _listing_pages(
        catalog, cards, pinned, base_url, title, template, page_type, markdown, extra))


def _listing_pages(catalog: Catalog, cards: list, pinned: int, base_url: str, title: str, template: str,
                   page_type: str, markdown: str, extra: dict) -> list[PagePlan]:
    size = catalog.settings.page_size
    plans = []
    for listing in paginate(cards, size, base_url):
        number = listing.pager.number
        page_title = title if number == 1 else f"{title}（第 {number} 页）"
        context = {**common_context(catalog, page_type), **extra, "heading": title, "stories": listing.items,
                   "pager": listing.pager, "total": len(cards),
                   "pinned": min(size, max(0, pinned - (number - 1) * size))}
        plans.append(PagePlan(listing.src_uri, page_title, template, context, markdown if number == 1 else ""))
    return plans
