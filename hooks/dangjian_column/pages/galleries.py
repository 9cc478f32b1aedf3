"""Photo views: a story's gallery, each branch's photo wall (照片墙), and the home page's photo strip."""

from __future__ import annotations

from dataclasses import dataclass

from dangjian_column.content.catalog import Catalog
from dangjian_column.content.photos import alt_text
from dangjian_column.model import Story
from dangjian_column.pages.pagination import paginate
from dangjian_column.pages.plans import PagePlan, common_context
from dangjian_column.pages.urls import branch_photos_url
from dangjian_column.pages.views import ViewBuilder, date_label

PHOTOS_PER_PAGE = 48  # a 3- or 4-column grid of whole rows
STRIP_PHOTOS = 12
STRIP_PER_STORY = 2  # so one photo-heavy activity does not fill the strip


@dataclass(frozen=True)
class PhotoEntry:
    path: str  # site path of the source image; templates ask the media library for its renditions
    alt: str
    caption: str
    story_title: str
    story_url: str
    date: str  # ISO, for <time datetime>: 2026年11月12日 is no machine-readable date
    date_label: str


def story_photos(story: Story) -> list[PhotoEntry]:
    """Every photo the story shows, numbered as on its page (cover first)."""
    return [PhotoEntry(path, photo_alt(story, path), story.captions.get(path, ""), story.title, story.url,
                       story.date.isoformat(), date_label(story))
            for path in story.photos]


def photo_alt(story: Story, site_path: str) -> str:
    """The caption, or "标题（图N）" with N the photo's place among those the story shows."""
    number = story.photos.index(site_path) + 1 if site_path in story.photos else len(story.photos) + 1
    return alt_text(story.captions.get(site_path, ""), story.title, number)


def story_gallery(story: Story) -> list[PhotoEntry]:
    gallery = {p.site_path for p in story.gallery}
    return [entry for entry in story_photos(story) if entry.path in gallery]


def branch_photos(stories: list[Story]) -> list[PhotoEntry]:
    """Newest story first; a photo two stories share appears once, with the newer story."""
    seen: set[str] = set()
    entries = []
    for story in stories:
        for entry in story_photos(story):
            if entry.path not in seen:
                seen.add(entry.path)
                entries.append(entry)
    return entries


def recent_photos(catalog: Catalog, skip: frozenset[str] | set[str] = frozenset()) -> list[PhotoEntry]:
    """The home strip: newest stories' photos, at most two a story, none of those in ``skip``."""
    entries: list[PhotoEntry] = []
    seen: set[str] = set(skip)
    for story in catalog.stories:
        fresh = [e for e in story_photos(story) if e.path not in seen][:STRIP_PER_STORY]
        seen.update(e.path for e in fresh)
        entries.extend(fresh)
        if len(entries) >= STRIP_PHOTOS:
            break
    return entries[:STRIP_PHOTOS]


def gallery_pages(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    """Each branch with photos gets ``branches/<slug>/photos/``, paginated, linking back to the stories."""
    plans = []
    for slug, stories in catalog.by_branch.items():
        photos = branch_photos(stories)
        if not photos:
            continue
        card = views.branch_cards[slug]
        title = f"{card.brand} · 活动照片"
        for listing in paginate(photos, PHOTOS_PER_PAGE, branch_photos_url(slug)):
            page_title = title if listing.pager.number == 1 else f"{title}（第 {listing.pager.number} 页）"
            context = {**common_context(catalog, "gallery"), "heading": title, "card": card, "photos": listing.items,
                       "pager": listing.pager, "total": len(photos)}
            plans.append(PagePlan(listing.src_uri, page_title, "column/gallery.html", context))
    return plans


def photo_counts(catalog: Catalog) -> dict[str, int]:
    """As many as the branch's photo wall shows (distinct files), without building its entries."""
    return {slug: len({path for story in stories for path in story.photos})
            for slug, stories in catalog.by_branch.items()}
