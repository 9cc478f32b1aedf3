"""The ``review:`` section of column.yml: the status labels staff see and what a missing status means."""

from __future__ import annotations

from dataclasses import dataclass, field

from dangjian_column.config.yamlfile import SETTINGS_FILE
from dangjian_column.problems import ProblemLog

STATUSES = ("draft", "review", "published", "withdrawn")
DEFAULT_LABELS = {"draft": "草稿", "review": "待审", "published": "已发布", "withdrawn": "撤稿"}
DEFAULT_STATUSES = STATUSES[:3]  # a story is never taken down (撤稿) by default


@dataclass(frozen=True)
class ReviewSettings:
    labels: dict = field(default_factory=lambda: dict(DEFAULT_LABELS))  # status key -> label shown to staff
    default_status: str = "review"  # a story without ``status`` waits for review: nothing goes out by accident
    # Other words the office allows for a status (``review: {aliases: {published: [发布]}}``). Only these,
    # the keys and the labels count: a guessed word ("通过", "approved") must never publish a story.
    aliases: dict = field(default_factory=dict)  # status key -> tuple of words

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
    return ReviewSettings(labels=labels, default_status=default, aliases=_aliases(section.get("aliases"), log))


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
