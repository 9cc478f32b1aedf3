"""Header-only look at a photo, cheap enough for the ``check`` command over 40,000 files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dangjian_column.config.images import ImageSettings

from . import messages, sniff
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


def inspect_image(path: Path, settings: ImageSettings, label: str | None = None) -> ImageInfo | ImageFailure:
    """Read only the header: format, size, orientation. No pixel is decoded.

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
                im.close()
    except FileNotFoundError:
        return ImageFailure(messages.missing(label))
    except OSError as exc:
        return ImageFailure(messages.unreadable(label, exc.strerror or str(exc)))
    width, height = header.upright_size
    return ImageInfo(width=width, height=height, format=header.format, has_alpha=header.alpha_possible)
