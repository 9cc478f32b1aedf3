"""``dangjian check``: every published story's local photos, header only (no pixel decoded).

Uses the photo pipeline's own ``inspect_image`` so check and build judge a photo the same way. Headers
are tiny reads, so threads are enough (the work is I/O and Pillow releases the GIL while reading).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .model import ColumnSettings, Story
from .problems import ProblemLog

MAX_WORKERS = 8


def check_story_images(docs_dir: Path, settings: ColumnSettings, stories: Iterable[Story], log: ProblemLog) -> int:
    """Log a problem (against the story) for each photo the pipeline would refuse; returns photos checked."""
    try:
        from .imaging import ImageFailure, image_settings_from, inspect_image
    except ImportError:  # the photo pipeline is not installed in this checkout: nothing to check with
        return 0
    image_settings = image_settings_from(settings.sections.get("images"), ProblemLog())  # settings reports its own
    owners: dict[str, Story] = {}
    for story in stories:
        for photo in story.photos:
            owners.setdefault(photo, story)
    docs_name = docs_dir.name

    def inspect(site_path: str):
        return inspect_image(docs_dir / site_path, image_settings, label=f"{docs_name}/{site_path}")

    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        results = list(pool.map(inspect, owners))
    for site_path, result in zip(owners, results, strict=True):
        if isinstance(result, ImageFailure):
            story = owners[site_path]
            field = "cover" if site_path == story.cover else "body"
            log.add(story.source_path, result.message, field=field)
    return len(owners)
