"""The ``privacy:`` section of column.yml: numbers published on purpose (the office switchboard),
exempt from the personal-data scan (``lint/privacy.py``)."""

from __future__ import annotations

from dangjian_column.config.yamlfile import SETTINGS_FILE
from dangjian_column.lint.privacy import PrivacyScanner, digits_of
from dangjian_column.problems import ProblemLog


def privacy_settings_from(section: dict | None, log: ProblemLog) -> PrivacyScanner:
    """column.yml's ``privacy:`` section: ``allow`` lists numbers published on purpose."""
    section = section or {}
    raw = section.get("allow") or []
    if isinstance(raw, (str, int)):
        raw = [raw]
    if not isinstance(raw, list):
        log.add(SETTINGS_FILE, "privacy.allow 应是号码列表，例如 allow: [0871-12345678]，已忽略。", field="privacy.allow")
        return PrivacyScanner()
    for key in section:
        if key != "allow":
            log.add(SETTINGS_FILE, f"privacy 里的“{key}”不是配置项（只有 allow），已忽略。", level="warning",
                    field="privacy")
    return PrivacyScanner(allowed=frozenset(digits_of(str(n)) for n in raw if digits_of(str(n))))
