"""Review status (审核状态): which stories a production build may publish, and how staff write it.

A story is ``draft`` (草稿), ``review`` (待审) or ``published`` (已发布). Only a production build filters
on it: a preview build (``dangjian serve``, ``dangjian build --preview``, ``DANGJIAN_PREVIEW=1``) shows
every story, with a banner on the unapproved ones.

Two ways to approve, chosen in column.yml (AUTHORING.md 审核流程):

- one level (no ``review.levels``): ``status: 已发布`` publishes; ``dangjian approve`` sets it and records
  who approved in ``reviews:``;
- review on record (``review.levels: standard`` for 初审 → 复审 → 终审, or a list of levels): the signatures
  in ``reviews:`` decide (content/reviews.py); ``status`` then only keeps a 草稿 back, and a hand-written
  ``已发布`` without every signature is reported and not published.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from dangjian_column.problems import ProblemLog

STATUSES = ("draft", "review", "published")
DEFAULT_LABELS = {"draft": "草稿", "review": "待审", "published": "已发布"}
# Words staff reach for without thinking; each is accepted besides the key and the configured label.
_SYNONYMS = {
    "draft": ("草稿", "未完成"),
    "review": ("待审", "待审核", "审核中", "送审", "pending"),
    "published": ("已发布", "发布", "已审", "已审核", "通过", "approved", "publish"),
}
PREVIEW_ENV = "DANGJIAN_PREVIEW"
SETTINGS_FILE = "column.yml"


@dataclass(frozen=True)
class ReviewLevel:
    label: str  # 初审
    signers: str = ""  # who may sign, as the office says it: 支部宣传员
    names: tuple[str, ...] = ()  # when given, only these people may sign this level

    def describe(self) -> str:
        return f"{self.label}（{self.signers}）" if self.signers else self.label


STANDARD_LEVELS = (ReviewLevel("初审", "支部宣传员"), ReviewLevel("复审", "党委宣传部"), ReviewLevel("终审", "分管领导"))
SINGLE_LEVEL = ReviewLevel("审核")  # the level ``approve`` records when no levels are configured


@dataclass(frozen=True)
class ReviewSettings:
    labels: dict  # status key -> label shown to staff
    default_status: str = "review"  # a story without ``status`` waits for review: nothing goes out by accident
    levels: tuple[ReviewLevel, ...] = ()  # empty: one level, ``status`` decides
    # Stories dated before this keep the one-level rule, so switching levels on does not take down
    # everything already published (None: levels apply to every story).
    since: dt.date | None = None

    @property
    def on_record(self) -> bool:
        return bool(self.levels)

    def on_record_for(self, story_date: dt.date) -> bool:
        return bool(self.levels) and (self.since is None or story_date >= self.since)

    def level(self, label: str) -> ReviewLevel | None:
        levels = self.levels or (SINGLE_LEVEL,)
        return next((lv for lv in levels if lv.label == label.strip()), None)

    def lookup(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for key in STATUSES:
            for name in (key, self.labels[key], *_SYNONYMS[key]):
                names.setdefault(str(name).strip().lower(), key)
        return names

    def label(self, status: str) -> str:
        return self.labels.get(status, status)


def review_settings_from(section: dict | None, log: ProblemLog) -> ReviewSettings:
    section = section or {}
    labels = dict(DEFAULT_LABELS)
    raw_labels = section.get("labels") or {}
    if isinstance(raw_labels, dict):
        for key, label in raw_labels.items():
            if key in STATUSES and str(label).strip():
                labels[key] = str(label).strip()
            else:
                log.add(SETTINGS_FILE, f"review.labels 里的“{key}”不是审核状态（只能是 draft、review、published），已忽略。",
                        level="warning", field="review.labels")
    default = str(section.get("default_status", "review"))
    if default not in STATUSES:
        log.add(SETTINGS_FILE, f"review.default_status 只能是 draft、review 或 published，现在是“{default}”，已改用 review（待审）。",
                field="review.default_status")
        default = "review"
    levels = _levels(section.get("levels"), log)
    return ReviewSettings(labels=labels, default_status=default, levels=levels, since=_since(section, levels, log))


def _since(section: dict, levels: tuple, log: ProblemLog) -> dt.date | None:
    raw = section.get("since")
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    log.add(SETTINGS_FILE, f"review.since 应是日期，例如 since: 2026-12-01，现在是“{raw}”；已改为对所有稿件启用分级审核。",
            field="review.since")
    return None


def _levels(raw: object, log: ProblemLog) -> tuple[ReviewLevel, ...]:
    """``standard``/``true``: 初审 → 复审 → 终审; a list: the office's own levels, in signing order."""
    if raw in (None, False, "", []):
        return ()
    if raw is True or raw in ("standard", "三审", "三审三校"):
        return STANDARD_LEVELS
    if not isinstance(raw, list):
        log.add(SETTINGS_FILE, "review.levels 应写 standard（初审、复审、终审）或审核层级的列表，"
                "例如 - {label: 初审, signers: 支部宣传员}；本次按一级审核（status）处理。", field="review.levels")
        return ()
    levels: list[ReviewLevel] = []
    for i, item in enumerate(raw, start=1):
        item = {"label": item} if isinstance(item, str) else item
        label = str(item.get("label") or "").strip() if isinstance(item, dict) else ""
        if not label or any(lv.label == label for lv in levels):
            log.add(SETTINGS_FILE, f"review.levels 第 {i} 项缺少 label（如 初审）或与前面重名，已跳过。", field="review.levels")
            continue
        names = item.get("names") or ()
        names = tuple(str(n).strip() for n in ([names] if isinstance(names, str) else names) if str(n).strip())
        levels.append(ReviewLevel(label, str(item.get("signers") or "").strip(), names))
    return tuple(levels)


def parse_status(value: object, review: ReviewSettings) -> str | None:
    """The status key for what a story wrote, or None when it is not a status."""
    if value is None or value == "":
        return review.default_status
    return review.lookup().get(str(value).strip().lower())


def status_choices(review: ReviewSettings) -> str:
    return " | ".join(review.labels[key] for key in STATUSES)


def preview_from_env(default: bool = False) -> bool:
    value = os.environ.get(PREVIEW_ENV, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return default
