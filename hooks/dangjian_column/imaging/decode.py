"""Decode a source once, as small as the largest rendition allows, in 8-bit sRGB (RGB/RGBA), unrotated."""

from __future__ import annotations

import io
import math
import struct

from PIL import Image, ImageCms

from . import messages
from .source import Header

# What Pillow raises on broken pixel data (LOAD_TRUNCATED_IMAGES stays False).
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")
_SRGB = ImageCms.createProfile("sRGB")


def decode_stored(im: Image.Image, header: Header, max_width: int) -> Image.Image:
    """Pixels of the first frame in stored orientation, 8-bit sRGB, wide enough for ``max_width`` upright.

    JPEG draft mode lets libjpeg decode at 1/2, 1/4 or 1/8 scale, which is most of the speed-up for
    phone photos. ``thumbnail()`` would draft only to twice its own target and ``exif_transpose()``
    loads the full image, so the draft is asked for here, in stored orientation, before loading. The
    rotation is left to the caller: turning a resized rendition costs a fraction of turning the decode
    (a portrait phone photo is decoded at full size, 12 MP, for a 1600-px wide rendition).
    """
    _draft(im, header, max_width)
    im.load()  # raises OSError on truncated or broken data (LOAD_TRUNCATED_IMAGES stays False)
    return to_srgb_8bit(im, im.info.get("icc_profile"))


def upright_transpose(header: Header) -> Image.Transpose | None:
    """The transpose that turns stored pixels upright (EXIF orientation); None when already upright."""
    return _TRANSPOSE.get(header.orientation)


def decode_failure(exc: BaseException, label: str) -> str:
    """The one message for pixels that cannot be decoded: the build and ``check`` both say it."""
    is_truncated = "truncated" in str(exc).lower() or isinstance(exc, EOFError)
    return (messages.truncated if is_truncated else messages.corrupt)(label)


def _draft(im: Image.Image, header: Header, max_width: int) -> None:
    if header.format not in ("JPEG", "MPO"):
        return
    upright_width = header.upright_size[0]
    if max_width >= upright_width:
        return
    scale = max_width / upright_width
    im.draft(None, (math.ceil(header.stored_width * scale), math.ceil(header.stored_height * scale)))


def to_srgb_8bit(im: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB, or RGBA when the source carries alpha or transparency; colours converted to sRGB."""
    if im.mode in _SIXTEEN_BIT:
        # convert("L") would clip 16-bit values at 255 (a white image); scale them down instead.
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif im.mode == "F":
        im = im.convert("L")
    if icc:
        im = _apply_icc(im, icc)
    if im.mode in ("RGBA", "RGB") and "transparency" not in im.info:
        return im
    wants_alpha = "A" in im.getbands() or "a" in im.getbands() or "transparency" in im.info
    return im.convert("RGBA" if wants_alpha else "RGB")


def has_real_alpha(im: Image.Image) -> bool:
    """An alpha channel that is 255 everywhere is not transparency: such images publish as JPEG."""
    return im.mode == "RGBA" and im.getchannel("A").getextrema()[0] < 255


def _apply_icc(im: Image.Image, icc: bytes) -> Image.Image:
    """Convert from the embedded profile to sRGB (CMYK scans, Display P3 phones); keep pixels on failure."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (profile.profile.profile_description or "").lower().replace(" ", ""):
            return im
        alpha = im.getchannel("A") if im.mode in ("RGBA", "LA") else None
        colour = im.convert({"RGBA": "RGB", "LA": "L"}.get(im.mode, im.mode)) if alpha else im
        if colour.mode not in ("RGB", "CMYK", "L"):
            return im
        out = ImageCms.profileToProfile(colour, profile, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return im  # a broken or unusual profile: the naive conversion is better than no photo
    if out is None:
        return im
    if alpha is not None:
        out.putalpha(alpha)
    return out
