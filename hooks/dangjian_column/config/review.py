"""The ``review:`` section of column.yml: the status labels staff see and what a missing status means."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dangjian_column.config.yamlfile import SETTINGS_FILE
from dangjian_column.problems import ProblemLog

STATUSES = ("draft", "review", "published", "withdrawn")
DEFAULT_LABELS = {"draft": "草稿", "review": "待审", "published": "已发布", "withdrawn": "撤稿"}
DEFAULT_STATUSES = STATUSES[:3]  # a story is never taken down (撤稿) by default


@dataclass(frozen=True)
class ReviewLevel:
    """One level of 三审三校 (初审 / 复审 / 终审), signed with ``dangjian approve``."""

    label: str  # 初审
    signers: str = ""  # who may sign, as the office says it: 支部宣传员
    names: tuple[str, ...] = ()  # when given, only these people may sign this level

    def describe(self) -> str:
        return f"{self.label}（{self.signers}）" if self.signers else self.label


STANDARD_LEVELS = (ReviewLevel("初审", "支部宣传员"), ReviewLevel("复审", "党委宣传部"), ReviewLevel("终审", "分管领导"))
SINGLE_LEVEL = ReviewLevel("审核")  # the level ``approve`` records when no levels are configured


@dataclass(frozen=True)
class ReviewSettings:
    labels: dict = field(default_factory=lambda: dict(DEFAULT_LABELS))  # status key -> label shown to staff
    default_status: str = "review"  # a story without ``status`` waits for review: nothing goes out by accident
    # Other words the office allows for a status (``review: {aliases: {published: [发布]}}``). Only these,
    # the keys and the labels count: a guessed word ("通过", "approved") must never publish a story.
    aliases: dict = field(default_factory=dict)  # status key -> tuple of words
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
            for name in (key, self.labels[key], *self.aliases.get(key, ())):
                names.setdefault(normal(name), key)
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
                        level="warning", field=f"review.labels.{key}")
    default = str(section.get("default_status", "review"))
    if default not in DEFAULT_STATUSES:
        log.add(SETTINGS_FILE, f"review.default_status 只能是 draft、review 或 published，现在是“{default}”，已改用 review（待审）。",
                field="review.default_status")
        default = "review"
    levels = _levels(section.get("levels"), log)
    return ReviewSettings(labels=labels, default_status=default, aliases=_aliases(section.get("aliases"), log),
                          levels=levels, since=_since(section, log))


def _since(section: dict, log: ProblemLog) -> dt.date | None:
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


def _aliases(raw: object, log: ProblemLog) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        log.add(SETTINGS_FILE, "review.aliases 应按状态写其他叫法，例如 aliases: {published: [发布]}，已忽略。",
                field="review.aliases")
        return {}
    aliases: dict[str, tuple[str, ...]] = {}
    for key, words in raw.items():
        if key not in STATUSES:
            log.add(SETTINGS_FILE, f"review.aliases 里的“{key}”不是审核状态（只能是 draft、review、published、withdrawn），已忽略。",
                    level="warning", field=f"review.aliases.{key}")
            continue
        items = words if isinstance(words, list) else [words]
        aliases[key] = tuple(str(w).strip() for w in items if w is not None and str(w).strip())
    return aliases


def normal(word: object) -> str:
    """How a status word is compared: surrounding spaces and ASCII case do not matter."""
    return str(word).strip().lower()
