"""Surgical edits of a story's front matter: append a ``reviews:`` entry, set ``status:``.

Staff files carry comments, a chosen key order and hand-made quoting; a YAML dump would lose them.
So the text of the front-matter block is edited line by line, and the result is parsed again and
compared with what was intended before anything is written: an edit that would change any other
field is refused, and the file stays as it was.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from dangjian_column.content.sourcefile import parse_document
from dangjian_column.problems import ProblemLog


class EditError(Exception):
    """The file cannot be edited safely (message in Chinese)."""


@dataclass
class StoryFile:
    """A story file as text, remembering its BOM and line endings so a write keeps them."""

    path: Path
    text: str  # "\n" line endings
    bom: bool = False
    crlf: bool = False

    @classmethod
    def read(cls, path: Path) -> StoryFile:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EditError(f"{path} 不是 UTF-8 编码，请先运行 dangjian fix-encoding {path}。") from exc
        return cls(path, text.replace("\r\n", "\n"), raw.startswith(b"\xef\xbb\xbf"), b"\r\n" in raw)

    def meta(self) -> dict:
        log = ProblemLog()
        doc = parse_document(self.text, str(self.path), log)
        if doc is None:
            raise EditError(f"{self.path} 的 front matter 无法读取：{log.items[0].message if log.items else ''}"
                            "请先运行 dangjian check 修好它。")
        return doc.meta

    def write(self) -> None:
        """Atomically: a crash mid-write never leaves half a story."""
        data = self.text.replace("\n", "\r\n") if self.crlf else self.text
        raw = ("\ufeff" if self.bom else "").encode() + data.encode("utf-8")
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(raw)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def _front_lines(text: str) -> tuple[list[str], int]:
    """The file's lines and the index of the closing ``---`` of the front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise EditError("文件开头没有 front matter（--- 开始的字段区）。")
    for i in range(1, len(lines)):
        if re.match(r"^-{3,}\s*$", lines[i]):
            return lines, i
    raise EditError("front matter 没有结束标记 ---。")


def _key_line(lines: list[str], end: int, key: str) -> int | None:
    return next((i for i in range(1, end) if (m := _TOP_KEY.match(lines[i])) and m.group(1) == key), None)


def flow_entry(entry: dict) -> str:
    """``{level: 复审, name: 李四, date: 2025-03-05, result: 通过}`` on one line, quoted where YAML needs it."""
    return yaml.safe_dump(entry, allow_unicode=True, default_flow_style=True, sort_keys=False,
                          width=100_000).strip()


def append_review(text: str, entry: dict) -> str:
    lines, end = _front_lines(text)
    item = flow_entry(entry)
    start = _key_line(lines, end, "reviews")
    if start is None:
        return "\n".join([*lines[:end], "reviews:   # 审核记录：由 dangjian approve / reject 写入，请勿手改",
                          f"  - {item}", *lines[end:]])
    head = lines[start]
    value = head.split(":", 1)[1].split(" #", 1)[0].strip()
    if value == "[]":
        lines[start] = "reviews:" + (" #" + head.split(" #", 1)[1] if " #" in head else "")
    elif value:
        raise EditError("reviews 不是每行一项的写法，无法安全追加。请把它改成“reviews:”下每行一条“- {…}”。")
    last = start
    for i in range(start + 1, end):
        if _TOP_KEY.match(lines[i]):
            break
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            last = i
    first = next((lines[i] for i in range(start + 1, last + 1) if lines[i].lstrip().startswith("- ")), "  - ")
    indent = first[: len(first) - len(first.lstrip())]
    return "\n".join([*lines[: last + 1], f"{indent}- {item}", *lines[last + 1:]])


def set_status(text: str, label: str) -> str:
    """Replace the value of ``status:`` keeping its comment; add the line when the story has none."""
    lines, end = _front_lines(text)
    at = _key_line(lines, end, "status")
    if at is None:
        return "\n".join([*lines[:end], f"status: {label}", *lines[end:]])
    comment = re.search(r"\s+#.*$", lines[at])
    lines[at] = f"status: {label}" + (comment.group(0) if comment else "")
    return "\n".join(lines)


def checked_edit(story: StoryFile, new_text: str, expected: dict) -> None:
    """Keep ``new_text`` only when it parses to exactly ``expected`` (the old fields plus the intended change)."""
    before = story.text
    story.text = new_text
    try:
        meta = story.meta()
    except EditError:
        meta = None
    if meta != expected:
        story.text = before
        raise EditError(f"{story.path} 的字段区写法特殊，自动修改会改动其他字段，已放弃，文件未改动。"
                        "请手工在 reviews: 下添加这条记录。")
