"""Stable ASCII URL slugs: explicit ones are checked, others come from the pinyin of the title."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin, load_phrases_dict

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80

# 重 (“again”) is read chóng in these activity words; pypinyin's phrase list lacks them and says zhòng.
load_phrases_dict({f"重{verb}": [["chóng"], [reading]] for verb, reading in (
    ("走", "zǒu"), ("访", "fǎng"), ("回", "huí"), ("游", "yóu"), ("拾", "shí"), ("塑", "sù"), ("学", "xué"),
    ("上", "shàng"))})


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """"重走地质路 2025" -> "chong-zou-di-zhi-lu-2025"; cut at a syllable boundary."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False)
    words = [w for w in (_NOT_SLUG.sub("-", s.lower()).strip("-") for s in syllables) if w]
    slug = ""
    for word in "-".join(words).split("-"):
        if not word:
            continue
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_PATTERN.match(slug)) and len(slug) <= 100


def claim(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free first; records it as taken."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
