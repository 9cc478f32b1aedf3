"""Reading one Markdown source file: decoding and front matter, with errors staff can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from dangjian_column.problems import ProblemLog

try:  # libyaml is ~10x faster than the pure-Python loader; it matters at 10,000 stories
    _YamlLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _YamlLoader = yaml.SafeLoader


class _FastYAMLHandler(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs: object):
        kwargs.setdefault("Loader", _YamlLoader)
        return super().load(fm, **kwargs)


_HANDLER = _FastYAMLHandler()


class _DatesAsTextLoader(_YamlLoader):
    """Reads ``2025-02-30`` as text, so the field reader can name the field and the bad value."""


_DatesAsTextLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
_OPENING = re.compile(r"\A---[ \t]*\r?\n")


@dataclass
class SourceDocument:
    meta: dict
    body: str
    body_line: int  # 1-based line where the body starts, for messages about the body
    key_lines: dict[str, int]  # top-level front-matter key -> 1-based line in the file
    text: str = ""  # the whole decoded file, for checks that report positions in it (wording lint)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def decode_text(raw: bytes, rel_path: str, log: ProblemLog) -> str | None:
    """Decode UTF-8 (with or without BOM, any line ending); explain GBK files instead of crashing."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            log.add(rel_path, "文件不是 UTF-8 编码的文本，无法读取。请用记事本或 VS Code 打开，"
                    "“另存为”时编码选 UTF-8。", line=line)
        else:
            log.add(rel_path, f"文件是 GBK/GB18030 编码，本站只接受 UTF-8。请运行 dangjian fix-encoding {rel_path} "
                    "转换（原文件会备份为 .bak），或用记事本、VS Code 打开后“另存为”时编码选 UTF-8。", line=line)
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: Path, rel_path: str, log: ProblemLog, *,
                  front_matter_required: bool = True) -> SourceDocument | None:
    """Read a Markdown file with YAML front matter. Returns None (and logs why) when unusable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        log.add(rel_path, f"无法读取文件（{exc.strerror}）。请检查文件是否存在、是否有读取权限。")
        return None
    text = decode_text(raw, rel_path, log)
    if text is None:
        return None
    return parse_document(text, rel_path, log, front_matter_required=front_matter_required)


def parse_document(text: str, rel_path: str, log: ProblemLog, *,
                   front_matter_required: bool = True) -> SourceDocument | None:
    if not _OPENING.match(text):
        if not front_matter_required:
            return SourceDocument(meta={}, body=text, body_line=1, key_lines={}, text=text)
        log.add(rel_path, "文件开头缺少 front matter（以 --- 开始、以 --- 结束的字段区）。"
                "请参照 AUTHORING.md 的模板，在文件第一行写 ---。", line=1)
        return None
    try:
        fm_text, body = _HANDLER.split(text)
    except ValueError:
        log.add(rel_path, "front matter 没有结束标记。请在字段区最后单独写一行 ---。", line=1)
        return None
    # The boundary pattern may swallow blank lines after the opening ---, so locate fm_text itself.
    fm_line = text[: text.find(fm_text)].count("\n") + 1  # file line of fm_text's first line
    meta = _load_yaml(fm_text, rel_path, log, fm_line)
    if meta is None:
        return None
    body_line = text[: text.find(body)].count("\n") + 1 if body else fm_text.count("\n") + 3
    return SourceDocument(meta=meta, body=body, body_line=body_line, key_lines=_key_lines(fm_text, fm_line),
                          text=text)


def _load_yaml(fm_text: str, rel_path: str, log: ProblemLog, fm_line: int = 1) -> dict | None:
    try:
        try:
            meta = _HANDLER.load(fm_text)
        except ValueError:
            # e.g. "date: 2025-02-30" matches YAML's date pattern and then fails as a date
            meta = _HANDLER.load(fm_text, Loader=_DatesAsTextLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + fm_line if mark else 1
        log.add(rel_path, f"front matter 格式有误（{exc.problem or exc.context}）。{_yaml_hint(fm_text, fm_line)}",
                line=line)
        return None
    except (yaml.YAMLError, ValueError) as exc:
        log.add(rel_path, f"front matter 中有无法识别的值（{exc}）。日期请写成 2025-03-15 这样真实存在的日期。",
                line=1)
        return None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        log.add(rel_path, f"front matter 应是“字段: 值”的列表。{_yaml_hint(fm_text, fm_line)}", line=2)
        return None
    return {str(k): v for k, v in meta.items()}


def _yaml_hint(fm_text: str, fm_line: int) -> str:
    lines = fm_text.split("\n")
    suspects = [i for i, line in enumerate(lines, start=fm_line) if "：" in line.split(":", 1)[0]]
    if suspects:
        return f"第 {suspects[0]} 行的字段名后用了全角冒号“：”，请改成半角冒号“:”并在后面加一个空格。"
    if any("\t" in line for line in lines):
        return "字段区里有 Tab 制表符，请全部换成空格。"
    return "请检查冒号后是否有空格、引号是否成对、列表项是否以“- ”开头。"


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def _key_lines(fm_text: str, fm_line: int = 1) -> dict[str, int]:
    lines: dict[str, int] = {}
    for i, line in enumerate(fm_text.split("\n"), start=fm_line):
        match = _TOP_KEY.match(line)
        if match:
            lines.setdefault(match.group(1), i)
    return lines
