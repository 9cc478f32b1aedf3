"""Length, reading time and plain-text summaries that are right for Chinese text."""

from __future__ import annotations

import html
import math
import re

from dangjian_column.content.references import Reference, find_references, without

# Runs, not single characters: findall then makes one string per run instead of one per character (4x faster).
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*")
# Applied after images and links are gone; each keeps the text a reader would read. A pattern runs only
# when one of its triggers is in the text: most stories are plain paragraphs, and a pattern costs a test at
# every position or line otherwise (load_column runs this for every story).
_MARKUP = [
    (("```", "~~~"), re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.S | re.M), " "),  # fenced code
    (("<!--",), re.compile(r"<!--.*?-->", re.S), " "),
    (("[^",), re.compile(r"^\[\^[^\]\n]+\]:.*(?:\n(?:[ ]{4}|\t).*)*", re.M), " "),  # footnote definitions
    (("[^",), re.compile(r"\[\^[^\]\n]+\]"), ""),  # footnote references
    (("]:",), re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.M), " "),  # link reference definitions
    (("<",), re.compile(r"</?[A-Za-z][^<>]*>"), " "),  # raw tags and autolinks
    (("{",), re.compile(r"\{:?[ \t]*(?:[#.][\w-]|[\w-]+=)[^{}\n]*\}"), " "),  # attr_list
    (("!!!",), re.compile(r"^!!![ \t]*[\w-]+(?:[ \t]+\"([^\"]*)\")?[ \t]*$", re.M), r"\1"),  # admonition: its title
    (("---",), re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|?)+[ \t]*$", re.M), " "),  # table rules, --- rules
    (("*", "_"), re.compile(r"^[ \t]{0,3}([*_])(?:[ \t]*\1){2,}[ \t]*$", re.M), " "),  # *** and ___ rules
    # headings, quotes, list markers
    (("#", ">", "-", "*", "+", "."), re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),
    (("|",), re.compile(r"\|"), " "),  # table cells
    # Emphasis markers and code spans (escaped ones are protected above); a run of four or more stars
    # is a masked number (138****5678) and stays.
    (("*", "_", "`", "~"), re.compile(r"(?<!\*)\*{1,3}(?!\*)|[_`~]+"), ""),
]
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_PROTECTED = re.compile("[\ue000-\ue07f]")
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str, references: list[Reference] | None = None) -> str:
    """What a reader reads: images gone and links reduced to their text, both found the way
    Python-Markdown finds them (so ``IMG_2023 (1).JPG`` or ``[x](a(1))`` leave nothing behind), then
    markup, tags and entities. ``references``: ``find_references(markdown)`` if the caller has them."""
    text = without(markdown, find_references(markdown) if references is None else references)
    escaped = "\\" in text
    if escaped:  # ``\*`` is a star the reader sees: out of the patterns' reach until the end
        text = _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    for triggers, pattern, repl in _MARKUP:
        if any(trigger in text for trigger in triggers):
            text = pattern.sub(repl, text)
    if escaped:
        text = _PROTECTED.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text)
    return _SPACE.sub(" ", html.unescape(text) if "&" in text else text).strip()


def count_characters(text: str) -> int:
    """What Chinese readers call 字数: each Han character counts one, each Latin word or number one."""
    return sum(map(len, _CJK_RUN.findall(text))) + len(_LATIN_WORD.findall(text))


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
