"""Time ``dangjian check`` on a generated 10,000-story project: wall time and peak memory of the process.

The project is made by ``generate_corpus.py`` (150 branches × 67 stories = 10,050 by default) into a
temporary folder unless ``--out`` is given; the repository's ``terminology.yml`` is copied in so the
wording lint runs as it would in production. Each round is a fresh process (``python -m
dangjian_column check``), so imports and the photo header check are included.

Usage::

    .venv/bin/python bench/check_benchmark.py                      # ≈ 1 min with generation
    .venv/bin/python bench/check_benchmark.py --out /tmp/corpus --keep --rounds 5
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "devtools"))  # shared with the tests

from generate_corpus import REPO, generate

TARGET_SECONDS = 10.0
TARGET_MB = 1024


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_check(root: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, exit code, output lines) of one ``dangjian check`` process.

    CPU time is reported too: the machine is shared, and wall time alone moves with the others' load.
    """
    cpu = child_cpu()
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(root), "check"],
                            capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"check failed with exit code {result.returncode}:\n{result.stderr}")
    return wall, child_cpu() - cpu, result.returncode, len(result.stdout.splitlines())


def peak_child_rss_mb() -> float:
    # ru_maxrss of RUSAGE_CHILDREN is the largest child waited for so far (kilobytes on Linux).
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="project folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the generated project")
    parser.add_argument("--reuse", action="store_true", help="use the project already in --out")
    parser.add_argument("--branches", type=int, default=150)
    parser.add_argument("--stories-per-branch", type=int, default=67)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    folder = args.out or Path(tempfile.mkdtemp(prefix="dangjian-check-"))
    root = folder if args.out else folder / "project"
    try:
        if not (args.reuse and (root / "mkdocs.yml").exists()):
            started = time.perf_counter()
            stats = generate(root, args.branches, args.stories_per_branch)
            print(f"generated {stats} in {time.perf_counter() - started:.1f} s")
        shutil.copy(REPO / "terminology.yml", root / "terminology.yml")
        stories = sum(1 for _ in (root / "content" / "stories").rglob("*.md"))
        print(f"project: {root} ({stories} story files)")
        walls = []
        for n in range(1, args.rounds + 1):
            wall, cpu, code, lines = run_check(root)
            walls.append(wall)
            print(f"round {n}: dangjian check {wall:.2f} s wall, {cpu:.2f} s CPU, exit {code}, {lines} output lines")
        peak = peak_child_rss_mb()
        best, worst = min(walls), max(walls)
        print(f"dangjian check on {stories} stories: {best:.2f}–{worst:.2f} s wall (target ≤ {TARGET_SECONDS:.0f} s), "
              f"peak RSS {peak:.0f} MB (target ≤ {TARGET_MB} MB)")
        return 0 if worst <= TARGET_SECONDS and peak <= TARGET_MB else 1
    finally:
        if not args.keep and args.out is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
