"""The editor's overview: every readable story (withheld ones too) as a plain aligned table."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.config.review import SINGLE_LEVEL
from dangjian_column.content.branches import branches_named, load_branches
from dangjian_column.content.stories import load_stories
from dangjian_column.model import ColumnSettings, Story
from dangjian_column.problems import ProblemLog

HEADERS = ("日期", "状态", "活动类型", "支部", "标题", "文件")
PENDING_HEADERS = ("日期", "等待", "由谁签署", "审核进度", "支部", "标题", "文件")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class FilterError(Exception):
    """A filter value that matches nothing configured (message in Chinese)."""


@dataclass(frozen=True)
class Filters:
    branch: str = ""
    kind: str = ""
    status: str = ""
    month: str = ""
    pending: bool = False  # only stories waiting for a signature, with who must sign next


@dataclass(frozen=True)
class Listing:
    rows: list[tuple[str, ...]]
    unreadable: int  # story files with errors, left out of the table
    headers: tuple[str, ...] = HEADERS
    waiting: dict[str, int] | None = None  # ``--pending``: level -> stories waiting for it


def list_stories(root: Path, docs_dir: Path, settings: ColumnSettings, filters: Filters,
                 today: dt.date) -> Listing:
    log = ProblemLog()
    branches = load_branches(root, log)
    stories = load_stories(root, docs_dir, settings, branches, log, today=today)
    review = settings.review
    keep = _matcher(settings, filters, branches, review)
    chosen = sorted((s for s in stories if keep(s)), key=lambda s: (s.date, s.source_path))
    failed = {p.path for p in log.errors() if p.path.endswith(".md") and "/stories/" in p.path}
    if filters.pending:
        return _pending(chosen, branches, review, len(failed))
    rows = [_row(s, branches, review.label(s.status), today) for s in chosen]
    return Listing(rows=rows, unreadable=len(failed))


def _pending(stories: list[Story], branches: dict, review, unreadable: int) -> Listing:
    """What waits for whom: each story still in review, by the level that must sign next."""
    order = {lv.label: i for i, lv in enumerate(review.levels)}
    rows, waiting = [], {}
    for story in stories:
        if story.status != "review":
            continue
        level = story.standing.waiting if story.standing is not None else SINGLE_LEVEL
        progress = story.standing.progress() if story.standing is not None else ""
        names = "、".join(branches[s].short_name if s in branches else s for s in story.branches)
        rows.append((story.date.isoformat(), level.label, level.signers or "—", progress or "—", names, story.title,
                     story.source_path))
        waiting[level.label] = waiting.get(level.label, 0) + 1
    rows.sort(key=lambda r: (order.get(r[1], 0), r[0], r[6]))
    waiting = dict(sorted(waiting.items(), key=lambda item: order.get(item[0], 0)))
    return Listing(rows=rows, unreadable=unreadable, headers=PENDING_HEADERS, waiting=waiting)


def _matcher(settings: ColumnSettings, filters: Filters, branches: dict, review):
    kind = settings.kind_lookup().get(filters.kind) if filters.kind else None
    if filters.kind and kind is None:
        raise FilterError(f"活动类型“{filters.kind}”不在 column.yml 里，可写：{'、'.join(k.label for k in settings.kinds)}。")
    status = review.lookup().get(filters.status.strip().lower()) if filters.status else None
    if filters.status and status is None:
        raise FilterError(f"审核状态“{filters.status}”无法识别，可写：{'、'.join(review.labels.values())}。")
    branch = _branch_slug(filters.branch, branches) if filters.branch else None
    month = _month(filters.month) if filters.month else None

    def keep(story: Story) -> bool:
        return ((kind is None or story.kind.key == kind.key) and (status is None or story.status == status)
                and (branch is None or branch in story.branches)
                and (month is None or (story.date.year, story.date.month) == month))
    return keep


def _branch_slug(name: str, branches: dict) -> str:
    if name in branches:
        return name
    named = branches_named(name, branches)
    if len(named) == 1:
        return named[0]
    if named:
        raise FilterError(f"“{name}”是 {len(named)} 个支部共用的名称，请写其中一个的文件夹名：{'、'.join(named)}。")
    raise FilterError(f"支部“{name}”不存在，请写支部文件夹名，例如 {next(iter(branches), 'dizhi-xianfeng')}。")


def _month(text: str) -> tuple[int, int]:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise FilterError(f"月份“{text}”格式不对，请写成 2025-03 这样。")
    return int(match.group(1)), int(match.group(2))


def _row(story: Story, branches: dict, label: str, today: dt.date) -> tuple[str, ...]:
    if story.status == "published" and story.date > today:
        label += "（未到日期）"
    elif story.status == "published" and story.expires is not None and story.expires < today:
        label += "（已到期下线）"
    names = "、".join(branches[s].short_name if s in branches else s for s in story.branches)
    return (story.date.isoformat(), label, story.kind.label, names, story.title, story.source_path)


def width(text: str) -> int:
    """Columns a terminal uses: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(rows: list[tuple[str, ...]], headers: tuple[str, ...] = HEADERS) -> str:
    table = [headers, *rows]
    widths = [max(width(row[i]) for row in table) for i in range(len(headers))]
    lines = []
    for row in table:
        cells = [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
