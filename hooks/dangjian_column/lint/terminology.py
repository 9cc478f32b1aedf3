"""Standard political wording (规范表述): the word list and one fast scanner over any text.

The list lives in ``terminology.yml`` at the project root (``terminology: {file: …, severity: …}`` in
column.yml overrides the file and the default severity). All rules are compiled into ONE regex of
named alternatives, so a text is scanned once whatever the number of rules; most stories have no hit
and cost one ``search`` call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from dangjian_column.content.sourcefile import decode_text
from dangjian_column.problems import ProblemLog

DEFAULT_FILE = "terminology.yml"
SETTINGS_FILE = "column.yml"
SEVERITIES = ("warning", "error")


@dataclass(frozen=True)
class Rule:
    pattern: str  # a regex; literal ``wrong`` entries are escaped into one
    shown: str  # the wrong wording as staff wrote it in the list (for messages)
    right: str = ""  # "" means forbidden: delete or rewrite
    severity: str = "warning"
    source: str = ""
    note: str = ""

    def advice(self, found: str) -> str:
        fix = f"请改为“{self.right}”" if self.right else "请删除或改写"
        note = f"{self.note}" if self.note else ""
        source = f"（依据：{self.source}）" if self.source else ""
        return f"“{found}”不是规范表述，{fix}{source}。{note}"


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    rule: Rule


@dataclass(frozen=True)
class Terminology:
    rules: tuple[Rule, ...] = ()
    regex: re.Pattern | None = None  # named alternatives, one per rule: says WHICH rule hit
    trigger: re.Pattern | None = None  # plain alternation of the rules' leading literals: says WHERE to look

    def hits(self, text: str) -> Iterator[Hit]:
        if self.regex is None:
            return
        if self.trigger is None:  # some rule has no leading literal: scan with the full regex
            for match in self.regex.finditer(text):
                yield self._hit(match)
            return
        # Named groups make Python's regex engine ~50x slower than a plain alternation of literals, so the
        # plain one finds candidate positions and the full one only confirms there.
        pos = 0
        while (candidate := self.trigger.search(text, pos)) is not None:
            match = self.regex.match(text, candidate.start())
            if match is None:
                pos = candidate.start() + 1
                continue
            yield self._hit(match)
            pos = max(match.end(), candidate.start() + 1)

    def _hit(self, match: re.Match) -> Hit:
        return Hit(match.start(), match.end(), self.rules[int(match.lastgroup[1:])])

    def any_hit(self, text: str) -> bool:
        return next(self.hits(text), None) is not None


_LOOKAROUND = re.compile(r"\(\?<?[=!](?:[^()\\]|\\.)*\)")
_LITERAL_RUN = re.compile(r"(?:[^\\.^$*+?{}\[\]|()]|\\[^A-Za-z0-9])+")


def leading_literal(pattern: str) -> str:
    """The literal text every match of ``pattern`` starts with ("" when there is none).

    Lookarounds consume nothing, so they are set aside; a literal followed by ``?``/``*``/``{`` is optional
    in its last character, so that character is dropped.
    """
    bare = _LOOKAROUND.sub("", pattern)
    run = _LITERAL_RUN.match(bare)
    if run is None:
        return ""
    literal = run.group(0)
    if bare[run.end():run.end() + 1] in ("?", "*", "{"):
        literal = literal[:-1]
    return re.sub(r"\\(.)", r"\1", literal)


def compile_rules(rules: list[Rule]) -> Terminology:
    if not rules:
        return Terminology()
    alternatives = "|".join(f"(?P<r{i}>{rule.pattern})" for i, rule in enumerate(rules))
    literals = [leading_literal(rule.pattern) for rule in rules]
    trigger = None
    if all(literals):
        unique = sorted(set(literals), key=len, reverse=True)
        trigger = re.compile("|".join(re.escape(literal) for literal in unique))
    return Terminology(rules=tuple(rules), regex=re.compile(alternatives), trigger=trigger)


def load_terminology(root: Path, section: dict | None, log: ProblemLog) -> Terminology:
    """The rules from the configured file; a missing default file simply means no rules."""
    section = section or {}
    name = str(section.get("file") or DEFAULT_FILE)
    default = _severity(section.get("severity"), "warning", SETTINGS_FILE, "terminology.severity", log)
    path = root / name
    if not path.is_file():
        if section.get("file"):
            log.add(SETTINGS_FILE, f"terminology.file 指定的词表 {name} 不存在，本次不做规范表述检查。"
                    "请检查文件名，或删掉 file 这一行使用默认的 terminology.yml。", level="warning",
                    field="terminology.file")
        return Terminology()
    data = _read_yaml(path, name, log)
    if data is None:
        return Terminology()
    default = _severity(data.get("default_severity"), default, name, "default_severity", log) \
        if "severity" not in section else default
    rules = [rule for i, entry in enumerate(data.get("rules") or []) if (rule := _rule(entry, i, default, name, log))]
    return compile_rules(sorted(rules, key=lambda r: -len(r.shown)))


def _read_yaml(path: Path, name: str, log: ProblemLog) -> dict | None:
    text = decode_text(path.read_bytes(), name, log)
    if text is None:
        return None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        log.add(name, f"词表格式有误（{exc}），本次不做规范表述检查。请检查缩进和冒号。",
                line=mark.line + 1 if mark else 0)
        return None
    if not isinstance(data, dict):
        log.add(name, "词表应包含 rules: 列表，本次不做规范表述检查。")
        return None
    return data


def _rule(entry: object, index: int, default: str, name: str, log: ProblemLog) -> Rule | None:
    if not isinstance(entry, dict) or not (entry.get("wrong") or entry.get("pattern")):
        log.add(name, f"rules 第 {index + 1} 项缺少 wrong（不规范写法）或 pattern（正则表达式），已跳过。",
                level="warning", field="rules")
        return None
    wrong = str(entry.get("wrong") or "")
    pattern = str(entry.get("pattern") or "") or re.escape(wrong)
    try:
        re.compile(pattern)
    except re.error as exc:
        log.add(name, f"rules 第 {index + 1} 项的 pattern 不是有效的正则表达式（{exc}），已跳过。", level="warning",
                field="rules")
        return None
    severity = _severity(entry.get("severity"), default, name, f"rules 第 {index + 1} 项的 severity", log)
    return Rule(pattern=_no_groups(pattern), shown=wrong or pattern, right=str(entry.get("right") or ""),
                severity=severity, source=str(entry.get("source") or ""), note=str(entry.get("note") or ""))


def _no_groups(pattern: str) -> str:
    """Capturing groups in a rule would shift ``lastgroup``; make them non-capturing."""
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern)


def _severity(value: object, default: str, path: str, what: str, log: ProblemLog) -> str:
    if value in (None, ""):
        return default
    if value in SEVERITIES:
        return str(value)
    log.add(path, f"{what} 只能写 warning 或 error，现在是“{value}”，已改用 {default}。", level="warning")
    return default
