"""What the pipeline hands to templates: the published files of each image and the run's figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .plan import Plan, RenditionSpec, SourceFacts

Format = Literal["webp", "jpeg", "png"]


@dataclass(frozen=True)
class Rendition:
    site_path: str  # e.g. media/ab/ab12cd34ef56ab78-960.webp: content-addressed, cacheable forever
    cache_path: Path
    width: int
    height: int
    format: Format


@dataclass(frozen=True)
class ProcessedImage:
    label: str
    digest: str
    width: int  # upright size of the source
    height: int
    renditions: tuple[Rendition, ...]
    original: Rendition | None = None

    def by_format(self, fmt: str) -> list[Rendition]:
        return sorted((r for r in self.renditions if r.format == fmt), key=lambda r: r.width)

    @property
    def fallback_format(self) -> Format:
        """The format for ``<img src>``: PNG when the source has real transparency, else JPEG."""
        return "png" if any(r.format == "png" for r in self.renditions) else "jpeg"

    def largest(self, fmt: str | None = None) -> Rendition:
        return self.by_format(fmt or self.fallback_format)[-1]

    def closest(self, width: int, fmt: str | None = None) -> Rendition:
        """The smallest rendition at least ``width`` wide, or the largest there is."""
        candidates = self.by_format(fmt or self.fallback_format)
        return next((r for r in candidates if r.width >= width), candidates[-1])

    def files(self) -> tuple[Rendition, ...]:
        return (*self.renditions, self.original) if self.original else self.renditions


@dataclass
class PipelineResult:
    images: dict[str, ProcessedImage] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # label -> Chinese message
    encoded: int = 0  # rendition files written this run
    cached: int = 0  # rendition files found in the cache
    seconds: float = 0.0
    fresh: set[str] = field(default_factory=set)  # labels of images with at least one file encoded

    def summary(self) -> str:
        new = len(self.fresh)
        return (f"图片：新处理 {new} 张，使用缓存 {len(self.images) - new} 张，失败 {len(self.failures)} 张，"
                f"用时 {self.seconds:.1f} 秒")

    def site_paths(self) -> set[str]:
        return {r.site_path for image in self.images.values() for r in image.files()}


def processed_image(label: str, facts: SourceFacts, plan: Plan, cache_dir: Path) -> ProcessedImage:
    return ProcessedImage(label=label, digest=facts.digest, width=facts.width, height=facts.height,
                          renditions=tuple(_rendition(s, cache_dir) for s in plan.renditions),
                          original=_rendition(plan.original, cache_dir) if plan.original else None)


def _rendition(spec: RenditionSpec, cache_dir: Path) -> Rendition:
    return Rendition(site_path=spec.site_path, cache_path=cache_dir / spec.site_path, width=spec.width,
                     height=spec.height, format=spec.format)  # type: ignore[arg-type]
