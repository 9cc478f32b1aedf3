"""The ``freshness:`` section of column.yml: the thresholds of ``dangjian report`` and check's freshness part."""

from __future__ import annotations

from dataclasses import dataclass

from dangjian_column.config.yamlfile import SETTINGS_FILE
from dangjian_column.problems import ProblemLog

_DEFAULTS = {"warn_days": 10, "error_days": 14, "branch_days": 60, "blank_limit": 5}


@dataclass(frozen=True)
class FreshnessSettings:
    warn_days: int = 10  # days without a new story before the report warns
    error_days: int = 14  # 国办秘函〔2019〕19号: no new item on the home page for 2 weeks fails the site
    branch_days: int = 60  # a branch silent this long is listed
    blank_limit: int = 5  # this many blank columns (空白栏目) fail an inspection


def freshness_settings_from(section: dict | None, log: ProblemLog) -> FreshnessSettings:
    values = dict(_DEFAULTS)
    for key, value in (section or {}).items():
        if key not in _DEFAULTS:
            log.add(SETTINGS_FILE, f"freshness 里的“{key}”不是可用的设置（可写 {'、'.join(_DEFAULTS)}），已忽略。",
                    level="warning", field=f"freshness.{key}")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            log.add(SETTINGS_FILE, f"freshness.{key} 应是正整数（天数或个数），现在是“{value}”，已改用默认值 {_DEFAULTS[key]}。",
                    field=f"freshness.{key}")
        else:
            values[key] = value
    settings = FreshnessSettings(**values)
    if settings.error_days < settings.warn_days:
        log.add(SETTINGS_FILE, f"freshness.error_days（{settings.error_days}）不应小于 warn_days（{settings.warn_days}），"
                "已改用默认值 10 和 14。", field="freshness.error_days")
        settings = FreshnessSettings(blank_limit=settings.blank_limit, branch_days=settings.branch_days)
    return settings
