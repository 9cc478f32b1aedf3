"""What each search result is made of: one document per published story and per branch profile.

A document's searchable text is its fields joined by ``FIELD_SEPARATOR``, the title first (positions
below ``len(title)`` are title matches, which rank first). ``shown`` is the part a result's excerpt is
cut from: summary, body and captions, never the title again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dangjian_column.content.catalog import Catalog
from dangjian_column.model import Branch, Story
from dangjian_column.pages.views import date_label
from dangjian_column.publishing.search.text import FIELD_SEPARATOR, html_text, normalise

BRANCH_KIND = "支部品牌"  # the kind shown on a branch profile's result


@dataclass(frozen=True)
class SearchThumb:
    """A result's small picture: the cover's (or logo's) 160/320-px renditions, as (site path, width) pairs."""

    fallback: tuple[tuple[str, int], ...]  # JPEG (PNG for a transparent logo), narrowest first
    webp: tuple[tuple[str, int], ...]  # empty when the build makes no WebP
    width: int  # the narrowest fallback's size: the box's aspect ratio before the file arrives
    height: int


Thumbs = Callable[[str], "SearchThumb | None"]  # site path of a cover or logo -> its thumbnail


@dataclass(frozen=True)
class SearchDocument:
    url: str  # site path, e.g. "stories/2025/jitai-dangke/"
    title: str
    date: str  # "2025年4月10日"; "" for branch profiles
    branches: tuple[str, ...]  # brand names, for the result line and the 支部 filter
    kind: str
    year: str  # for the 年份 filter; "" for branch profiles
    image: SearchThumb | None  # the cover's or logo's thumbnail, None when none
    shown: tuple[str, ...]  # summary, body, captions: the excerpt's source
    hidden: tuple[str, ...]  # searchable but not excerpted: branch names, kind, tags, credits

    @property
    def text(self) -> str:
        """The indexed text, normalised; a field never ends inside a word of the next one."""
        return normalise(FIELD_SEPARATOR.join((self.title, *self.shown, *self.hidden)))


def story_document(story: Story, branches: dict[str, Branch], body_text: str, full_text: bool,
                   thumb: Thumbs) -> SearchDocument:
    named = [branches[slug] for slug in story.branches if slug in branches]
    captions = [c for c in story.captions.values() if c] if full_text else []
    names = [part for b in named for part in (b.brand, b.name, b.short_name) if part]
    return SearchDocument(
        url=story.url, title=story.title, date=date_label(story), branches=tuple(b.brand for b in named),
        kind=story.kind.label, year=str(story.date.year), image=thumb(story.cover) if story.cover else None,
        shown=tuple(t for t in (story.description, body_text if full_text else "", *captions) if t),
        hidden=tuple(t for t in (*names, story.kind.label, *story.tags, story.author, story.photographer,
                                  story.source) if t))


def branch_document(branch: Branch, body_text: str, full_text: bool, thumb: Thumbs) -> SearchDocument:
    items = [t for item in (*branch.highlights, *branch.experiences) for t in (item.title, item.text) if t]
    honours = [h.title for h in branch.honours]
    shown = (branch.slogan, body_text if full_text else "", *items, *honours)
    return SearchDocument(
        url=branch.url, title=f"{branch.brand} · {branch.short_name or branch.name}", date="",
        branches=(branch.brand,), kind=BRANCH_KIND, year="", image=thumb(branch.logo) if branch.logo else None,
        shown=tuple(t for t in shown if t),
        hidden=tuple(t for t in (branch.brand, branch.name, branch.short_name, branch.parent, branch.category) if t))


def column_documents(catalog: Catalog, bodies: dict[str, str], full_text: bool,
                     thumb: Thumbs) -> list[SearchDocument]:
    """Stories newest first, then branch profiles in display order: the order among equal matches.

    ``bodies`` maps a story's ``src_uri`` (or a branch's ``url``) to its rendered, sanitised body HTML."""
    def body(key: str) -> str:
        return html_text(bodies.get(key, "")) if full_text else ""

    stories: Iterable[SearchDocument] = (
        story_document(s, catalog.branches, body(s.src_uri), full_text, thumb) for s in catalog.stories)
    profiles = (branch_document(b, body(b.url), full_text, thumb) for b in catalog.branches.values())
    return [*stories, *profiles]
