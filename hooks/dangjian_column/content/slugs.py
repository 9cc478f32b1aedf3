"""Stable ASCII URL slugs: explicit ones are checked, others come from the pinyin of the title."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pypinyin
from pypinyin import Style, load_phrases_dict
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80

# 重 (“again”) is read chóng in these activity words; pypinyin's phrase list lacks them and says zhòng.
load_phrases_dict({f"重{verb}": [["chóng"], [reading]] for verb, reading in (
    ("走", "zǒu"), ("访", "fǎng"), ("回", "huí"), ("游", "yóu"), ("拾", "shí"), ("塑", "sù"), ("学", "xué"),
    ("上", "shàng"))})


class _RememberingConverter(UltimateConverter):
    """pypinyin's converter as ``lazy_pinyin`` makes it (no v→ü, no tone 5, no sandhi), remembering each
    syllable's style conversion: half of pypinyin's time per title went into converting the same few hundred
    syllables again and again. The result depends only on the syllable, the style and ``strict``
    (tests/test_slug_cache.py compares it with ``lazy_pinyin`` on every CJK character)."""

    def __init__(self) -> None:
        super().__init__()
        self._styled: dict[tuple, str] = {}

    def convert_style(self, han, orig_pinyin, style, strict, **kwargs):
        if kwargs:
            return super().convert_style(han, orig_pinyin, style, strict, **kwargs)
        key = (orig_pinyin, style, strict)
        styled = self._styled.get(key)
        if styled is None:
            styled = self._styled[key] = super().convert_style(han, orig_pinyin, style, strict)
        return styled


_PINYIN = Pinyin(_RememberingConverter())


def lazy_pinyin(text: str) -> list[str]:
    """``pypinyin.lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False)``, faster."""
    return _PINYIN.lazy_pinyin(text, style=Style.NORMAL, errors="default", strict=True)


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """"重走地质路 2025" -> "chong-zou-di-zhi-lu-2025"; cut at a syllable boundary.

    Remembered by text (``_SLUGS``; pypinyin costs ~0.3 ms a title), and between builds in the project's
    cache folder (``load_slug_cache``/``save_slug_cache``)."""
    key = f"{max_length}:{text}"
    if _used is not None:
        _used.add(key)
    slug = _SLUGS.get(key)
    if slug is None:
        slug = _SLUGS[key] = _slugify(text, max_length)
    return slug


def _slugify(text: str, max_length: int) -> str:
    syllables = lazy_pinyin(text)
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


# --- the slugs of earlier builds -------------------------------------------------------------------------

SLUG_CACHE = Path(".cache") / "slugs.json"  # relative to the project, beside the image cache
_SLUGS: dict[str, str] = {}  # f"{max_length}:{text}" -> slug; slugify is a pure function of both
_used: set[str] | None = None  # keys slugify was asked for since load_slug_cache (what save_slug_cache writes)
_on_disk: set[str] = set()  # keys the cache file held when it was read


def _rule() -> str:
    """What the slugs depend on besides the text: this file (the rule, the 重 readings) and pypinyin's version.
    A cache made under another rule is ignored, so a slug never comes from an older rule."""
    return hashlib.sha256(Path(__file__).read_bytes() + pypinyin.__version__.encode()).hexdigest()[:16]


def load_slug_cache(root: Path) -> None:
    """Adds the slugs a previous build of this project saved (if made under the same rule), and starts
    noting which slugs this build asks for."""
    global _used, _on_disk
    _used, _on_disk = set(), set()
    try:
        data = json.loads((root / SLUG_CACHE).read_text(encoding="utf-8"))
        if data.get("rule") == _rule() and isinstance(data.get("slugs"), dict):
            for key, slug in data["slugs"].items():
                if isinstance(key, str) and isinstance(slug, str):
                    _SLUGS.setdefault(key, slug)
                    _on_disk.add(key)
    except (OSError, ValueError, AttributeError):
        pass  # none yet, or unreadable: the slugs are made afresh (only costs time)


def save_slug_cache(root: Path) -> None:
    """Writes the slugs asked for since ``load_slug_cache`` (so titles no longer used drop out), when they
    differ from the file's; atomically, and a read-only project is left alone."""
    global _used
    used, _used = _used, None
    if used is None or used == _on_disk:
        return
    path = root / SLUG_CACHE
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"rule": _rule(), "slugs": {key: _SLUGS[key] for key in sorted(used)}}
        tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
