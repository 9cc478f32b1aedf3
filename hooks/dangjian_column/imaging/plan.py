"""Which files one source becomes, and their content-addressed names. Pure: no I/O, no Pillow.

A rendition's name hashes the source digest with exactly the parameters that shape that file, so a
settings change renames (and re-encodes) only the files it affects: changing ``webp_quality`` or
``webp_method`` leaves every JPEG name alone (and ``jpeg_quality`` or ``jpeg_progressive`` every WebP
one); adding a width adds its files and renames only the next narrower width, now resized from it.

Renditions cascade: the widest is resized from the decoded photo, each narrower one from the next
wider rendition (1600 → 960 → 480), which costs a fraction of resizing every width from the full
decode. The width a rendition is made from is part of its name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from dangjian_column.config.images import ImageSettings
from dangjian_column.pages.urls import rendition_url

# Bump when the encoder's output changes for the same parameters (resampling, encoder options),
# so caches built by an older version are not reused. 2: cascaded resizes (BICUBIC from the decode, LANCZOS
# below it) and rotation after resizing; the WebP method and JPEG progressive flag joined the recipe.
ENCODER_VERSION = 2
EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}
ORIGINAL_MIN_JPEG_QUALITY = 90  # "originals" should look like the original, not like a thumbnail


@dataclass(frozen=True)
class SourceFacts:
    """What the pipeline needs to know about a source's bytes; cached in the stat index by digest."""

    digest: str
    width: int  # upright
    height: int
    format: str
    has_alpha: bool  # real transparency, known after decoding


@dataclass(frozen=True)
class RenditionSpec:
    width: int
    height: int
    format: str  # "webp" | "jpeg" | "png"
    quality: int  # 0 for lossless PNG
    key: str
    method: int = 0  # WebP's effort (0 fastest … 6 smallest); unused by the other formats
    progressive: bool = False  # JPEG only
    source_width: int = 0  # the wider rendition this one is resized from; 0: from the decoded photo

    @property
    def site_path(self) -> str:
        return rendition_url(self.key, self.width, EXTENSIONS[self.format])


@dataclass(frozen=True)
class Plan:
    renditions: tuple[RenditionSpec, ...]  # webp first, then the fallback; ascending width in each
    original: RenditionSpec | None

    def all(self) -> tuple[RenditionSpec, ...]:
        """Every distinct file; an original identical to a full-width rendition is one file."""
        specs = (*self.renditions, self.original) if self.original else self.renditions
        return tuple(dict.fromkeys(specs))

    @property
    def max_width(self) -> int:
        return max(spec.width for spec in self.all())

    def cascade(self) -> list[tuple[int, int]]:
        """Every distinct (upright) size, widest first: the order renditions are resized in."""
        return sorted({(spec.width, spec.height) for spec in self.all()}, reverse=True)


def fallback_format(has_alpha: bool) -> str:
    return "png" if has_alpha else "jpeg"


def target_widths(source_width: int, wanted: tuple[int, ...]) -> tuple[int, ...]:
    """Never upscale: every wanted width at or above the source collapses into the source width."""
    return tuple(sorted({min(w, source_width) for w in wanted}))


def scaled_height(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


# A panorama's lightbox view at 1600 px wide would be a strip a few hundred pixels tall, too low to make
# anyone out: its large view keeps up to PANORAMA_HEIGHT px of height (at most PANORAMA_MAX_WIDTH wide).
# It is the plan's "original" slot, which only the lightbox uses, so pages' srcsets never offer it.
PANORAMA_RATIO = 2.5
PANORAMA_HEIGHT = 1000
PANORAMA_MAX_WIDTH = 6000


def panorama_view_width(width: int, height: int) -> int:
    """The width of a very wide photo's large view; 0 for an ordinary photo."""
    if width < PANORAMA_RATIO * height:
        return 0
    return min(width, round(PANORAMA_HEIGHT * width / height), PANORAMA_MAX_WIDTH)


def role_widths(role: str, settings: ImageSettings) -> tuple[int, ...]:
    """The widths a role asks for: logos their own; a story's cover the photo widths and the thumbnails'."""
    if role == "logo":
        return settings.logo_widths
    if role == "cover":
        return (*settings.widths, *settings.thumb_widths)
    return settings.widths


def plan_for(facts: SourceFacts, role: str, settings: ImageSettings) -> Plan:
    wanted = role_widths(role, settings)
    widths = target_widths(facts.width, wanted)
    fallback = fallback_format(facts.has_alpha)
    formats = ("webp", fallback) if settings.webp else (fallback,)
    original_width, original_quality = 0, 0
    if settings.publish_originals:
        original_width = facts.width
        original_quality = max(settings.jpeg_quality, ORIGINAL_MIN_JPEG_QUALITY) if fallback == "jpeg" else 0
    elif role != "logo" and panorama_view_width(facts.width, facts.height) > max(widths):
        original_width = panorama_view_width(facts.width, facts.height)
        original_quality = _quality(fallback, settings)
    sources = _cascade_sources((*widths, original_width) if original_width else widths)
    specs = [_spec(facts, fmt, w, _quality(fmt, settings), settings, sources[w]) for fmt in formats for w in widths]
    original = None
    if original_width:
        original = _spec(facts, fallback, original_width, original_quality, settings, sources[original_width])
    return Plan(renditions=tuple(specs), original=original)


def _cascade_sources(widths: tuple[int, ...]) -> dict[int, int]:
    """Each width -> the next wider one it is resized from (0 for the widest: the decoded photo)."""
    ordered = sorted(set(widths), reverse=True)
    return {width: (ordered[i - 1] if i else 0) for i, width in enumerate(ordered)}


def _quality(fmt: str, settings: ImageSettings) -> int:
    return {"webp": settings.webp_quality, "jpeg": settings.jpeg_quality}.get(fmt, 0)


def _spec(facts: SourceFacts, fmt: str, width: int, quality: int, settings: ImageSettings,
          source_width: int) -> RenditionSpec:
    # Every encoder setting that shapes this file is in its name: changing one re-encodes what it affects.
    method = settings.webp_method if fmt == "webp" else 0
    progressive = fmt == "jpeg" and settings.jpeg_progressive
    recipe = (f"v{ENCODER_VERSION}|{facts.digest}|{fmt}|{width}|{quality}|m{method}|p{int(progressive)}"
              f"|from{source_width}")
    key = hashlib.sha256(recipe.encode()).hexdigest()[:16]
    return RenditionSpec(width=width, height=scaled_height(facts.width, facts.height, width), format=fmt,
                         quality=quality, key=key, method=method, progressive=progressive, source_width=source_width)
