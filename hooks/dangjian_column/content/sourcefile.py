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
    key_lines = _key_lines(fm_text, fm_line, rel_path, log)
    return SourceDocument(meta=meta, body=body, body_line=body_line, key_lines=key_lines, text=text)


def _load_yaml(fm_text: str, rel_path: str, log: ProblemLog, fm_line: int = 1) -> dict | None:
    try:
        try:
            meta = _HANDLER.load(fm_text)
        except ValueError:
            # e.g. "date: 2025-02-30" matches YAML's date pattern and then fails as a date
            meta = _HANDLER.load(fm_text, Loader=_DatesAsTextLoader)
    except yaml.MarkedYAMLError as exc:
        message, line = yaml_error_message(exc, fm_text, fm_line)
        log.add(rel_path, f"front matter 格式有误：{message}", line=line)
        return None
    except (yaml.YAMLError, ValueError) as exc:
        log.add(rel_path, f"front matter 中有无法识别的值（{exc}）。日期请写成 2025-03-15 这样真实存在的日期。",
                line=1)
        return None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        hint = _full_width_colon_line(fm_text.split("\n"), fm_line, None)
        line = hint or fm_line
        log.add(rel_path, "front matter 应是“字段: 值”的列表（每行一个字段，冒号后加空格）。"
                + (_FULL_WIDTH_HINT.format(line=line) if hint else ""), line=line)
        return None
    return {str(k): v for k, v in meta.items()}


# PyYAML's (and libyaml's) wording of the usual mistakes, in Chinese; anything else is quoted as it is.
_PROBLEMS = (
    ("unexpected end of stream", "文件在这里意外结束"),
    ("mapping values are not allowed", "这里出现了“冒号加空格”，但这个位置不能再开始一个“字段: 值”"),
    ("could not find expected ':'", "这一行没有找到字段名后的半角冒号“:”"),
    ("did not find expected key", "这里应是一个字段名，可能是缩进没有对齐"),
    ("did not find expected ',' or ']'", "方括号列表 [ ] 没有正确结束"),
    ("expected ',' or ']'", "方括号列表 [ ] 没有正确结束"),
    ("expected ',' or '}'", "花括号 { } 没有正确结束"),
    ("did not find expected ',' or '}'", "花括号 { } 没有正确结束"),
    ("cannot start any token", "这里的字符不能出现在行首（多半是 Tab 制表符）"),
    ("tab character", "这里有 Tab 制表符"),
    ("did not find expected '-' indicator", "“- ”列表项的缩进没有对齐"),
    ("found undefined alias", "这里的 * 被当成了 YAML 的引用符号"),
    ("found character that cannot start any token", "这里的字符不能出现在值的开头（例如 @ 或 `）"),
)
_CONTEXTS = (
    ("quoted scalar", "引号里的文字"),
    ("flow sequence", "方括号列表 [ ]"),
    ("flow mapping", "花括号 { }"),
    ("simple key", "字段名"),
    ("block mapping", "字段列表"),
    ("block collection", "“- ”列表"),
    ("plain scalar", "字段的值"),
)
# Where the cause was opened (a quote, a bracket) is where staff must look, not where PyYAML gave up.
_OPENED = ("quoted scalar", "flow sequence", "flow mapping")
_FULL_WIDTH_HINT = "第 {line} 行的字段名后用了全角冒号“：”，请改成半角冒号“:”并在后面加一个空格。"


def yaml_error_message(exc: yaml.MarkedYAMLError, text: str, first_line: int = 1) -> tuple[str, int]:
    """PyYAML's problem and context first, in Chinese, then a hint only when it fits; and the line to report.

    ``first_line`` is the file line of ``text``'s first line (front matter starts on line 2).
    """
    lines = text.split("\n")
    problem_line = problem_line_of(exc, first_line)
    context = exc.context or ""
    context_line = exc.context_mark.line + first_line if exc.context_mark else problem_line
    line = context_line if any(key in context for key in _OPENED) else problem_line
    where = f"第 {problem_line} 行" + (f"第 {exc.problem_mark.column + 1} 列" if exc.problem_mark else "")
    problem = _translate(exc.problem or "", _PROBLEMS)
    if line != problem_line:  # an unclosed quote or bracket: where it opened first, where YAML gave up after
        message = f"从第 {line} 行开始的{_translate(context, _CONTEXTS)}没有结束（YAML 读到{where}：{problem}）"
    else:
        message = f"{where}{problem}" + (f"（{_translate(context, _CONTEXTS)}，从第 {context_line} 行开始）"
                                         if context else "")
    message += f"。YAML 原文：{exc.problem or context}。"
    colon = _full_width_colon_line(lines, first_line, problem_line)
    if colon:
        return _FULL_WIDTH_HINT.format(line=colon), colon  # the cause's line, the only one named
    return message + _hint(exc, context, lines, first_line, line), line


def problem_line_of(exc: yaml.MarkedYAMLError, first_line: int) -> int:
    return exc.problem_mark.line + first_line if exc.problem_mark else first_line


def _translate(text: str, table: tuple[tuple[str, str], ...]) -> str:
    return next((zh for en, zh in table if en in text), f"：{text}" if table is _PROBLEMS else text)


def _full_width_colon_line(lines: list[str], first_line: int, problem_line: int | None) -> int:
    """The last line at or before the problem whose field name ends in a full-width colon; 0 if none."""
    found = 0
    for number, text in enumerate(lines, start=first_line):
        if problem_line is not None and number > problem_line:
            break
        if "：" in text.split(":", 1)[0] and re.match(r"^\s*[^\s：]+\s*：", text):
            found = number
    return found


def _hint(exc: yaml.MarkedYAMLError, context: str, lines: list[str], first_line: int, line: int) -> str:
    problem = exc.problem or ""
    if "quoted scalar" in context:
        return f"请检查第 {line} 行的引号是否成对（中文引号“”不算，YAML 只认半角 \" 和 '）。"
    if "flow sequence" in context or "flow mapping" in context:
        return f"请检查第 {line} 行的括号是否成对，例如 branch: [aa, bb]。"
    if "tab" in problem.lower() or "\\t" in problem or "\t" in problem:
        return f"请把第 {problem_line_of(exc, first_line)} 行的 Tab 换成空格（YAML 只能用空格缩进）。"
    text = lines[line - first_line] if 0 <= line - first_line < len(lines) else ""
    if "mapping values are not allowed" in problem and ": " in text.split(": ", 1)[-1]:
        key = text.split(":", 1)[0].strip()
        return f"第 {line} 行的值里含有“: ”（冒号加空格），请给整个值加上引号，例如 {key}: \"{text.split(': ', 1)[1].strip()}\"。"
    return ""


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def _key_lines(fm_text: str, fm_line: int, rel_path: str, log: ProblemLog) -> dict[str, int]:
    """The line of each field; a field written twice is reported (YAML quietly keeps the later value)."""
    lines: dict[str, int] = {}
    for i, line in enumerate(fm_text.split("\n"), start=fm_line):
        match = _TOP_KEY.match(line)
        if match:
            first = lines.setdefault(match.group(1), i)
            if first != i:
                log.add(rel_path, duplicate_key_message(match.group(1), first, i), level="warning", line=i,
                        field=match.group(1))
    return lines


def duplicate_key_message(key: str, first: int, again: int) -> str:
    return (f"字段“{key}”写了两次（第 {first} 行和第 {again} 行），只有第 {again} 行的值生效。"
            f"请删掉不要的那一行。")


def project_path(path: Path, root: Path) -> str:
    """``path`` as messages name it: relative to the project folder, or as it is when it lies outside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
