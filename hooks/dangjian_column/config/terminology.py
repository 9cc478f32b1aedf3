"""The wording list (``terminology.yml``, or the file column.yml's ``terminology.file`` names), read once.

Every rule problem carries the line of its entry in the list; the rules are compiled by
``lint.terminology`` into the one scanner the build and ``check`` share.
"""

from __future__ import annotations

import re
from pathlib import Path

from dangjian_column.config.yamlfile import SETTINGS_FILE, LineLog, read_yaml_file
from dangjian_column.lint.terminology import SEVERITIES, Rule, Terminology, compile_rules, no_groups
from dangjian_column.problems import ProblemLog

DEFAULT_FILE = "terminology.yml"


def load_terminology(root: Path, section: dict | None, log: ProblemLog) -> Terminology:
    """The rules from the configured file; a missing default file simply means no rules."""
    section = section or {}
    name = str(section.get("file") or DEFAULT_FILE)
    default = _severity(section.get("severity"), "warning", SETTINGS_FILE, "terminology.severity", log,
                        "terminology.severity")
    path = root / name
    if not path.is_file():
        if section.get("file"):
            log.add(SETTINGS_FILE, f"terminology.file 指定的词表 {name} 不存在，本次不做规范表述检查。"
                    "请检查文件名，或删掉 file 这一行使用默认的 terminology.yml。", level="warning",
                    field="terminology.file")
        return Terminology()
    file = read_yaml_file(path, name, log, "词表", "本次不做规范表述检查。")
    if file is None:
        return Terminology()
    data, lines = file.data, LineLog(log, file)
    default = _severity(data.get("default_severity"), default, name, "default_severity", lines,
                        "default_severity") \
        if "severity" not in section else default
    rules = [rule for i, entry in enumerate(data.get("rules") or []) if (rule := _rule(entry, i, default, name, lines))]
    return compile_rules(sorted(rules, key=lambda r: -len(r.shown)))


def _rule(entry: object, index: int, default: str, name: str, log: LineLog) -> Rule | None:
    if not isinstance(entry, dict) or not (entry.get("wrong") or entry.get("pattern")):
        log.add(name, f"rules 第 {index + 1} 项缺少 wrong（不规范写法）或 pattern（正则表达式），已跳过。",
                level="warning", field=f"rules.{index}")
        return None
    wrong = str(entry.get("wrong") or "")
    pattern = str(entry.get("pattern") or "") or re.escape(wrong)
    try:
        re.compile(pattern)
    except re.error as exc:
        log.add(name, f"rules 第 {index + 1} 项的 pattern 不是有效的正则表达式（{exc}），已跳过。", level="warning",
                field=f"rules.{index}")
        return None
    severity = _severity(entry.get("severity"), default, name, f"rules 第 {index + 1} 项的 severity", log,
                         f"rules.{index}.severity")
    return Rule(pattern=no_groups(pattern), shown=wrong or pattern, right=str(entry.get("right") or ""),
                severity=severity, source=str(entry.get("source") or ""), note=str(entry.get("note") or ""))


def _severity(value: object, default: str, path: str, what: str, log: ProblemLog | LineLog, field: str = "") -> str:
    if value in (None, ""):
        return default
    if value in SEVERITIES:
        return str(value)
    log.add(path, f"{what} 只能写 warning 或 error，现在是“{value}”，已改用 {default}。", level="warning",
            field=field)
    return default
