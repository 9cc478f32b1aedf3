"""Opening a source image safely: allowed formats only, pixel limit from the header, no pixel decode.

Shared by the cheap ``inspect_image`` (check command) and the encoding worker, so both refuse the same
files with the same Chinese messages.
"""

from __future__ import annotations

import struct
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageFile, UnidentifiedImageError

from . import messages, sniff

# Only decoders that parse the header without running external programs (EPS would start Ghostscript)
# and that phones, scanners and screenshots produce. MPO is what Pillow calls many phone JPEGs.
ALLOWED_FORMATS = ("JPEG", "MPO", "PNG", "GIF", "WEBP", "BMP", "TIFF", "HEIF", "AVIF")

# Orientations 5–8 are rotated by 90°, so the upright width is the stored height.
SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})

_openable: tuple[str, ...] | None = None


def ensure_plugins() -> tuple[str, ...]:
    """Load Pillow's plugins and pillow-heif once per process (workers too); the formats we may open."""
    global _openable
    if _openable is None:
        try:
            from pillow_heif import register_heif_opener
        except ImportError:
            pass  # HEIC then fails with the "unknown format" message
        else:
            register_heif_opener()
        Image.init()  # Image.open(formats=...) only knows plugins already loaded
        _openable = tuple(name for name in ALLOWED_FORMATS if name in Image.OPEN)
    return _openable


# Pillow's guards are process globals, and `dangjian check` inspects photos from several threads: the
# first thread in sets them, the last one out restores them (saving and restoring per call would let
# one thread "restore" another's setting and leak it past the run).
_guard_lock = threading.Lock()
_guard_users = 0
_guard_saved: tuple = ()


@contextmanager
def pixel_limit(max_pixels: int) -> Iterator[None]:
    """Make Pillow's own bomb guard agree with ours, and never accept truncated data as complete."""
    global _guard_users, _guard_saved
    with _guard_lock:
        if _guard_users == 0:
            quiet = warnings.catch_warnings()
            quiet.__enter__()
            # Between 1× and 2× the limit Pillow only warns; we refuse those ourselves below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            _guard_saved = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES, quiet)
        _guard_users += 1
        Image.MAX_IMAGE_PIXELS = max_pixels
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        with _guard_lock:
            _guard_users -= 1
            if _guard_users == 0:
                Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES, quiet = _guard_saved
                quiet.__exit__(None, None, None)


@dataclass(frozen=True)
class Header:
    """What the header says, before any pixel is decoded."""

    format: str
    mode: str
    stored_width: int
    stored_height: int
    orientation: int
    alpha_possible: bool

    @property
    def upright_size(self) -> tuple[int, int]:
        if self.orientation in SWAPPING_ORIENTATIONS:
            return self.stored_height, self.stored_width
        return self.stored_width, self.stored_height


def open_image(fp: IO[bytes], head: bytes, label: str, max_pixels: int) -> tuple[Image.Image, Header] | str:
    """Open lazily and check the header; a Chinese message instead of an image when it must be refused.

    Must run inside ``pixel_limit(max_pixels)``.
    """
    refusal = sniff.refuse_by_content(head, label)
    if refusal:
        return refusal
    formats = ensure_plugins()
    try:
        im = Image.open(fp, formats=formats)
    except Image.DecompressionBombError:
        return _bomb_message(fp, head, label, max_pixels)
    except UnidentifiedImageError:
        if head[4:8] == b"ftyp" and "HEIF" not in formats:
            return messages.heif_unavailable(label)
        return sniff.unopenable_message(head, label)
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        # The signature matched but the header itself is broken.
        return messages.corrupt(label) if len(head) >= 64 else messages.truncated(label)
    header = read_header(im)
    width, height = header.upright_size
    if width * height > max_pixels:
        im.close()
        return messages.too_many_pixels(label, width, height, max_pixels)
    return im, header


def read_header(im: Image.Image) -> Header:
    if getattr(im, "n_frames", 1) > 1:
        im.seek(0)  # animations: the first frame is the one published
    try:
        orientation = int(im.getexif().get(0x0112, 1) or 1)
    except Exception:  # a broken EXIF block must not stop the photo: treat it as upright
        orientation = 1
    if orientation not in range(1, 9):
        orientation = 1
    alpha = "A" in im.getbands() or "transparency" in im.info or im.mode in ("P", "PA")
    return Header(format=im.format or "", mode=im.mode, stored_width=im.width, stored_height=im.height,
                  orientation=orientation, alpha_possible=alpha)


def _bomb_message(fp: IO[bytes], head: bytes, label: str, max_pixels: int) -> str:
    """Pillow refused at open (over 2× the limit); reopen without the guard just to name the size."""
    with _guard_lock:  # no other thread opens a photo while the guard is off
        saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            fp.seek(0)
            with Image.open(fp, formats=ensure_plugins()) as im:  # header only, never loaded
                width, height = im.size
        except Exception:
            width = height = 0
        finally:
            Image.MAX_IMAGE_PIXELS = saved
    return messages.too_many_pixels(label, width, height, max_pixels)

