"""Header-only look at a photo, cheap enough for the ``check`` command over 40,000 files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dangjian_column.config.images import ImageSettings

from . import messages, sniff
from .decode import DECODE_ERRORS, decode_failure, decode_stored
from .source import open_image, pixel_limit


@dataclass(frozen=True)
class ImageInfo:
    """Upright size (EXIF orientations 5–8 already swapped), Pillow's format name, alpha channel."""

    width: int
    height: int
    format: str
    has_alpha: bool


@dataclass(frozen=True)
class ImageFailure:
    """Why the file cannot be published, in Chinese, naming the file and the fix."""

    message: str


def inspect_image(path: Path, settings: ImageSettings, label: str | None = None, *,
                  decode: bool = False) -> ImageInfo | ImageFailure:
    """Read the header: format, size, orientation; with ``decode`` also the pixels, as small as possible.

    ``check`` decodes: a truncated or corrupt JPEG has a perfect header, and the build finds it only when
    decoding. JPEG draft mode decodes at 1/8 scale, so this costs a fraction of the build's decode.

    ``has_alpha`` says the format carries an alpha channel or transparency; whether any pixel is
    really transparent is only known after decoding (the pipeline decides the fallback format then).
    """
    label = label or path.name
    try:
        with open(path, "rb") as fp:  # read-only: sources are never modified
            head = fp.read(sniff.HEAD_BYTES)
            fp.seek(0)
            with pixel_limit(settings.max_pixels):
                opened = open_image(fp, head, label, settings.max_pixels)
                if isinstance(opened, str):
                    return ImageFailure(opened)
                im, header = opened
                with im:
                    failure = _decode_failure(im, header, settings, label) if decode else None
                if failure is not None:
                    return ImageFailure(failure)
    except FileNotFoundError:
        return ImageFailure(messages.missing(label))
    except OSError as exc:
        return ImageFailure(messages.unreadable(label, exc.strerror or str(exc)))
    width, height = header.upright_size
    return ImageInfo(width=width, height=height, format=header.format, has_alpha=header.alpha_possible)


def _decode_failure(im, header, settings: ImageSettings, label: str) -> str | None:
    try:
        decode_stored(im, header, min(settings.widths))  # whether it decodes; no need to turn it
    except DECODE_ERRORS as exc:
        return decode_failure(exc, label)
    return None
