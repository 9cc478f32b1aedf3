"""The catalog: which stories are published, and every index the generated pages are made from."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from dangjian_column.content.history import UNTRACKED
from dangjian_column.content.pinning import report_expired_pin
from dangjian_column.content.tags import Seniority, merge_tags, tag_slugs
from dangjian_column.content.takedown import WITHDRAWN, report_expiring, report_takedown, takedown_reason
from dangjian_column.content.topics import topic_stories
from dangjian_column.model import Branch, ColumnSettings, Story, Topic
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
    taken_down: list[Story] = field(default_factory=list)  # withdrawn or expired: their URLs get a notice page
    topics: dict[str, Topic] = field(default_factory=dict)  # 专题, in display order
    by_topic: dict[str, list[Story]] = field(default_factory=dict)  # explicit list first, then newest first
    preview: bool = False  # a preview build lists withheld stories too, each with a banner

    def is_withheld(self, story: Story) -> bool:
        return story.src_uri in self._withheld_uris

    def __post_init__(self) -> None:
        self._withheld_uris = {s.src_uri for s in self.withheld}


def newest_first(story: Story) -> tuple:
    return (-story.date.toordinal(), story.source_path)


def published_first(first_added: Mapping[str, int]) -> Seniority:
    """Sort key: who was published first keeps a contested URL. The earliest commit that added the file
    (untracked files last), then the earliest activity date, then the file path. The history comes first:
    a story written up late about an earlier activity (a backdated newcomer) must not take a live URL;
    without git every file is untracked and the activity date decides."""
    def key(story: Story) -> tuple:
        return (first_added.get(story.source_path, UNTRACKED), story.date, story.source_path)
    return key


def build_catalog(settings: ColumnSettings, branches: dict[str, Branch], stories: list[Story],
                  today: dt.date, log: ProblemLog, *, preview: bool = False,
                  first_added: Mapping[str, int] | None = None, topics: dict[str, Topic] | None = None) -> Catalog:
    """``first_added`` (``history.RepositoryHistory``) ranks story files by when the repository got them;
    it is consulted only for stories or tags that contest a URL."""
    seniority = published_first(first_added if first_added is not None else {})  # truthiness would read it
    published, withheld, taken_down = _split_published(stories, today, log)
    if preview:  # the reviewer sees taken-down stories too, with a banner; no notice pages then
        published, taken_down = published + withheld, []
    published = merge_tags(_drop_url_collisions(published, seniority, log), seniority)
    published.sort(key=newest_first)
    ordered_branches = dict(sorted(branches.items(), key=lambda item: (item[1].order, item[0])))
    catalog = Catalog(settings=settings, branches=ordered_branches, stories=published, today=today,
                      withheld=withheld, taken_down=taken_down, preview=preview, topics=topics or {})
    _index(catalog)
    catalog.tag_slugs = tag_slugs(catalog.by_tag, seniority, log, held=_tags_of(taken_down))
    catalog.by_topic = {slug: topic_stories(topic, published, withheld, log) for slug, topic in catalog.topics.items()}
    return catalog


def _split_published(stories: list[Story], today: dt.date, log: ProblemLog
                     ) -> tuple[list[Story], list[Story], list[Story]]:
    """(published, withheld, taken down); taken-down stories are withheld too."""
    published, withheld, taken_down = [], [], []
    for story in stories:
        reason = takedown_reason(story, today)
        if reason is not None and (reason == WITHDRAWN or story.status == "published"):  # expired drafts stay drafts
            report_takedown(story, reason, log)
            withheld.append(story)
            taken_down.append(story)
        elif story.status == "draft":
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
            report_expiring(story, today, log)
            report_expired_pin(story, today, log)
            published.append(story)
    return published, withheld, taken_down


def _drop_url_collisions(stories: list[Story], seniority: Seniority, log: ProblemLog) -> list[Story]:
    """Two stories may never share a URL: the one published first keeps it (a live URL never moves
    because a newcomer's file name sorts earlier), the newcomer is reported and not published.
    Only contested URLs are sorted, so the repository history is read only when there is a contest."""
    by_url: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        by_url[story.url].append(story)
    kept = []
    for contenders in by_url.values():
        owner, *newcomers = sorted(contenders, key=seniority) if len(contenders) > 1 else contenders
        kept.append(owner)
        for story in newcomers:
            where = "slug" if "slug" in story.key_lines else "title"
            log.add(story.source_path, f"网址 {story.url} 已被先发布的 {owner.source_path} 使用（两篇稿件的标题或 "
                    f"slug 相同），本篇未发布。请在本篇 front matter 里写一个不同的 slug，例如 slug: "
                    f"{story.slug}-{story.date:%m%d}。", field="slug", line=story.key_lines.get(where, 0))
    return kept


def _tags_of(stories: list[Story]) -> dict[str, list[Story]]:
    """Tag -> its stories, for stories no longer on the site: their tags keep the URLs they claimed."""
    by_tag: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        for tag in story.tags:
            by_tag[tag].append(story)
    return by_tag


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
