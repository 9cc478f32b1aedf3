"""Reading an administrator's YAML file (column.yml, terminology.yml) once, keeping the line of every key.

Settings problems then point at the line to change (``column.yml:14: 错误: images.jpeg_quality …``), the
same in ``dangjian check`` and in the build, because both read the file through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dangjian_column.content.sourcefile import decode_text, duplicate_key_message, yaml_error_message
from dangjian_column.problems import Level, ProblemLog

SETTINGS_FILE = "column.yml"  # the column's settings, at the project root: the one place this name is defined


@dataclass(frozen=True)
class YamlFile:
    """A parsed YAML mapping and the 1-based line of each key, by dotted path (``images.jpeg_quality``,
    ``kinds.2`` for the third list item)."""

    rel_path: str
    data: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, path: str) -> int:
        """The line of ``path`` or, failing that, of its closest written parent; 0 when none was written."""
        parts = path.split(".") if path else []
        while parts:
            line = self.lines.get(".".join(parts))
            if line:
                return line
            parts.pop()
        return 0


def read_yaml_file(path: Path, rel_path: str, log: ProblemLog, what: str, consequence: str) -> YamlFile | None:
    """Parse ``path`` once; None (and one Chinese problem) when it is unreadable or not a mapping.

    ``what`` names the file for staff ("栏目配置", "词表"); ``consequence`` says what the build does then.
    """
    text = decode_text(path.read_bytes(), rel_path, log)
    if text is None:
        return None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        message, line = yaml_error_message(exc, text, 1)
        log.add(rel_path, f"{what}格式有误：{message}{consequence}", line=line)
        return None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        log.add(rel_path, f"{what}应是“字段: 值”的列表（每行一个字段，冒号后加空格）。{consequence}", line=1)
        return None
    lines: dict[str, int] = {}
    for key, first, again in _record_lines(node, "", lines):
        log.add(rel_path, duplicate_key_message(key, first, again), level="warning", line=again, field=key)
    return YamlFile(rel_path=rel_path, data=data, lines=lines)


def _record_lines(node: yaml.Node | None, prefix: str, lines: dict[str, int]) -> list[tuple[str, int, int]]:
    """Fill ``lines``; returns the keys written twice in one mapping (PyYAML keeps the last one), with both lines."""
    twice: list[tuple[str, int, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            path = f"{prefix}{key.value}"
            line = key.start_mark.line + 1
            if path in seen:
                twice.append((path, seen[path], line))
            seen[path] = lines[path] = line
            twice += _record_lines(value, f"{path}.", lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}{i}"
            lines.setdefault(path, item.start_mark.line + 1)
            twice += _record_lines(item, f"{path}.", lines)
    return twice


@dataclass
class LineLog:
    """A ``ProblemLog`` for one settings file that fills in the line from the problem's field.

    The section readers only name the field (``images.jpeg_quality``); the line comes from the file, so
    every reader reports with line numbers without knowing about YAML nodes.
    """

    log: ProblemLog
    file: YamlFile

    def add(self, path: str, message: str, *, level: Level = "error", line: int = 0, field: str = "",
            column: int = 0) -> None:
        if not line and path == self.file.rel_path:
            line = self.file.line(field)
        self.log.add(path, message, level=level, line=line, field=field, column=column)

    def line(self, path: str) -> int:
        return self.file.line(path)
