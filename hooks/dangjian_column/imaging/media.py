"""The column's images: which files go through the photo pipeline, and how pages show the results.

Only what the published site shows is processed: the photos of published stories, branch folder
images (logos as ``logo``), and images of hand-written pages. Photos of drafts and unapproved stories
never reach the site. Originals are never copied; pages get ``<picture>`` markup pointing at the
content-addressed renditions under ``media/``.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

from dangjian_column.content.branches import BRANCHES_DIR
from dangjian_column.content.catalog import Catalog
from dangjian_column.content.photos import is_image
from dangjian_column.content.references import tag_attributes
from dangjian_column.content.stories import STORIES_DIR
from dangjian_column.content.topics import TOPICS_DIR
from dangjian_column.imaging import (
    ImagePipeline,
    ImageRequest,
    ImageSettings,
    PipelineResult,
    ProcessedImage,
    Rendition,
    picture_html,
    prune,
)
from dangjian_column.problems import Level, ProblemLog

# ``sizes`` per place an image appears, matching column.css (cards 7.5rem wide, grid cells ~ 1/3 page).
# On phones the widths are stated at about 70 % of the real box: a DPR-3 phone then takes the 960-px
# rendition for a full-width cover (2.5 device px per CSS px, which the eye cannot tell from 3) instead
# of the 1600-px one, and 480 px for gallery cells. Measured on the 6-photo sample story, 390-px
# phone, before scrolling: 1,009 KB with true widths (bench/README.md, "Page weight on a phone").
# DPR 1.75–2 phones (Lighthouse's 412-px one: 70vw = 288 px × 1.75 = 505) take the 720-px rendition of
# the default ladder, where they took 960 before it had one (the story page's LCP, issue 14).
SIZES = {
    "cover": "(min-width: 960px) 800px, 70vw",
    "body": "(min-width: 960px) 800px, 70vw",
    "grid": "(min-width: 960px) 260px, 33vw",
    "card": "(min-width: 600px) 160px, 120px",
    "lead": "(min-width: 960px) 400px, 40vw",  # the home's lead story: full width on phones, the 480-px rendition
    "strip": "(min-width: 960px) 200px, 30vw",
    "logo": "120px",
    "chip": "32px",
}
LIGHTBOX_WIDTH = 1600


@dataclass
class MediaLibrary:
    """The processed images of one build, looked up by site path."""

    result: PipelineResult = field(default_factory=PipelineResult)
    labels: dict[str, str] = field(default_factory=dict)  # site path -> pipeline label

    def image(self, site_path: str) -> ProcessedImage | None:
        label = self.labels.get(site_path)
        return self.result.images.get(label) if label else None

    def is_source(self, site_path: str) -> bool:
        """A source image of the column (processed or failed): never copied into the site as is."""
        return site_path in self.labels

    def picture(self, site_path: str, alt: str, base_url: str, use: str = "body", *, lazy: bool = True,
                extra: str = "", css_class: str = "", priority: bool = False) -> str:
        """``<picture>`` for a page whose root is ``base_url`` (relative, e.g. ``../..``); "" if it failed."""
        image = self.image(site_path)
        if image is None:
            return ""
        markup = picture_html(image, alt, lambda p: _join(base_url, p), sizes=SIZES.get(use, SIZES["body"]),
                              css_class=css_class or f"dj-img dj-img--{use}", lazy=lazy,
                              priority=priority)
        return markup.replace("<img ", f"<img {extra} ", 1) if extra else markup

    def large_url(self, site_path: str, base_url: str) -> str:
        """The file the lightbox opens: the original when published, else the largest rendition."""
        image = self.image(site_path)
        if image is None:
            return ""
        target = image.original or image.closest(LIGHTBOX_WIDTH)
        return _join(base_url, target.site_path)

    def thumb_url(self, site_path: str, width: int = 480) -> str:
        """Site path of a small JPEG/PNG rendition (feeds, widget, search thumbnails); "" if none."""
        thumb = self.thumb(site_path, width)
        return thumb.site_path if thumb else ""

    def thumb(self, site_path: str, width: int = 480) -> Rendition | None:
        """The JPEG/PNG rendition ``thumb_url`` names (its size too); None if the image failed."""
        image = self.image(site_path)
        return image.closest(width) if image else None

    def thumb_set(self, site_path: str, widths: tuple[int, ...]) -> tuple[list[Rendition], list[Rendition]]:
        """For a small ``srcset``: the closest renditions to ``widths`` as (fallback JPEG/PNG, WebP), narrowest
        first; ([], []) if the image failed. Covers and logos have renditions at those widths (thumb_widths,
        logo_widths); any other image gets its narrowest ones."""
        image = self.image(site_path)
        if image is None:
            return [], []

        def pick(fmt: str) -> list[Rendition]:
            if not image.by_format(fmt):
                return []
            return sorted({image.closest(w, fmt) for w in widths}, key=lambda r: r.width)

        return pick(image.fallback_format), pick("webp")


def _join(base_url: str, site_path: str) -> str:
    return f"{base_url.rstrip('/')}/{site_path}" if base_url not in ("", ".") else site_path


def image_requests(catalog: Catalog, root: Path, docs_dir: Path) -> tuple[list[ImageRequest], dict[str, str]]:
    """Every image the published site shows, and site path -> label (project-relative path)."""
    requests: dict[str, ImageRequest] = {}
    labels: dict[str, str] = {}

    def add(site_path: str, source: Path, role: str = "photo") -> None:
        label = source.relative_to(root).as_posix() if source.is_relative_to(root) else source.as_posix()
        labels[site_path] = label
        if role == "cover" and label in requests:  # a cover elsewhere shown as a photo: it gets the thumbnails too
            requests[label] = ImageRequest(source=source, label=label, role=role)
        requests.setdefault(label, ImageRequest(source=source, label=label, role=role))

    for story in catalog.stories:
        for site_path in story.photos:
            add(site_path, docs_dir / site_path, "cover" if site_path == story.cover else "photo")
    for slug, branch in catalog.branches.items():
        for path in sorted((root / BRANCHES_DIR / slug).rglob("*")):
            if path.is_file() and is_image(path.name) and not path.name.startswith("."):
                site_path = path.relative_to(root).as_posix()
                add(site_path, path, "logo" if site_path == branch.logo else "photo")
    for slug in catalog.topics:  # topic banners and the images of their introductions
        for path in sorted((root / TOPICS_DIR / slug).rglob("*")):
            if path.is_file() and is_image(path.name) and not path.name.startswith("."):
                add(path.relative_to(root).as_posix(), path)
    for path in _page_images(docs_dir):  # hand-written pages' images (about.md, ...)
        add(path.relative_to(docs_dir).as_posix(), path)
    return list(requests.values()), labels


def _page_images(docs_dir: Path) -> list[Path]:
    """Images in content/ outside stories/ (whose photos go only with a published story); the stories
    tree, with its tens of thousands of files, is not walked."""
    found = []
    for top in sorted(docs_dir.iterdir()) if docs_dir.is_dir() else []:
        if top.name == STORIES_DIR or top.name.startswith("."):
            continue
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            parts = path.relative_to(docs_dir).parts
            if path.is_file() and is_image(path.name) and not any(p.startswith(".") for p in parts):
                found.append(path)
    return found


class Memo(Protocol):
    """The preview's memory (pages/memory.py PlanMemory): ``make()``, or its last value while ``inputs`` are equal."""

    def reuse(self, family: str, key: Hashable, inputs: tuple, make: Callable[[], PipelineResult]) -> PipelineResult:
        ...


def build_media(catalog: Catalog, root: Path, docs_dir: Path, settings: ImageSettings,
                log: ProblemLog, memory: Memo | None = None) -> MediaLibrary:
    """Process every image the site shows (cached, in parallel) and report failures per user.

    ``memory`` (the preview's) hands back the last result while the same images are asked for with the
    same settings and every source file has the size and modification time it had: the cache's index and
    folder need not be read again on each save (0.2 s at 9,000 stories, 1,000 photos)."""
    requests, labels = image_requests(catalog, root, docs_dir)
    pipeline = ImagePipeline(root / settings.cache_dir, settings)
    if memory is None:
        result = pipeline.process(requests)
    else:
        inputs = (tuple(requests), tuple(_source_stamp(r.source) for r in requests), settings)
        result = memory.reuse("photos", None, inputs, lambda: pipeline.process(requests))
    report_failures(result, labels, catalog, log)
    return MediaLibrary(result=result, labels=labels)


def _source_stamp(path: Path) -> tuple[int, int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1, -1)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def prune_unused(catalog: Catalog, root: Path, docs_dir: Path, settings: ImageSettings) -> tuple[int, int]:
    """Drop cached renditions no image of ``catalog`` uses; returns (kept, removed).

    Call it with a preview catalog (every story, approved or not): it is the superset of what a
    production or preview build asks for, so neither has to re-encode afterwards.
    """
    library = build_media(catalog, root, docs_dir, settings, ProblemLog())
    keep = library.result.site_paths()
    return len(keep), prune(root / settings.cache_dir, keep)


def forget_failed(catalog: Catalog, library: MediaLibrary) -> None:
    """Take photos the pipeline refused out of the stories and branches, before pages are planned.

    Galleries, counts, alt-text numbers, covers on cards and feeds then agree with what is shown.
    """
    failed = {site for site, label in library.labels.items() if label in library.result.failures}
    if not failed:
        return
    for story in catalog.stories:
        if failed.isdisjoint(story.photos):
            continue
        story.photos = tuple(p for p in story.photos if p not in failed)
        story.gallery = tuple(p for p in story.gallery if p.site_path not in failed)
        story.cover = "" if story.cover in failed else story.cover
    for branch in catalog.branches.values():
        if branch.logo in failed:
            branch.logo = ""


def report_failures(result: PipelineResult, labels: dict[str, str], catalog: Catalog, log: ProblemLog,
                    level: Level = "warning", consequence: str = "本次构建跳过这张照片") -> None:
    """Name each bad image with the story or branch that shows it: the file staff will open."""
    users = _users(catalog)
    by_label = {label: site for site, label in labels.items()}
    for label, message in sorted(result.failures.items()):
        owners = users.get(by_label.get(label, ""), [])
        for owner in owners or [label]:
            where = "" if owner == label else f"照片 {label}："
            log.add(owner, f"{where}{message}（{consequence}）", level=level, field="photos")


def _users(catalog: Catalog) -> dict[str, list[str]]:
    users: dict[str, list[str]] = defaultdict(list)
    for story in catalog.stories:
        for site_path in story.photos:
            users[site_path].append(story.source_path)
    for branch in catalog.branches.values():
        if branch.logo:
            users[branch.logo].append(branch.source_path)
    return users


# --- images written in page bodies --------------------------------------------------------------

_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_LINK_TAG = re.compile(r"<a\b[^>]*>", re.I)
_HREF = re.compile(r"""\bhref=("[^"]*"|'[^']*')""")


def _site_path(page_url: str, url: str) -> str:
    """A local URL MkDocs wrote relative to the page, as a site path ("" for external ones)."""
    if not url or ":" in url.split("/", 1)[0] or url.startswith("//"):
        return ""
    # MkDocs percent-encodes the paths it rewrites (Chinese names, spaces): compare decoded paths
    return posixpath.normpath(posixpath.join(page_url, unquote(url.split("#", 1)[0].split("?", 1)[0])))


def rewrite_body_images(page_html: str, page_url: str, base_url: str, library: MediaLibrary,
                        fallback_alt: Callable[[str, int], str]) -> str:
    """Each local ``<img>`` becomes responsive ``<picture>`` markup opening in the lightbox.

    ``page_url`` is the page's site-relative URL (``stories/2025/x/``): MkDocs wrote image ``src``
    relative to it. Images whose file failed in the pipeline are left out rather than shown broken.
    A link to a photo (``[看大图](x/01.jpg)``) opens the photo's large rendition: originals are not published.
    """
    counter = 0

    def relink(match: re.Match) -> str:
        # ``[看大图](x/01.jpg)``: originals are never published, so the link opens the large rendition
        site_path = _site_path(page_url, tag_attributes(match.group(0)).get("href", ""))
        large = library.large_url(site_path, base_url) if library.is_source(site_path) else ""
        return _HREF.sub(lambda _: f'href="{html.escape(large)}"', match.group(0), count=1) if large else match.group(0)

    def replace(match: re.Match) -> str:
        nonlocal counter
        attrs = tag_attributes(match.group(0))
        site_path = _site_path(page_url, attrs.get("src", ""))
        if not site_path or not library.is_source(site_path):
            return match.group(0)
        counter += 1
        alt = attrs.get("alt", "").strip() or fallback_alt(site_path, counter)
        picture = library.picture(site_path, alt, base_url, "body")
        if not picture:
            return ""
        # GLightbox inserts data-description as HTML: escaped for its innerHTML, then for the attribute
        caption = html.escape(html.escape(attrs.get("alt", "").strip()))
        href = html.escape(library.large_url(site_path, base_url))
        return f'<a class="dj-lightbox" href="{href}" data-gallery="body" data-description="{caption}">{picture}</a>'

    page_html = _LINK_TAG.sub(relink, page_html) if "<a" in page_html else page_html
    return _IMG_TAG.sub(replace, page_html)
