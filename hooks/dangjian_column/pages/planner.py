"""The plan of every generated page (virtual files) and of the context each story page gets."""

from __future__ import annotations

import functools

from dangjian_column.content.catalog import Catalog
from dangjian_column.content.pinning import pinned_count, pinned_first
from dangjian_column.model import Story
from dangjian_column.pages import urls
from dangjian_column.pages.assessment import Assessment, plan_assessment
from dangjian_column.pages.galleries import gallery_pages, photo_counts, recent_photos, story_gallery
from dangjian_column.pages.learning import learning_pages, pair_key, pairing_anchors
from dangjian_column.pages.memory import PlanMemory, reuse_or_make
from dangjian_column.pages.plans import ColumnPlan, PagePlan, common_context, listing_pages
from dangjian_column.pages.related import related_stories
from dangjian_column.pages.takedown import takedown_notices
from dangjian_column.pages.topics import story_topics, topic_cards, topic_pages
from dangjian_column.pages.views import Link, StoryCard, ViewBuilder
from dangjian_column.pages.wall import wall_groups
from dangjian_column.publishing.search import INDEX_DIR


def plan_column(catalog: Catalog, memory: PlanMemory | None = None) -> ColumnPlan:
    """Every generated page, in a stable order. ``memory`` (the preview's) hands back the last plan's
    cards and story contexts where their inputs are equal, so unchanged pages compare at identity."""
    views = ViewBuilder(catalog, memory)
    plan = ColumnPlan()
    settings = catalog.settings
    assessment = plan_assessment(catalog, memory) if settings.assessment_pages else Assessment()
    families = [_home, functools.partial(_branches, coverage=assessment.branch_rows), gallery_pages, _kinds,
                _archive, _tags, topic_pages, _search, takedown_notices]
    families += [learning_pages] if settings.learning_pages else []
    for make in families:
        plan.pages.extend(make(catalog, views))
    plan.pages.extend(assessment.pages)
    plan.story_context = _story_contexts(catalog, views)
    plan.downloads = assessment.downloads
    if memory is not None:
        memory.next_plan()
    return plan


def intro_markdown(body: str) -> str:
    """A hand-written page used as an introduction: its own H1 would repeat the page heading."""
    lines = body.strip().split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip()


def _home(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    latest = pinned_first(catalog.stories, catalog.today)[: catalog.settings.latest_count]
    context = {
        **common_context(catalog, "home"),
        "wall": list(views.branch_cards.values()),
        "wall_groups": wall_groups(list(views.branch_cards.values())),
        "latest": views.cards(latest),
        "pinned": pinned_count(latest, catalog.today),
        "topics": topic_cards(catalog),
        "kinds": list(views.kind_links.values()),
        "years": [Link(f"{year}年", urls.archive_year_url(year), len(items)) for year, items in catalog.by_year.items()],
        "figures": home_figures(catalog),
        "photos": recent_photos(catalog, skip={s.cover for s in latest if s.cover}),  # not the news covers again
    }
    return [PagePlan(urls.source_uri(urls.HOME), catalog.settings.title, "column/home.html", context)]


def home_figures(catalog: Catalog) -> dict:
    """The numbers on the home page, all counted from published content (withheld stories never count)."""
    stories = catalog.stories
    year = catalog.today.year
    return {
        "branches": len(catalog.branches),
        "stories": len(stories),
        "year": year,
        "year_stories": len(catalog.by_year.get(year, ())),
        "photos": len({photo for story in stories for photo in story.photos}),  # distinct image files
        "joint": sum(1 for s in stories if s.is_joint),
    }


def _branches(catalog: Catalog, views: ViewBuilder, coverage: dict[str, dict]) -> list[PagePlan]:
    plans = [PagePlan(urls.source_uri(urls.BRANCHES), "支部品牌", "column/branches.html",
                      {**common_context(catalog, "branches"), "wall": list(views.branch_cards.values())})]
    # each branch's own row of the monthly heat-map (``coverage``); each pairing's entry on the pairings page
    anchors = pairing_anchors(catalog.branches) if catalog.settings.learning_pages else {}
    photos = photo_counts(catalog)
    for slug, branch in catalog.branches.items():
        pairings = [
            {"card": views.branch_cards.get(p.branch), "partner": p.partner, "note": p.note,
             "anchor": anchors.get(pair_key(slug, p), "")}
            for p in branch.pairings
        ]
        pages = listing_pages(catalog, views, catalog.by_branch[slug], branch.url, branch.brand,
                               "column/branch.html", "branch", pins=True, branch=branch, card=views.branch_cards[slug],
                               pairings=pairings, coverage=coverage.get(slug),
                               photo_count=photos.get(slug, 0), gallery_url=urls.branch_photos_url(slug),
                               markdown=branch.body)
        plans.extend(pages)
    return plans


def _kinds(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    plans = [PagePlan(urls.source_uri(urls.KINDS), "活动类型", "column/kinds.html",
                      {**common_context(catalog, "kinds"), "kinds": [
                          {"link": views.kind_links[k.key], "description": k.description}
                          for k in catalog.settings.kinds]})]
    for kind in catalog.settings.kinds:
        plans.extend(listing_pages(catalog, views, catalog.by_kind[kind.key], views.kind_links[kind.key].url,
                                    kind.label, "column/listing.html", "kind", pins=True,
                                    description=kind.description))
    return plans


def _archive(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    years = []
    for year, stories in catalog.by_year.items():
        months = [Link(f"{m}月", urls.archive_month_url(y, m), len(items))
                  for (y, m), items in sorted(catalog.by_month.items()) if y == year]
        years.append({"link": Link(f"{year}年", urls.archive_year_url(year), len(stories)), "months": months})
    plans = [PagePlan(urls.source_uri(urls.ARCHIVE), "活动归档", "column/archive.html",
                      {**common_context(catalog, "archive"), "years": years})]
    for entry in years:
        year_link: Link = entry["link"]
        year = int(year_link.label[:-1])
        plans.extend(listing_pages(catalog, views, catalog.by_year[year], year_link.url, year_link.label,
                                    "column/listing.html", "year", months=entry["months"]))
    for (year, month), stories in catalog.by_month.items():
        plans.extend(listing_pages(catalog, views, stories, urls.archive_month_url(year, month), f"{year}年{month}月",
                                    "column/listing.html", "month", up=Link(f"{year}年", urls.archive_year_url(year))))
    return plans


def _tags(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    plans = [PagePlan(urls.source_uri(urls.TAGS), "标签", "column/tags.html",
                      {**common_context(catalog, "tags"), "tags": list(views.tag_links.values())})]
    for tag, stories in catalog.by_tag.items():
        plans.extend(listing_pages(catalog, views, stories, views.tag_links[tag].url, f"标签：{tag}",
                                    "column/listing.html", "tag", pins=True))
    return plans


def _search(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    # The index is written after the build (publishing.search); the page only needs to know where.
    has_content = bool(catalog.stories or catalog.branches)
    return [PagePlan(urls.source_uri(urls.SEARCH), "站内搜索", "column/search.html", {**common_context(catalog, "search"),
                                                                      "index": f"{INDEX_DIR}/" if has_content else ""})]


def _story_contexts(catalog: Catalog, views: ViewBuilder) -> dict[str, dict]:
    """Prev/next within each of a story's branches, computed in one pass over the branch lists."""
    around: dict[str, list[tuple]] = {s.src_uri: [] for s in catalog.stories}
    for slug, stories in catalog.by_branch.items():
        for i, story in enumerate(stories):
            around[story.src_uri].append((views.branch_cards[slug],
                                          views.card(stories[i - 1]) if i > 0 else None,
                                          views.card(stories[i + 1]) if i + 1 < len(stories) else None))
    related = related_stories(catalog, views.memory) if catalog.settings.learning_pages else {}
    topics = story_topics(catalog)
    common = common_context(catalog, "story")
    contexts = {}
    for story in catalog.stories:
        parts = (views.card(story), tuple(around[story.src_uri]), tuple(views.cards(related.get(story.src_uri, []))),
                 tuple(topics.get(story.src_uri, [])))
        contexts[story.src_uri] = reuse_or_make(views.memory, "story context", story.src_uri, (story, common, parts),
                                                lambda story=story, parts=parts: _story_context(story, common, *parts))
    return contexts


def _story_context(story: Story, common: dict, card: StoryCard, around: tuple, related: tuple, topics: tuple) -> dict:
    return {
        **common, "story": card, "author": story.author, "related": list(related),
        "photographer": story.photographer, "source": story.source,
        "around": [{"branch": branch, "newer": newer, "older": older} for branch, newer, older in around],
        "editor": story.editor, "reviewers": story.reviewers,
        "cover_alt": story.captions.get(story.cover) or story.title, "gallery": story_gallery(story),
        "video": story.video, "cover": story.cover, "topics": list(topics),
    }
