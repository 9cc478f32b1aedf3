"""Resize in a cascade and write each rendition atomically into the cache, with no metadata at all."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from .plan import Plan, RenditionSpec

# reduce() by whole factors first, then the filter over the last ≤ 3× step: near-LANCZOS quality, much cheaper.
REDUCING_GAP = 3.0
# The step from the decoded photo (1.25× for a landscape phone photo drafted to 2000 px, 1.9× for a portrait
# one decoded at full size) is the largest image resized: BICUBIC there costs a third less than LANCZOS, and
# at such small factors their outputs differ by less than the encoders' loss; the cascaded steps below it
# keep LANCZOS (measured in bench/README.md, "Image pipeline").
FIRST_STEP = Image.Resampling.BICUBIC
CASCADE_STEP = Image.Resampling.LANCZOS
_WHITE = (255, 255, 255)
_SWAPPING = frozenset({Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270, Image.Transpose.TRANSPOSE,
                       Image.Transpose.TRANSVERSE})


def encode_all(stored: Image.Image, turn: Image.Transpose | None, plan: Plan, missing: Sequence[RenditionSpec],
               cache_dir: Path) -> int:
    """Write the ``missing`` specs of ``plan``; returns how many files were written.

    ``stored`` is the decoded photo in stored orientation and ``turn`` the transpose that makes it
    upright. The widest size is resized from it and then turned (a rendition is cheaper to turn than the
    decode); every narrower size is resized from the one before it (``Plan.cascade``), as the specs'
    ``source_width`` and names say, so a rendition's bytes do not depend on which files happened to be
    missing. Sizes below the narrowest missing one are not made. Same-size specs share one resize.
    """
    if not missing:
        return 0
    narrowest = min(spec.width for spec in missing)
    written = 0
    current, upright = stored, turn is None
    for step, (width, height) in enumerate(plan.cascade()):
        if width < narrowest:
            break
        resample = CASCADE_STEP if step else FIRST_STEP
        if upright:
            current = resize(current, (width, height), resample)
        else:
            swapped = turn in _SWAPPING
            current = resize(current, (height, width) if swapped else (width, height), resample).transpose(turn)
            upright = True
        for spec in missing:
            if (spec.width, spec.height) == (width, height):
                write_atomic(current, spec, cache_dir / spec.site_path)
                written += 1
    return written


def resize(base: Image.Image, size: tuple[int, int],
           resample: Image.Resampling = Image.Resampling.LANCZOS) -> Image.Image:
    if base.size == size:
        return base
    return base.resize(size, resample, reducing_gap=REDUCING_GAP)


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
        out.save(path, "JPEG", quality=spec.quality, optimize=True, progressive=spec.progressive)
    elif spec.format == "webp":
        out.save(path, "WEBP", quality=spec.quality, method=spec.method)
    else:
        out.save(path, "PNG", compress_level=6)


def flatten_on_white(im: Image.Image) -> Image.Image:
    """JPEG has no alpha: composite on white so transparent areas do not turn black."""
    background = Image.new("RGB", im.size, _WHITE)
    background.paste(im, mask=im.getchannel("A"))
    return background
