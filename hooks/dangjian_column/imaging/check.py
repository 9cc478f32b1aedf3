"""``dangjian check``: every image the published site shows, header only (no pixel decoded).

The same images as the build (``media.image_requests``), judged by the pipeline's own header check
(``inspect_image``) and reported on the story or branch that shows them (``media.report_failures``).
For check a bad photo is an error: it is the gate before publishing. Headers are tiny reads, so
threads are enough (the work is I/O and Pillow releases the GIL while reading).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dangjian_column.content.catalog import Catalog
from dangjian_column.imaging import ImageFailure, PipelineResult, inspect_image
from dangjian_column.imaging.media import image_requests, report_failures
from dangjian_column.problems import ProblemLog

MAX_WORKERS = 8


def check_images(catalog: Catalog, root: Path, docs_dir: Path, log: ProblemLog) -> int:
    """Log an error for each image the pipeline would refuse; returns how many images were checked."""
    settings = catalog.settings.images
    requests, labels = image_requests(catalog, root, docs_dir)
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        results = list(pool.map(lambda r: inspect_image(r.source, settings, label=r.label), requests))
    failures = {r.label: result.message for r, result in zip(requests, results, strict=True)
                if isinstance(result, ImageFailure)}
    report_failures(PipelineResult(failures=failures), labels, catalog, log, level="error",
                    consequence="构建时会跳过这张照片")
    return len(requests)
