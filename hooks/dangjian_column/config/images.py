"""The ``images:`` section of column.yml: what the photo pipeline makes and where it keeps its cache."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from dangjian_column.config.yamlfile import SETTINGS_FILE
from dangjian_column.problems import ProblemLog


@dataclass(frozen=True)
class ImageSettings:
    # 720: what DPR 1.75–2 phones need for a full-width cover (see media.SIZES); cheap since it is resized
    # from the 960-px rendition (the cascade), not from the decoded photo.
    widths: tuple[int, ...] = (480, 720, 960, 1600)
    logo_widths: tuple[int, ...] = (160, 320)
    # Story covers only (not every photo: issue 13's photo CPU): the small widths of the search results'
    # thumbnails, shown 90 CSS px wide (160 for DPR ≤ 1.8 phones, 320 for DPR 3), which took the 480-px
    # JPEG before (55–73 KB each; the search page's LCP and its layout shift, issue 14). Resized from the
    # 480-px rendition, so four small encodes a cover.
    thumb_widths: tuple[int, ...] = (160, 320)
    jpeg_quality: int = 82
    webp_quality: int = 80
    # libwebp's effort, 0–6: 2 is about 2.5× faster than libwebp's default 4 for files a few % larger
    # (bench/README.md, "Image pipeline"); 4–6 make smaller files for a first build that takes longer.
    webp_method: int = 2
    # Progressive JPEG: the same pixels, ~1 % smaller, but 2.5× the encoding time. The JPEGs are the
    # fallback for browsers without WebP and the lightbox's file, which is shown once loaded.
    jpeg_progressive: bool = False
    max_pixels: int = 100_000_000
    publish_originals: bool = False
    webp: bool = True  # false: the fallback format only (JPEG/PNG), e.g. to compare with sigal like-for-like
    workers: int = 0  # 0 = os.cpu_count()
    cache_dir: str = ".cache/images"


_DEFAULTS = ImageSettings()
_WIDTH_RANGE = (16, 8000)


def image_settings_from(section: dict | None, log: ProblemLog) -> ImageSettings:
    """Read ``images:``; every bad value is reported in Chinese and replaced by its default."""
    if section is None:
        return _DEFAULTS
    if not isinstance(section, dict):
        _problem(log, "images", "images 应是“字段: 值”的列表，已全部改用默认值。")
        return _DEFAULTS
    known = {f.name for f in fields(ImageSettings)}
    for key in section:
        if key not in known:
            log.add(SETTINGS_FILE, f"未知配置项 images.{key}，已忽略。可用的有：{'、'.join(sorted(known))}。",
                    level="warning", field=f"images.{key}")
    values: dict[str, Any] = {}
    for name in known & set(section):
        value = _READERS[name](name, section[name], log)
        if value is not None:
            values[name] = value
    return ImageSettings(**values)


def _problem(log: ProblemLog, name: str, message: str) -> None:
    field = name if name == "images" else f"images.{name}"
    log.add(SETTINGS_FILE, message, field=field)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _widths(name: str, value: Any, log: ProblemLog) -> tuple[int, ...] | None:
    low, high = _WIDTH_RANGE
    items = value if isinstance(value, list) else [value]
    if items and all(_is_int(v) and low <= v <= high for v in items):
        return tuple(sorted(set(items)))
    default = ", ".join(str(w) for w in getattr(_DEFAULTS, name))
    _problem(log, name, f"images.{name} 应是 {low}–{high} 之间的整数列表（像素宽度），例如 [{default}]，"
                        f"现在是“{value}”，已改用默认值 [{default}]。")
    return None


def _quality(name: str, value: Any, log: ProblemLog) -> int | None:
    if _is_int(value) and 1 <= value <= 100:
        return value
    _problem(log, name, f"images.{name} 应是 1–100 之间的整数（数值越大越清晰、文件越大），现在是“{value}”，"
                        f"已改用默认值 {getattr(_DEFAULTS, name)}。")
    return None


def _webp_method(name: str, value: Any, log: ProblemLog) -> int | None:
    if _is_int(value) and 0 <= value <= 6:
        return value
    _problem(log, name, f"images.webp_method 应是 0–6 之间的整数（数值越大压缩越慢、文件越小），现在是“{value}”，"
                        f"已改用默认值 {_DEFAULTS.webp_method}。")
    return None


def _max_pixels(name: str, value: Any, log: ProblemLog) -> int | None:
    if _is_int(value) and value >= 1_000_000:
        return value
    _problem(log, name, f"images.max_pixels 应是不小于 1000000 的整数（单张图片最多多少像素），现在是“{value}”，"
                        f"已改用默认值 {_DEFAULTS.max_pixels}。")
    return None


def _flag(name: str, value: Any, log: ProblemLog) -> bool | None:
    if isinstance(value, bool):
        return value
    default = str(getattr(_DEFAULTS, name)).lower()
    _problem(log, name, f"images.{name} 只能写 true 或 false，现在是“{value}”，已改用 {default}。")
    return None


def _workers(name: str, value: Any, log: ProblemLog) -> int | None:
    if _is_int(value) and 0 <= value <= 256:
        return value
    _problem(log, name, f"images.workers 应是 0–256 之间的整数（0 表示用上全部 CPU 核），现在是“{value}”，已改用 0。")
    return None


def _cache_dir(name: str, value: Any, log: ProblemLog) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    _problem(log, name, f"images.cache_dir 应是一个文件夹路径（相对于项目根目录），现在是“{value}”，"
                        f"已改用默认值 {_DEFAULTS.cache_dir}。")
    return None


_READERS = {
    "widths": _widths,
    "logo_widths": _widths,
    "thumb_widths": _widths,
    "jpeg_quality": _quality,
    "webp_quality": _quality,
    "webp_method": _webp_method,
    "max_pixels": _max_pixels,
    "publish_originals": _flag,
    "jpeg_progressive": _flag,
    "webp": _flag,
    "workers": _workers,
    "cache_dir": _cache_dir,
}
