"""Review status (审核状态): which stories a production build may publish, and how staff write it.

A story is ``draft`` (草稿), ``review`` (待审), ``published`` (已发布) or ``withdrawn`` (撤稿: taken down
after publication, its URL answers a notice page; see content/takedown.py). Only a production build filters
on it: a preview build (``dangjian serve``, ``dangjian build --preview``, ``DANGJIAN_PREVIEW=1``) shows
every story, with a banner on the unapproved ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dangjian_column.problems import ProblemLog

STATUSES = ("draft", "review", "published", "withdrawn")
DEFAULT_LABELS = {"draft": "草稿", "review": "待审", "published": "已发布", "withdrawn": "撤稿"}
# Words staff reach for without thinking; each is accepted besides the key and the configured label.
_SYNONYMS = {
    "draft": ("草稿", "未完成"),
    "review": ("待审", "待审核", "审核中", "送审", "pending"),
    "published": ("已发布", "发布", "已审", "已审核", "通过", "approved", "publish"),
    "withdrawn": ("撤稿", "已撤稿", "撤下", "已撤下", "下线", "已下线", "withdraw"),
}
PREVIEW_ENV = "DANGJIAN_PREVIEW"
SETTINGS_FILE = "column.yml"


@dataclass(frozen=True)
class ReviewSettings:
    labels: dict  # status key -> label shown to staff
    default_status: str = "review"  # a story without ``status`` waits for review: nothing goes out by accident

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
                log.add(SETTINGS_FILE, f"review.labels 里的“{key}”不是审核状态（只能是 draft、review、published、withdrawn），已忽略。",
                        level="warning", field="review.labels")
    default = str(section.get("default_status", "review"))
    if default not in STATUSES[:3]:  # a story is never withdrawn by default
        log.add(SETTINGS_FILE, f"review.default_status 只能是 draft、review 或 published，现在是“{default}”，已改用 review（待审）。",
                field="review.default_status")
        default = "review"
    return ReviewSettings(labels=labels, default_status=default)


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
