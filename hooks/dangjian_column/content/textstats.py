"""Length, reading time and plain-text summaries that are right for Chinese text."""

from __future__ import annotations

import math
import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*")
_MARKUP = [
    (re.compile(r"```.*?```", re.S), " "),
    (re.compile(r"<!--.*?-->", re.S), " "),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?"), " "),  # images
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"\{[:#.][^}]*\}"), " "),  # attr_list
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),
    # Emphasis markers go; a run of four or more stars is a masked number (138****5678) and stays.
    (re.compile(r"(?<!\*)\*{1,3}(?!\*)|[_`~|]+"), ""),
]
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    text = markdown
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return _SPACE.sub(" ", text).strip()


def count_characters(text: str) -> int:
    """What Chinese readers call 字数: each Han character counts one, each Latin word or number one."""
    return len(_CJK.findall(text)) + len(_LATIN_WORD.findall(text))


def reading_minutes(char_count: int, chars_per_minute: int) -> int:
    return max(1, math.ceil(char_count / max(1, chars_per_minute)))


def summarize(text: str, limit: int = 110) -> str:
    """First sentences of the plain text, cut at a sentence end when one is near the limit."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(p) for p in "。！？；")
    if end >= limit // 2:
        return cut[: end + 1]
    return cut.rstrip("，、,;； ") + "……"
