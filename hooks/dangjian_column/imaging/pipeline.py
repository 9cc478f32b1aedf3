"""The image pipeline: source photos in, cached content-addressed renditions out.

Per request: a stat call and the stat index tell whether the bytes are known; when every planned file
is already in the cache, nothing is read or decoded. Everything else goes to the worker pool.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.config.images import ImageSettings

from . import messages
from .index import StatIndex
from .plan import plan_for
from .publish import prune, publish
from .result import PipelineResult, ProcessedImage, Rendition, processed_image
from .runner import run_jobs, show_progress, worker_count
from .worker import Job, Outcome

__all__ = ["ImagePipeline", "ImageRequest", "PipelineResult", "ProcessedImage", "Rendition", "prune",
           "publish"]


@dataclass(frozen=True)
class ImageRequest:
    source: Path
    label: str  # project-relative path, used in messages
    role: str = "photo"  # or "logo" (uses logo_widths), "cover" (widths and thumb_widths)


class ImagePipeline:
    def __init__(self, cache_dir: Path, settings: ImageSettings, *, progress: bool | None = None) -> None:
        self.cache_dir = Path(cache_dir)
        self.settings = settings
        self.progress = progress  # None: a bar only for > 8 images to encode and stderr a terminal

    def process(self, requests: Sequence[ImageRequest]) -> PipelineResult:
        started = time.perf_counter()
        result = PipelineResult()
        index = StatIndex.load(self.cache_dir)
        existing = _cached_files(self.cache_dir)
        jobs = []
        for request in _unique(requests):
            job = self._resolve_from_cache(request, index, existing, result)
            if job is not None:
                jobs.append(job)
        if jobs:
            workers = worker_count(self.settings.workers, len(jobs))
            by_label = {job.label: job for job in jobs}
            for outcome in run_jobs(jobs, workers, show_progress(self.progress, len(jobs))):
                self._record(outcome, by_label[outcome.label], index, result)
        index.save()
        result.seconds = time.perf_counter() - started
        return result

    def _resolve_from_cache(self, request: ImageRequest, index: StatIndex, existing: set[str],
                            result: PipelineResult) -> Job | None:
        """Answer from the cache when possible; otherwise the job that will do the work."""
        source = os.path.abspath(request.source)
        try:
            stat = os.stat(source)
        except FileNotFoundError:
            result.failures[request.label] = messages.missing(request.label)
            return None
        except OSError as exc:
            result.failures[request.label] = messages.unreadable(request.label, exc.strerror or str(exc))
            return None
        facts = index.lookup(source, stat.st_size, stat.st_mtime_ns)
        if facts is not None:
            plan = plan_for(facts, request.role, self.settings)
            if all(spec.site_path in existing for spec in plan.all()):
                result.images[request.label] = processed_image(request.label, facts, plan, self.cache_dir)
                result.cached += len(plan.all())
                return None
        return Job(source=source, label=request.label, role=request.role, settings=self.settings,
                   cache_dir=str(self.cache_dir), known=facts)

    def _record(self, outcome: Outcome, job: Job, index: StatIndex, result: PipelineResult) -> None:
        if outcome.message is not None or outcome.facts is None:
            result.failures[outcome.label] = outcome.message or messages.crashed(outcome.label)
            return
        index.record(outcome.source, outcome.size, outcome.mtime_ns, outcome.facts)
        plan = plan_for(outcome.facts, job.role, self.settings)
        result.images[outcome.label] = processed_image(outcome.label, outcome.facts, plan, self.cache_dir)
        result.encoded += outcome.encoded
        result.cached += outcome.reused
        if outcome.encoded:
            result.fresh.add(outcome.label)


def _unique(requests: Sequence[ImageRequest]) -> list[ImageRequest]:
    """The same label asked twice (a photo used by two pages) is processed once."""
    return list({request.label: request for request in requests}.values())


def _cached_files(cache_dir: Path) -> set[str]:
    """Every rendition in the cache, listed once: cheaper than a stat per planned file."""
    media = cache_dir / "media"
    found: set[str] = set()
    try:
        folders = list(os.scandir(media))
    except OSError:
        return found
    for folder in folders:
        if folder.is_dir():
            found.update(f"media/{folder.name}/{entry.name}" for entry in os.scandir(folder.path))
    return found
