"""View models: the plain data each template renders. URLs are relative to the site root."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dangjian_column.content.catalog import Catalog
from dangjian_column.content.textstats import clip_title, reading_minutes
from dangjian_column.model import Branch, Story
from dangjian_column.pages import urls
from dangjian_column.pages.memory import PlanMemory, interned


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class BranchCard:
    slug: str
    url: str
    name: str
    short_name: str
    brand: str
    slogan: str
    logo: str
    parent: str
    category: str
    story_count: int
    initial: str  # shown in place of a missing logo


# Characters of a title shown in listings (cards, related stories, older/newer links): three lines
# of a phone card hold about 50-60 Han characters; column.css clamps the same box to three lines. The
# story page and the link's title= attribute carry the full title.
CARD_TITLE_LIMIT = 60


@dataclass(frozen=True)
class StoryCard:
    title: str
    url: str
    date: str  # ISO, for <time datetime> and search sorting
    date_label: str  # 2025年3月15日
    kind: Link
    branches: tuple[BranchCard, ...]
    description: str
    cover: str
    char_count: int
    read_minutes: int
    tags: tuple[Link, ...]
    joint: bool
    notice: str = ""  # preview builds only: why production would keep this story back
    short_title: str = ""  # the title as listings show it (cut at CARD_TITLE_LIMIT)
    lead: str = ""  # the story page's lead: the written description only (a summary repeats the text)


def withheld_notice(catalog: Catalog, story: Story) -> str:
    """The banner a preview build shows on a story production would not publish ("" otherwise)."""
    if not catalog.is_withheld(story):
        return ""
    if story.status == "draft":
        return "草稿，未发布"
    if story.status == "review" and story.standing is not None:
        return f"待审稿，未发布：{story.standing.summary()}"
    if story.status == "review":
        return "待审稿，未发布"
    if story.status == "withdrawn":
        return "已撤稿，正式版不显示"
    if story.expires is not None and story.expires < catalog.today:
        return f"已于 {story.expires} 到期下线，正式版不显示"
    return f"已审核，定时发布：{date_label(story)}起"


def date_label(story: Story) -> str:
    return f"{story.date.year}年{story.date.month}月{story.date.day}日"


class ViewBuilder:
    """Makes each card once; listings share them, so the cost stays linear in stories."""

    def __init__(self, catalog: Catalog, memory: PlanMemory | None = None):
        self.catalog = catalog
        self.memory = memory  # the preview's: cards equal to the last plan's are the last plan's objects
        keep = functools.partial(interned, memory)
        self.branch_cards = {slug: keep(self._branch_card(b)) for slug, b in catalog.branches.items()}
        self.kind_links = {k.key: keep(Link(k.label, urls.kind_url(k.key), len(catalog.by_kind.get(k.key, ()))))
                           for k in catalog.settings.kinds}
        self.tag_links = {tag: keep(Link(tag, urls.tag_url(catalog.tag_slugs[tag]), len(items)))
                          for tag, items in catalog.by_tag.items()}
        self.story_cards = {s.src_uri: self._kept_story_card(s) for s in catalog.stories}

    def _kept_story_card(self, story: Story) -> StoryCard:
        if self.memory is None:
            return self._story_card(story)
        inputs = (story, self.kind_links[story.kind.key], tuple(self.branch_cards[slug] for slug in story.branches),
                  tuple(self.tag_links[t] for t in story.tags), withheld_notice(self.catalog, story),
                  self.catalog.settings.reading_speed)
        return self.memory.reuse("story card", story.src_uri, inputs, lambda: self._story_card(story))

    def _branch_card(self, branch: Branch) -> BranchCard:
        return BranchCard(
            slug=branch.slug, url=branch.url, name=branch.name, short_name=branch.short_name,
            brand=branch.brand, slogan=branch.slogan, logo=branch.logo, parent=branch.parent,
            category=branch.category, story_count=len(self.catalog.by_branch.get(branch.slug, ())),
            initial=branch.brand[:1],
        )

    def _story_card(self, story: Story) -> StoryCard:
        return StoryCard(
            title=story.title, url=story.url, date=story.date.isoformat(), date_label=date_label(story),
            kind=self.kind_links[story.kind.key],
            branches=tuple(self.branch_cards[slug] for slug in story.branches),
            description=story.description, cover=story.cover, char_count=story.char_count,
            read_minutes=reading_minutes(story.char_count, self.catalog.settings.reading_speed),
            tags=tuple(self.tag_links[t] for t in story.tags), joint=story.is_joint,
            notice=withheld_notice(self.catalog, story),
            short_title=clip_title(story.title, CARD_TITLE_LIMIT),
            lead=story.description if story.description_written else "",
        )

    def card(self, story: Story) -> StoryCard:
        return self.story_cards[story.src_uri]

    def cards(self, stories: list[Story]) -> list[StoryCard]:
        return [self.story_cards[s.src_uri] for s in stories]
