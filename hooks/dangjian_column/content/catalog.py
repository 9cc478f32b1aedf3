"""The catalog: which stories are published, and every index the generated pages are made from."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from dangjian_column.content.slugs import unique_slugs
from dangjian_column.model import Branch, ColumnSettings, Story
from dangjian_column.problems import ProblemLog


@dataclass
class Catalog:
    settings: ColumnSettings
    branches: dict[str, Branch]  # in display order
    stories: list[Story]  # published, newest first
    today: dt.date  # the build's date: the publish filter and "this year" figures use it
    by_branch: dict[str, list[Story]] = field(default_factory=dict)
    by_kind: dict[str, list[Story]] = field(default_factory=dict)
    by_year: dict[int, list[Story]] = field(default_factory=dict)
    by_month: dict[tuple[int, int], list[Story]] = field(default_factory=dict)
    by_tag: dict[str, list[Story]] = field(default_factory=dict)
    tag_slugs: dict[str, str] = field(default_factory=dict)
    withheld: list[Story] = field(default_factory=list)  # what a production build keeps back
    preview: bool = False  # a preview build lists withheld stories too, each with a banner

    def is_withheld(self, story: Story) -> bool:
        return story.src_uri in self._withheld_uris

    def __post_init__(self) -> None:
        self._withheld_uris = {s.src_uri for s in self.withheld}


def newest_first(story: Story) -> tuple:
    return (-story.date.toordinal(), story.source_path)


def build_catalog(settings: ColumnSettings, branches: dict[str, Branch], stories: list[Story],
                  today: dt.date, log: ProblemLog, *, preview: bool = False) -> Catalog:
    published, withheld = _split_published(stories, today, log)
    if preview:
        published = published + withheld
    published = _drop_url_collisions(published, log)
    published.sort(key=newest_first)
    ordered_branches = dict(sorted(branches.items(), key=lambda item: (item[1].order, item[0])))
    catalog = Catalog(settings=settings, branches=ordered_branches, stories=published, today=today,
                      withheld=withheld, preview=preview)
    _index(catalog)
    return catalog


def _split_published(stories: list[Story], today: dt.date, log: ProblemLog) -> tuple[list[Story], list[Story]]:
    published, withheld = [], []
    for story in stories:
        if story.status == "draft":
            log.add(story.source_path, "草稿，本次不发布（审核通过后把 status 改为 已发布）。", level="info", field="status")
            withheld.append(story)
        elif story.status == "review" and story.standing is not None:
            log.add(story.source_path, f"待审稿，本次不发布：{story.standing.summary()}。", level="info", field="reviews")
            withheld.append(story)
        elif story.status == "review":
            log.add(story.source_path, "待审稿，本次不发布（审核通过后把 status 改为 已发布）。", level="info",
                    field="status")
            withheld.append(story)
        elif story.date > today:
            log.add(story.source_path, f"活动日期 {story.date} 晚于今天，到那天之后的第一次构建才会发布。",
                    level="info", field="date")
            withheld.append(story)
        else:
            published.append(story)
    return published, withheld


def _drop_url_collisions(stories: list[Story], log: ProblemLog) -> list[Story]:
    """Two stories may never share a URL: the first by file path keeps it, the other is reported."""
    owners: dict[str, Story] = {}
    kept = []
    for story in sorted(stories, key=lambda s: s.source_path):
        owner = owners.get(story.url)
        if owner is not None:
            log.add(story.source_path, f"网址 {story.url} 已被 {owner.source_path} 使用（两篇稿件标题或 slug 相同），"
                    "本篇未发布。请在 front matter 里写一个不同的 slug，例如 slug: "
                    f"{story.slug}-{story.date:%m%d}。", field="slug")
            continue
        owners[story.url] = story
        kept.append(story)
    return kept


def _index(catalog: Catalog) -> None:
    by_branch: dict[str, list[Story]] = {slug: [] for slug in catalog.branches}
    by_kind: dict[str, list[Story]] = {kind.key: [] for kind in catalog.settings.kinds}
    by_year: dict[int, list[Story]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Story]] = defaultdict(list)
    by_tag: dict[str, list[Story]] = defaultdict(list)
    for story in catalog.stories:  # already newest first, so every index is too
        for slug in story.branches:
            by_branch[slug].append(story)
        by_kind[story.kind.key].append(story)
        by_year[story.date.year].append(story)
        by_month[(story.date.year, story.date.month)].append(story)
        for tag in story.tags:
            by_tag[tag].append(story)
    catalog.by_branch = by_branch
    catalog.by_kind = by_kind
    catalog.by_year = dict(sorted(by_year.items(), reverse=True))
    catalog.by_month = dict(sorted(by_month.items(), reverse=True))
    catalog.by_tag = dict(sorted(by_tag.items(), key=lambda item: (-len(item[1]), item[0])))
    catalog.tag_slugs = unique_slugs(list(by_tag))
