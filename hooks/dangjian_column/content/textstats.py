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
    (re.compile(r"[*_`~|]+"), ""),
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


def clip_title(title: str, limit: int) -> str:
    """A title cut to ``limit`` characters for listings ("…" marks the cut); short titles stay whole.

    The cut keeps whole Latin words when one ends near the limit, so an English name is not split.
    """
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:
        cut = cut[:space]
    return cut.rstrip("，、,;；：: ") + "…"
