"""A story's photos: the cover, the images in its body, and its gallery (the photo folder).

The body's images are found by ``references`` (Python-Markdown's own reading) and checked by
``reference_check``. Convention (AUTHORING.md): a story's photos live in the folder named like the story file, next to
it (``2025-03-zhuti-dangri.md`` → ``2025-03-zhuti-dangri/``). Every image in that folder that is
neither the cover nor shown in the body forms the gallery under the text. ``photos:`` in the front
matter gives captions and order; photos it does not list follow by file name.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.content.fields import FieldReader

# Everything staff may drop in a photo folder; the pipeline refuses what it cannot publish (SVG, ...).
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".tif", ".tiff",
                            ".bmp", ".svg"})

@dataclass(frozen=True)
class Photo:
    site_path: str  # relative to docs_dir, e.g. stories/2025/2025-03-x/03.jpg
    caption: str = ""


def is_image(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES


def photo_folder(src_uri: str) -> str:
    """The site path of a story's photo folder: its file name without ``.md``."""
    return src_uri[:-3] if src_uri.endswith(".md") else src_uri


def resolve(folder: str, target: str) -> str:
    """A path written in a story (relative to its folder, or /-rooted in content/) as a site path."""
    path = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
    return "" if path.startswith("..") else path


def read_gallery(fields: FieldReader, docs_dir: Path, src_uri: str, shown: set[str]
                 ) -> tuple[tuple[Photo, ...], dict[str, str]]:
    """The gallery (listed photos first, with captions, then the folder's other images by name), and the
    captions ``photos:`` gives for shown photos (the cover's caption is written there)."""
    folder = photo_folder(src_uri)
    listed = _listed(fields, docs_dir, folder)
    on_disk = _folder_images(docs_dir / folder, folder)
    gallery = [p for p in listed if p.site_path not in shown]
    seen = {p.site_path for p in listed} | shown
    gallery += [Photo(path) for path in on_disk if path not in seen]
    return tuple(gallery), {p.site_path: p.caption for p in listed if p.site_path in shown and p.caption}


def _folder_images(folder: Path, site_folder: str) -> list[str]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [f"{site_folder}/{e.name}" for e in entries
            if e.is_file() and is_image(e.name) and not e.name.startswith(".")]


def _listed(fields: FieldReader, docs_dir: Path, folder: str) -> list[Photo]:
    raw = fields.meta.get("photos")
    if raw in (None, "", []):
        return []
    items = _entries(raw)
    if items is None:
        fields.problem("photos", "photos 应是照片列表，每行写“- 文件名: 说明”，例如 - 03.jpg: 党员在剖面前重温入党誓词。",
                       level="warning")
        return []
    photos = []
    for name, caption in items:
        # a bare file name lives in the photo folder; a path is read like cover: (from the story's folder)
        site_path = resolve(folder, name) if "/" not in name else resolve(posixpath.dirname(folder), name)
        if not site_path or not (docs_dir / site_path).is_file():
            fields.problem("photos", f"photos 里的照片 {name} 不存在（在稿件的照片文件夹 content/{folder}/ 里查找）。"
                                     "请检查文件名、大小写和扩展名。", level="warning")
            continue
        photos.append(Photo(site_path, caption))
    return photos


def _entries(raw: object) -> list[tuple[str, str]] | None:
    """``- 03.jpg: 说明`` / ``- 03.jpg`` / ``- {file: 03.jpg, caption: 说明}`` / a mapping."""
    if isinstance(raw, dict):
        return [(str(k), str(v or "").strip()) for k, v in raw.items()]
    if not isinstance(raw, list):
        return None
    entries = []
    for item in raw:
        if isinstance(item, str):
            entries.append((item.strip(), ""))
        elif isinstance(item, dict) and "file" in item:
            entries.append((str(item["file"]).strip(), str(item.get("caption") or "").strip()))
        elif isinstance(item, dict) and len(item) == 1:
            name, caption = next(iter(item.items()))
            entries.append((str(name).strip(), str(caption or "").strip()))
        else:
            return None
    return entries


def alt_text(caption: str, title: str, number: int) -> str:
    """A caption is the alt text; a photo without one gets the story title and its number."""
    return caption or f"{title}（图{number}）"
