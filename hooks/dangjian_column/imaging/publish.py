"""Put the cached renditions into the built site, and drop cache files no build uses any more."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .index import INDEX_FILE
from .result import PipelineResult, Rendition


def publish(result: PipelineResult, site_dir: Path) -> int:
    """Hard-link (or copy, across file systems) every rendition to ``site_dir/<site_path>``.

    Idempotent: a file already in place is left alone (names are content hashes, so same name means
    same bytes). Returns how many files the site holds for this result.
    """
    files = {r.site_path: r for image in result.images.values() for r in image.files()}
    folders: set[Path] = set()
    for rendition in files.values():
        _place(rendition, site_dir / rendition.site_path, folders)
    return len(files)


def _place(rendition: Rendition, target: Path, folders: set[Path]) -> None:
    if target.parent not in folders:  # one mkdir per folder, not per file (10,000 renditions at 9,000 stories)
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
    try:
        os.link(rendition.cache_path, target)  # atomic: a reader sees the whole file or none
        return
    except FileExistsError:
        return
    except OSError:  # other file system, or links not allowed: copy, then rename into place
        pass
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(rendition.cache_path, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def prune(cache_dir: Path, keep: set[str]) -> int:
    """Delete cached renditions whose site path is not in ``keep``; returns how many were deleted.

    Only call it with the site paths of a complete build (``PipelineResult.site_paths()``), otherwise
    it deletes what a partial build did not ask for.
    """
    media = cache_dir / "media"
    removed = 0
    if not media.is_dir():
        return 0
    for folder in media.iterdir():
        if not folder.is_dir():
            continue
        for file in folder.iterdir():
            site_path = f"media/{folder.name}/{file.name}"
            if file.name != INDEX_FILE and site_path not in keep:
                file.unlink(missing_ok=True)
                removed += 1
    return removed
