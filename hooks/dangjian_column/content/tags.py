"""Tags as staff type them, made comparable: ``#主题党日``, ``主题党日 `` and ``主题 党日`` are one tag.

Staff paste tags from WeChat (``#话题``, full-width ``＃``), add stray spaces, or vary the case of
English words. Each variant used to become its own tag page, and a variant whose pinyin matched an
established tag took over that tag's URL. Stories keep the cleaned form they wrote (``clean_tag``);
the catalog merges stories on ``tag_key`` and shows the form of the first-published story.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# A space between two characters of which one is not ASCII (CJK, full-width punctuation) carries no
# meaning in Chinese text: "主题 党日" is "主题党日". Between two ASCII words it does ("Party Day").
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")


def clean_tag(raw: str) -> str:
    """The tag as it should be shown: NFKC (full-width ``＃``/letters become ASCII), no ``#`` around
    it (``#话题`` and Weibo's ``#话题#``), whitespace collapsed, no space next to a Chinese character."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", raw)).strip()
    if text.startswith("#"):
        text = text.lstrip("#").rstrip("#").strip()
    return _CJK_SPACE.sub("", text)


def tag_key(label: str) -> str:
    """What two tags must share to be one tag: the cleaned form, ASCII letters in lower case.

    Only ASCII is folded: ``str.casefold`` would also fold letters that Chinese text never varies."""
    return clean_tag(label).translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def story_tags(raw: tuple[str, ...]) -> tuple[str, ...]:
    """A story's tags, cleaned, each tag once (the first spelling wins), empty ones (a lone ``#``) dropped."""
    tags: dict[str, str] = {}
    for text in raw:
        label = clean_tag(text)
        if label:
            tags.setdefault(tag_key(label), label)
    return tuple(tags.values())
