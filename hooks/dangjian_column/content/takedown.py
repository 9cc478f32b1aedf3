"""Take-down (撤稿) and expiry (到期下线): which stories leave the site, and what their old URL says.

A story is taken down when its status is ``withdrawn`` (撤稿, label configurable in column.yml) or
when its ``expires`` day has passed in the column's time zone (the ``expires`` day itself is still
shown, so ``expires: 2027-01-31`` means "on the site through 31 January"). A taken-down story leaves
every page, listing, feed, widget, sitemap and search index; its URL answers a short notice page
instead of a 404, because the story may have been shared or reposted and a reader following an old
link should learn it was withdrawn, not that the site is broken.
"""

from __future__ import annotations

import datetime as dt

from dangjian_column.model import Story
from dangjian_column.problems import ProblemLog

WITHDRAWN, EXPIRED = "withdrawn", "expired"
EXPIRY_NOTICE_DAYS = 14  # `check` and the build list stories that leave the site within this many days


def takedown_reason(story: Story, today: dt.date) -> str | None:
    """``withdrawn``, ``expired`` or None (the story may be shown)."""
    if story.status == WITHDRAWN:
        return WITHDRAWN
    if story.expires is not None and story.expires < today:
        return EXPIRED
    return None


def report_takedown(story: Story, reason: str, log: ProblemLog) -> None:
    if reason == WITHDRAWN:
        log.add(story.source_path, "已撤稿，不在任何页面、订阅源、小窗、站点地图和搜索中出现；原网址显示“本文已撤下”。"
                "已转载的副本要另行处理（见 AUTHORING.md“撤稿与到期下线”）。", level="info", field="status")
    else:
        log.add(story.source_path, f"已于 {story.expires} 到期下线（expires），原网址显示“本文已撤下”。"
                "要继续展示，请改晚或删掉 expires。", level="info", field="expires")


def report_expiring(story: Story, today: dt.date, log: ProblemLog) -> None:
    """An info line for a published story that leaves the site within EXPIRY_NOTICE_DAYS."""
    if story.expires is None or story.status == WITHDRAWN:
        return
    days = (story.expires - today).days
    if 0 <= days < EXPIRY_NOTICE_DAYS:
        when = "今天是最后一天" if days == 0 else f"还有 {days} 天"
        log.add(story.source_path, f"将于 {story.expires} 之后下线（{when}，expires）。要继续展示，请改晚或删掉 expires。",
                level="info", field="expires")
