"""Review on record (三审三校): the ``reviews:`` entries of a story and where the story stands.

Each entry is one signature or one rejection, in the order they happened::

    reviews:
      - {level: 初审, name: 张三, date: 2025-03-02, result: 通过}
      - {level: 复审, name: 李四, date: 2025-03-03, result: 退回, note: 请补充照片说明}

Only ``dangjian approve`` / ``reject`` write them (commands/review.py); the build only reads. With
levels configured a signature counts when it is the next level in order, by someone who has not signed
an earlier level, dated on or after the previous signature and not after today; a rejection sends the
story back to the first level. Entries that do not count are reported and ignored, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from dangjian_column.config.review import ReviewLevel, ReviewSettings
from dangjian_column.content.fields import parse_date

APPROVED, REJECTED = "approved", "rejected"
RESULT_LABELS = {APPROVED: "通过", REJECTED: "退回"}
_RESULTS = {"通过": APPROVED, "同意": APPROVED, "approved": APPROVED, "退回": REJECTED, "不通过": REJECTED,
            "rejected": REJECTED}


@dataclass(frozen=True)
class ReviewEntry:
    level: str
    name: str
    date: dt.date
    result: str  # approved | rejected
    note: str = ""
    line: int = field(default=0, compare=False)  # 1-based line in the story file (0: not known)

    def describe(self) -> str:
        return f"{self.level}{RESULT_LABELS[self.result]}（{self.name}，{self.date.month}月{self.date.day}日）"


@dataclass(frozen=True)
class ReviewStanding:
    """Where a story stands on its configured levels."""

    signed: tuple[ReviewEntry, ...] = ()  # the signatures that count, in level order
    waiting: ReviewLevel | None = None  # the next level to sign; None when every level has signed
    rejected: ReviewEntry | None = None  # the rejection the story has not yet been re-signed after

    @property
    def complete(self) -> bool:
        return self.waiting is None

    def progress(self) -> str:
        """What has happened so far ("" when nobody has signed yet), for ``list --pending``."""
        parts = [e.describe() for e in self.signed]
        if self.rejected is not None:
            note = f"：{self.rejected.note}" if self.rejected.note else ""
            parts.append(f"已退回（{self.rejected.level} {self.rejected.name}{note}）")
        return "，".join(parts)

    def summary(self) -> str:
        """One line for the preview banner and the build's notes: progress, then who signs next."""
        waiting = f"待{self.waiting.describe()}" if self.waiting is not None else ""
        return "，".join(p for p in (self.progress(), waiting) if p)


Report = Callable[[str, int], None]  # (message, line; 0 when not known)


def read_entries(raw: object, report: Report, lines: tuple[int, ...] = ()) -> tuple[ReviewEntry, ...]:
    """The well-formed entries of ``reviews:``; each malformed one is reported and skipped.

    ``lines``: the file line of each item, when the caller knows them (one item a line, as written)."""
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list):
        report("reviews 应是审核记录的列表，请用 dangjian approve / reject 写入，不要手工改写。", 0)
        return ()
    entries = []
    for i, item in enumerate(raw):
        line = lines[i] if i < len(lines) else 0
        entry = _entry(item, line)
        if entry is None:
            report(f"reviews 第 {i + 1} 项缺少 level、name、date 或 result（通过/退回），或日期无效，已忽略。"
                   "请用 dangjian approve / reject 记录审核。", line)
        else:
            entries.append(entry)
    return tuple(entries)


def item_lines(text: str, key_line: int) -> tuple[int, ...]:
    """File lines of the ``- …`` items under the top-level key on ``key_line`` (1-based)."""
    lines = []
    for number, line in enumerate(text.split("\n")[key_line:], start=key_line + 1):
        if line and not line[0].isspace() and not line.startswith("-"):
            break  # the next key or the closing ---
        if line.lstrip().startswith("- "):
            lines.append(number)
    return tuple(lines)


def _entry(item: object, line: int = 0) -> ReviewEntry | None:
    if not isinstance(item, dict):
        return None
    level, name = str(item.get("level") or "").strip(), str(item.get("name") or "").strip()
    date = parse_date(item.get("date")) if item.get("date") else None
    result = _RESULTS.get(str(item.get("result") or "").strip().lower())
    if not level or not name or date is None or result is None:
        return None
    return ReviewEntry(level, name, date, result, str(item.get("note") or "").strip(), line)


def standing(entries: tuple[ReviewEntry, ...], review: ReviewSettings, today: dt.date,
             report: Report) -> ReviewStanding:
    """Replay the entries against the configured levels (``review.levels`` must not be empty)."""
    levels = review.levels
    signed: list[ReviewEntry] = []
    rejected: ReviewEntry | None = None
    for entry in entries:
        problem = _why_not_counted(entry, signed, levels, today)
        if problem:
            report(f"审核记录“{entry.describe()}”不算数：{problem}", entry.line)
        elif entry.result == REJECTED:
            signed, rejected = [], entry  # back to the writer: every level signs again
        else:
            signed.append(entry)
            rejected = None
    waiting = levels[len(signed)] if len(signed) < len(levels) else None
    return ReviewStanding(tuple(signed), waiting, rejected)


def _why_not_counted(entry: ReviewEntry, signed: list[ReviewEntry], levels: tuple[ReviewLevel, ...],
                     today: dt.date) -> str:
    level = next((lv for lv in levels if lv.label == entry.level), None)
    if level is None:
        return f"审核层级“{entry.level}”不在 column.yml 的 review.levels 里（现有：{'、'.join(lv.label for lv in levels)}）。"
    if entry.date > today:
        return "签署日期晚于今天。"
    if signed and entry.date < signed[-1].date:
        return f"日期早于上一级的签署（{signed[-1].date}）。"
    if entry.result == REJECTED:
        return ""
    if len(signed) == len(levels):
        return "各级都已签署，这一条是多余的。"
    expected = levels[len(signed)]
    if entry.level != expected.label:
        return f"应先由{expected.describe()}签署，不能跳级。"
    if entry.name in {e.name for e in signed}:
        return f"{entry.name} 已签过前一级，各级审核须由不同的人签署。"
    if level.names and entry.name not in level.names:
        return f"{entry.level}只能由 {'、'.join(level.names)} 签署（column.yml 的 review.levels）。"
    return ""


def single_level_reviewers(entries: tuple[ReviewEntry, ...]) -> tuple[str, ...]:
    """Without levels: who approved since the last rejection (shown as 审核 on the page)."""
    names: list[str] = []
    for entry in entries:
        if entry.result == REJECTED:
            names = []
        elif entry.name not in names:
            names.append(entry.name)
    return tuple(names)
