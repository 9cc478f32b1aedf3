"""``dangjian approve`` / ``dangjian reject``: record a review in the story's front matter.

These are the only commands that write a story's review record (the build never does). The entry is
checked against the configured levels the same way the build counts it (content/reviews.py), so a
signature the build would not count is refused here, with the reason, before the file is touched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.commands.frontmatter_edit import (
    EditError,
    StoryFile,
    append_review,
    checked_edit,
    set_status,
)
from dangjian_column.config.review import SINGLE_LEVEL, ReviewSettings
from dangjian_column.content.fields import parse_date
from dangjian_column.content.reviews import (
    APPROVED,
    REJECTED,
    RESULT_LABELS,
    ReviewEntry,
    read_entries,
    standing,
)
from dangjian_column.content.status import parse_status


@dataclass(frozen=True)
class ReviewRequest:
    result: str  # approved | rejected
    name: str
    level: str = ""
    date: str = ""  # "" means today
    note: str = ""


def record_review(path: Path, review: ReviewSettings, request: ReviewRequest, today: dt.date) -> str:
    """Write the entry (and the matching ``status``) into ``path``; the Chinese report of what was done."""
    story = StoryFile.read(path)
    meta = story.meta()
    date = parse_date(meta.get("date"))
    if date is not None and not review.on_record_for(date):  # dated before review.since: one level
        review = dataclasses.replace(review, levels=())
    entry = _entry(request, review, today)
    status = "draft" if meta.get("draft") is True else parse_status(meta.get("status"), review)
    if status not in ("review", "published") and request.result == APPROVED:
        shown = review.label(status) if status else str(meta.get("status"))
        raise EditError(f"{path.name} 的状态是“{shown}”，不能签署。"
                        f"请先把 status 改为 {review.label('review')} 再送审。")
    entries = read_entries(meta.get("reviews"), lambda *_: None)
    new_status, outcome = _outcome(entries, entry, review, today)
    record = {"level": entry.level, "name": entry.name, "date": entry.date, "result": RESULT_LABELS[entry.result]}
    if entry.note:
        record["note"] = entry.note
    text = append_review(story.text, record)
    expected = {**meta, "reviews": [*(meta.get("reviews") or []), record]}
    if status in ("review", "published") and (review.on_record is False or "status" in meta):
        label = review.label(new_status)
        if meta.get("status") != label:
            text = set_status(text, label)
            expected["status"] = label
    checked_edit(story, text, expected)
    story.write()
    return f"已记录：{entry.describe()}。{outcome}"


def _entry(request: ReviewRequest, review: ReviewSettings, today: dt.date) -> ReviewEntry:
    if not request.name.strip():
        raise EditError("请用 --by 写签署人的姓名。")
    date = parse_date(request.date) if request.date else today
    if date is None:
        raise EditError(f"--date 的值“{request.date}”不是有效日期，请写成 2025-03-15。")
    if date > today:
        raise EditError(f"签署日期 {date} 晚于今天，不能预先签署。")
    if review.on_record:
        names = "、".join(lv.label for lv in review.levels)
        if not request.level:
            raise EditError(f"请用 --level 写审核层级（{names} 之一）。")
        if review.level(request.level) is None:
            raise EditError(f"审核层级“{request.level}”不在 column.yml 的 review.levels 里，请写 {names} 之一。")
    elif request.level and request.level.strip() != SINGLE_LEVEL.label:
        raise EditError(f"column.yml 没有配置分级审核（review.levels），不能写 --level {request.level}。"
                        "一级审核时不写 --level；要启用初审、复审、终审，请管理员在 review: 里写 levels: standard。")
    level = request.level.strip() if review.on_record else SINGLE_LEVEL.label
    return ReviewEntry(level, request.name.strip(), date, request.result, request.note.strip())


def _outcome(entries: tuple[ReviewEntry, ...], entry: ReviewEntry, review: ReviewSettings,
             today: dt.date) -> tuple[str, str]:
    """(the story's status after the entry, what happens next) — or EditError when it would not count."""
    if not review.on_record:
        if entry.result == REJECTED:
            return "review", f"稿件已退回（{review.label('review')}），修改后请再送审。"
        return "published", "稿件已审核通过，活动日期一到，下一次正式构建即发布。"
    before: list[str] = []
    standing(entries, review, today, lambda message, _: before.append(message))
    after: list[str] = []
    where = standing((*entries, entry), review, today, lambda message, _: after.append(message))
    if len(after) > len(before):
        raise EditError(after[-1] + " 文件未改动。")
    if entry.result == REJECTED:
        return "review", f"稿件已退回，修改后须从{review.levels[0].describe()}重新签署。"
    if where.complete:
        return "published", "各级审核均已签署，活动日期一到，下一次正式构建即发布。"
    return "review", f"下一步：待{where.waiting.describe()}签署。"
