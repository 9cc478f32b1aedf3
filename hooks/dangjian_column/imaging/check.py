"""``dangjian check``: every image the published site shows, judged as the build judges it.

The same images as the build (``media.image_requests``), the pipeline's own header check and decode
(``inspect_image(decode=True)``: a truncated JPEG has a perfect header), reported on the story or
branch that shows them by the build's ``media.report_failures``, at the build's level (a warning: the
story is published without the photo; ``--strict`` fails on it). Photos the build has already
processed (the stat index knows their size and time) are not decoded again. Decoding is drafted to the
smallest width and Pillow releases the GIL, so threads are enough.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dangjian_column.content.catalog import Catalog
from dangjian_column.imaging import ImageFailure, PipelineResult, inspect_image
from dangjian_column.imaging.index import StatIndex
from dangjian_column.imaging.media import image_requests, report_failures
from dangjian_column.imaging.pipeline import ImageRequest
from dangjian_column.problems import ProblemLog

MAX_WORKERS = 8


def check_images(catalog: Catalog, root: Path, docs_dir: Path, log: ProblemLog) -> int:
    """Log a warning for each image the build would skip; returns how many images were checked."""
    settings = catalog.settings.images
    index = StatIndex.load(root / settings.cache_dir)
    requests, labels = image_requests(catalog, root, docs_dir)

    def judge(request: ImageRequest) -> ImageFailure | None:
        result = inspect_image(request.source, settings, label=request.label, decode=not _known(index, request))
        return result if isinstance(result, ImageFailure) else None

    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        results = list(pool.map(judge, requests))
    failures = {r.label: result.message for r, result in zip(requests, results, strict=True) if result is not None}
    report_failures(PipelineResult(failures=failures), labels, catalog, log)
    return len(requests)


def _known(index: StatIndex, request: ImageRequest) -> bool:
    """The build decoded these very bytes before (same size and modification time)."""
    try:
        stat = os.stat(request.source)
    except OSError:
        return False
    return index.lookup(os.path.abspath(request.source), stat.st_size, stat.st_mtime_ns) is not None
