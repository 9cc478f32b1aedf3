"""The editor's overview: every readable story (withheld ones too) as a plain aligned table."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.content.branches import branches_named, load_branches
from dangjian_column.content.stories import load_stories
from dangjian_column.model import ColumnSettings, Story
from dangjian_column.problems import ProblemLog

HEADERS = ("日期", "状态", "活动类型", "支部", "标题", "文件")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class FilterError(Exception):
    """A filter value that matches nothing configured (message in Chinese)."""


@dataclass(frozen=True)
class Filters:
    branch: str = ""
    kind: str = ""
    status: str = ""
    month: str = ""


@dataclass(frozen=True)
class Listing:
    rows: list[tuple[str, ...]]
    unreadable: int  # story files with errors, left out of the table


def list_stories(root: Path, docs_dir: Path, settings: ColumnSettings, filters: Filters,
                 today: dt.date) -> Listing:
    log = ProblemLog()
    branches = load_branches(root, log)
    stories = load_stories(root, docs_dir, settings, branches, log)
    review = settings.review
    keep = _matcher(settings, filters, branches, review)
    chosen = sorted((s for s in stories if keep(s)), key=lambda s: (s.date, s.source_path))
    rows = [_row(s, branches, review.label(s.status), today) for s in chosen]
    failed = {p.path for p in log.errors() if p.path.endswith(".md") and "/stories/" in p.path}
    return Listing(rows=rows, unreadable=len(failed))


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


def format_table(rows: list[tuple[str, ...]]) -> str:
    table = [HEADERS, *rows]
    widths = [max(width(row[i]) for row in table) for i in range(len(HEADERS))]
    lines = []
    for row in table:
        cells = [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
