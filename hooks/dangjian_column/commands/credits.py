"""Credit lines in a submission (撰稿：张三 摄影：李四 来源：… 责任编辑：…) as story fields.

Branch staff end (or start) their Word files with such a line; on the site these are fields shown in
the footer, so the importer takes them out of the text. A paragraph counts as a credit line only when
it is made entirely of ``名称：值`` pairs with names from the table below, so an ordinary sentence
that happens to contain "来源：" stays in the body.
"""

from __future__ import annotations

import re

# What staff write -> the story field. 支部/日期/活动类型 let a submission say where it belongs.
CREDIT_NAMES = {
    "撰稿": "author", "撰稿人": "author", "作者": "author", "文": "author", "供稿": "author", "通讯员": "author",
    "摄影": "photographer", "摄": "photographer", "图": "photographer", "图片": "photographer",
    "来源": "source", "供稿单位": "source",
    "责任编辑": "editor", "责编": "editor", "编辑": "editor",
    "支部": "branch", "所属支部": "branch",
    "日期": "date", "活动日期": "date", "时间": "date",
    "活动类型": "kind", "类型": "kind",
}
_NAMES = "|".join(sorted(map(re.escape, [*CREDIT_NAMES, "图/文", "文/图", "文图"]), key=len, reverse=True))
_PAIR = re.compile(rf"(?P<name>{_NAMES})\s*[：:]\s*(?P<value>.+?)(?=\s*[，,；;|｜]?\s*(?:{_NAMES})\s*[：:]|$)")
MAX_VALUE = 30
_BRACKETS = str.maketrans("", "", "（）()【】[]")


def parse_credit_line(text: str) -> dict[str, str] | None:
    """The fields of a credit line, or None when ``text`` is not one."""
    line = " ".join(text.split()).translate(_BRACKETS).strip()
    if not line or len(line) > 100 or "\n" in text.strip():
        return None
    found: dict[str, str] = {}
    pos = 0
    for match in _PAIR.finditer(line):
        if line[pos:match.start()].strip(" ，,；;|｜"):
            return None  # text between pairs: a sentence, not a credit line
        name, value = match.group("name"), match.group("value").strip(" ，,；;。")
        if not value or len(value) > MAX_VALUE or re.search(r"[，。！？；,!?;]", value):
            return None  # names and units are short; a long value is a sentence
        for key in ("author", "photographer") if name in ("图/文", "文/图", "文图") else (CREDIT_NAMES[name],):
            found.setdefault(key, value)
        pos = match.end()
    if not found or line[pos:].strip(" ，,；;。"):
        return None
    return found
