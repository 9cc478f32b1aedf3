"""Which files one source becomes, and their content-addressed names. Pure: no I/O, no Pillow.

A rendition's name hashes the source digest with exactly the parameters that shape that file, so a
settings change renames (and re-encodes) only the files it affects: changing ``webp_quality`` leaves
every JPEG name alone, adding a width adds files without touching the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from dangjian_column.config.images import ImageSettings
from dangjian_column.pages.urls import rendition_url

# Bump when the encoder's output changes for the same parameters (resampling, encoder options),
# so caches built by an older version are not reused.
ENCODER_VERSION = 1
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


def plan_for(facts: SourceFacts, role: str, settings: ImageSettings) -> Plan:
    wanted = settings.logo_widths if role == "logo" else settings.widths
    widths = target_widths(facts.width, wanted)
    fallback = fallback_format(facts.has_alpha)
    formats = ("webp", fallback) if settings.webp else (fallback,)
    specs = [_spec(facts, fmt, w, _quality(fmt, settings)) for fmt in formats for w in widths]
    original = None
    if settings.publish_originals:
        quality = max(settings.jpeg_quality, ORIGINAL_MIN_JPEG_QUALITY) if fallback == "jpeg" else 0
        original = _spec(facts, fallback, facts.width, quality)
    elif role != "logo" and panorama_view_width(facts.width, facts.height) > max(widths):
        original = _spec(facts, fallback, panorama_view_width(facts.width, facts.height),
                         _quality(fallback, settings))
    return Plan(renditions=tuple(specs), original=original)


def _quality(fmt: str, settings: ImageSettings) -> int:
    return {"webp": settings.webp_quality, "jpeg": settings.jpeg_quality}.get(fmt, 0)


def _spec(facts: SourceFacts, fmt: str, width: int, quality: int) -> RenditionSpec:
    recipe = f"v{ENCODER_VERSION}|{facts.digest}|{fmt}|{width}|{quality}"
    key = hashlib.sha256(recipe.encode()).hexdigest()[:16]
    return RenditionSpec(width=width, height=scaled_height(facts.width, facts.height, width), format=fmt,
                         quality=quality, key=key)
