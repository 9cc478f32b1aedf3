"""置顶 (pinning): ``pin: true`` or ``pin: 2026-12-31`` puts a story first on home and its listings.

A dated pin holds through that day in the column's time zone; from the next day on the story falls
back into date order by itself. Pinned stories come first newest first, the rest follow newest first.
Which listings honour pins is decided in pages/planner.py (home, branch, kind, tag and topic pages;
not the year/month archives, which answer "what happened when" and stay in date order).
"""

from __future__ import annotations

import datetime as dt

from dangjian_column.model import Story
from dangjian_column.problems import ProblemLog


def pinned_first(stories: list[Story], today: dt.date) -> list[Story]:
    """The same stories with today's pinned ones moved to the front (each group keeps its order)."""
    pinned = [s for s in stories if s.pinned_on(today)]
    if not pinned:
        return stories
    return pinned + [s for s in stories if not s.pinned_on(today)]


def pinned_count(stories: list[Story], today: dt.date) -> int:
    return sum(1 for s in stories if s.pinned_on(today))


def report_expired_pin(story: Story, today: dt.date, log: ProblemLog) -> None:
    if story.pin_until is not None and story.pin_until < today:
        log.add(story.source_path, f"置顶已于 {story.pin_until} 到期，本篇按日期排列。不再置顶可删掉 pin 这一行。",
                level="info", field="pin")
