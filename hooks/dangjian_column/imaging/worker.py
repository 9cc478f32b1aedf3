"""One source in, its missing renditions out. Runs in a pool process on plain picklable data.

The worker reads the file once: the same bytes are hashed (the cache key) and decoded, so a new photo
costs one read. It never writes next to the source: only into the cache, atomically.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from dangjian_column.config.images import ImageSettings

from . import messages, sniff
from .decode import DECODE_ERRORS, decode_failure, decode_stored, has_real_alpha, upright_transpose
from .encode import encode_all
from .plan import Plan, RenditionSpec, SourceFacts, plan_for
from .source import Header, ensure_plugins, open_image, pixel_limit


@dataclass(frozen=True)
class Job:
    source: str
    label: str
    role: str
    settings: ImageSettings
    cache_dir: str
    known: SourceFacts | None = None  # from the stat index, when only some renditions are missing


@dataclass(frozen=True)
class Outcome:
    label: str
    source: str
    facts: SourceFacts | None = None
    message: str | None = None  # Chinese, for staff; set when the image failed
    size: int = 0
    mtime_ns: int = 0
    encoded: int = 0
    reused: int = 0


def init_worker() -> None:
    """Pool initializer: HEIF support in every worker process (the pixel limit is set per job)."""
    ensure_plugins()


def run_job(job: Job) -> Outcome:
    """Never raises: every problem becomes a Chinese message (staff never see a traceback)."""
    try:
        return _run(job)
    except FileNotFoundError:
        return Outcome(job.label, job.source, message=messages.missing(job.label))
    except MemoryError:
        return Outcome(job.label, job.source, message=messages.out_of_memory(job.label))
    except Exception as exc:
        return Outcome(job.label, job.source, message=messages.unexpected(job.label, exc))


def _run(job: Job) -> Outcome:
    try:
        with open(job.source, "rb") as fp:  # read-only
            stat = os.fstat(fp.fileno())
            data = fp.read()
    except FileNotFoundError:
        raise
    except OSError as exc:
        return Outcome(job.label, job.source, message=messages.unreadable(job.label, exc.strerror or str(exc)))
    base = Outcome(job.label, job.source, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
    digest = hashlib.sha256(data).hexdigest()
    with pixel_limit(job.settings.max_pixels):
        opened = open_image(io.BytesIO(data), data[: sniff.HEAD_BYTES], job.label, job.settings.max_pixels)
        if isinstance(opened, str):
            return replace(base, message=opened)
        im, header = opened
        with im:
            return _process(job, base, digest, im, header)


def _process(job: Job, base: Outcome, digest: str, im: Image.Image, header: Header) -> Outcome:
    cache_dir = Path(job.cache_dir)
    facts = _facts_without_decoding(job, digest, header)
    if facts is not None:
        plan = plan_for(facts, job.role, job.settings)
        missing = _missing(plan, cache_dir)
        if not missing:
            return replace(base, facts=facts, reused=len(plan.all()))
    # Widths do not depend on alpha, so the draft size is known before decoding.
    width, height = header.upright_size
    probe = plan_for(SourceFacts(digest, width, height, header.format, False), job.role, job.settings)
    try:
        pixels = decode_stored(im, header, probe.max_width)  # turned upright after resizing
    except DECODE_ERRORS as exc:
        return replace(base, message=decode_failure(exc, job.label))
    pixels.info = {}  # nothing of the source's metadata may reach an output (pixels may be `im` itself)
    facts = SourceFacts(digest, width, height, header.format, has_real_alpha(pixels))
    if pixels.mode == "RGBA" and not facts.has_alpha:
        pixels = pixels.convert("RGB")
    plan = plan_for(facts, job.role, job.settings)
    missing = _missing(plan, cache_dir)
    try:
        written = encode_all(pixels, upright_transpose(header), plan, missing, cache_dir)
    except OSError as exc:
        return replace(base, message=messages.write_failed(job.label, exc))
    return replace(base, facts=facts, encoded=written, reused=len(plan.all()) - written)


def _facts_without_decoding(job: Job, digest: str, header: Header) -> SourceFacts | None:
    """Known facts (stat index) or ones the header proves: no alpha possible means no decode needed."""
    if job.known is not None and job.known.digest == digest:
        return job.known
    if header.alpha_possible:
        return None  # whether the transparency is real is only known from the pixels
    width, height = header.upright_size
    return SourceFacts(digest, width, height, header.format, False)


def _missing(plan: Plan, cache_dir: Path) -> list[RenditionSpec]:
    return [spec for spec in plan.all() if not (cache_dir / spec.site_path).is_file()]

