"""Resize once per width and write each rendition atomically into the cache, with no metadata at all."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from .plan import RenditionSpec

# reduce() by whole factors first, then LANCZOS over the last ≤ 3× step: near-LANCZOS quality, much cheaper.
REDUCING_GAP = 3.0
_WHITE = (255, 255, 255)


def encode_all(base: Image.Image, specs: list[RenditionSpec], cache_dir: Path) -> int:
    """Write every spec; returns how many files were written. Same-size specs share one resize."""
    written = 0
    for size in sorted({(s.width, s.height) for s in specs}, reverse=True):
        resized = resize(base, size)
        for spec in specs:
            if (spec.width, spec.height) == size:
                write_atomic(resized, spec, cache_dir / spec.site_path)
                written += 1
    return written


def resize(base: Image.Image, size: tuple[int, int]) -> Image.Image:
    if base.size == size:
        return base
    return base.resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)


def write_atomic(im: Image.Image, spec: RenditionSpec, target: Path) -> None:
    """Temp file + rename: a crash or a parallel build never leaves a half-written rendition behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        save_clean(im, spec, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def save_clean(im: Image.Image, spec: RenditionSpec, path: Path) -> None:
    """Encode with no EXIF, GPS, XMP, ICC or comment: savers also read ``im.info``, so it is emptied."""
    out = flatten_on_white(im) if spec.format == "jpeg" and im.mode == "RGBA" else im
    if out.info:
        out = out.copy()
        out.info = {}
    if spec.format == "jpeg":
        out.save(path, "JPEG", quality=spec.quality, optimize=True, progressive=True)
    elif spec.format == "webp":
        out.save(path, "WEBP", quality=spec.quality, method=4)
    else:
        out.save(path, "PNG", compress_level=6)


def flatten_on_white(im: Image.Image) -> Image.Image:
    """JPEG has no alpha: composite on white so transparent areas do not turn black."""
    background = Image.new("RGB", im.size, _WHITE)
    background.paste(im, mask=im.getchannel("A"))
    return background
