"""Run jobs over all cores with a process pool, with a progress bar when there is enough work.

Start method: ``forkserver`` where available (Linux), else ``spawn``. Never ``fork``: ``mkdocs serve``
runs threads (file watcher, livereload server) and forking a threaded process can deadlock. Workers
receive only plain dataclasses and import this package themselves.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from tqdm import tqdm

from . import messages
from .worker import Job, Outcome, init_worker, run_job

PROGRESS_MIN_JOBS = 8  # below this the work takes a few seconds at most: no bar
# No max_tasks_per_child: on CPython 3.11 a pool whose workers retire hangs once they have all exited
# (a known CPython bug in worker replacement); a 9,000-story build with ~1,000 photos stopped at the first 400.


def worker_count(configured: int, jobs: int) -> int:
    return max(1, min(configured or os.cpu_count() or 1, jobs))


def show_progress(forced: bool | None, jobs: int) -> bool:
    if forced is not None:
        return forced
    return jobs > PROGRESS_MIN_JOBS and sys.stderr.isatty()


def run_jobs(jobs: Sequence[Job], workers: int, progress: bool) -> Iterator[Outcome]:
    with tqdm(total=len(jobs), desc="处理图片", unit="张", file=sys.stderr, disable=not progress,
              dynamic_ncols=True) as bar:
        outcomes = _inline(jobs) if workers <= 1 else _pooled(jobs, workers)
        for outcome in outcomes:
            bar.update(1)
            yield outcome


def _inline(jobs: Sequence[Job]) -> Iterator[Outcome]:
    """One job or one worker: a pool would only add start-up time."""
    init_worker()
    for job in jobs:
        yield run_job(job)


def _pooled(jobs: Sequence[Job], workers: int) -> Iterator[Outcome]:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                             initializer=init_worker) as pool:
        futures: dict[Future[Outcome], Job] = {pool.submit(run_job, job): job for job in jobs}
        try:
            for future in as_completed(futures):
                yield _outcome(future, futures[future])
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _outcome(future: Future[Outcome], job: Job) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool:
        # A decoder crashed the worker (or it was killed for memory): report, keep the others going.
        return Outcome(job.label, job.source, message=messages.crashed(job.label))
