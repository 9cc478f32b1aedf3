"""Typed reading of front-matter fields; every complaint names the field and how to fix it."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable

from dangjian_column.content.sourcefile import SourceDocument
from dangjian_column.problems import ProblemLog


class FieldReader:
    """Reads fields of one document, logging a Chinese message for each bad value."""

    def __init__(self, doc: SourceDocument, rel_path: str, log: ProblemLog, labels: dict[str, str]):
        self.doc = doc
        self.meta = doc.meta
        self.rel_path = rel_path
        self.log = log
        self.labels = labels  # field -> Chinese name, for messages
        self.failed = False

    def _name(self, key: str) -> str:
        label = self.labels.get(key)
        return f"{key}（{label}）" if label else key

    def problem(self, key: str, message: str, *, level: str = "error") -> None:
        if level == "error":
            self.failed = True
        self.log.add(self.rel_path, message, level=level, line=self.doc.line_of(key), field=key)  # type: ignore[arg-type]

    def text(self, key: str, *, required: bool = False, hint: str = "") -> str:
        value = self.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.failed = True
                self.log.add(self.rel_path, f"缺少必填字段 {self._name(key)}。{hint}".rstrip(),
                             line=1, field=key)
            return ""
        if isinstance(value, (dict, list)):
            self.problem(key, f"字段 {self._name(key)} 应是一段文字，不是列表或字段组。{hint}".rstrip())
            return ""
        return str(value).strip()

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            parts = re.split(r"[,，、;；]\s*", value)
            return tuple(p.strip() for p in parts if p.strip())
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            return tuple(str(v).strip() for v in value if str(v).strip())
        self.problem(key, f"字段 {self._name(key)} 应是文字列表，例如 [红色教育, 野外一线]。")
        return ()

    def boolean(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if isinstance(value, bool):
            return value
        if value in ("是", "yes", "true", "True"):
            return True
        if value in ("否", "no", "false", "False", None, ""):
            return False
        self.problem(key, f"字段 {self._name(key)} 只能写 true 或 false。")
        return False

    def integer(self, key: str, default: int) -> int:
        value = self.meta.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                return int(str(value).strip())
            except ValueError:
                self.problem(key, f"字段 {self._name(key)} 应是整数，例如 10。", level="warning")
                return default
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.meta.get(key)
        if value is None or value == "":
            if required:
                self.failed = True
                self.log.add(self.rel_path, f"缺少必填字段 {self._name(key)}。请写活动日期，例如 date: 2025-03-15。",
                             line=1, field=key)
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(key, f"字段 {self._name(key)} 的值“{value}”不是有效日期。"
                              "请写成 2025-03-15 这样的格式（年-月-日，真实存在的日期）。")
        return parsed

    def unknown_keys(self, known: Iterable[str]) -> None:
        known = set(known)
        for key in self.meta:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"是否想写 {close[0]}？" if close else "请删除或改成 AUTHORING.md 列出的字段名。"
            self.problem(key, f"未知字段 {key}，本站不会使用它。{hint}", level="warning")


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(value: object) -> dt.date | None:
    """Accept a YAML date/datetime or the ways staff commonly write one; None if not a real date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None
