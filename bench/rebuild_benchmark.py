"""Issue 13's "a production rebuild with nothing changed ≤ 0.5× the cold build", measured in one run.

Each round, on the same generated corpus (150 branches × 60 stories = 9,000 by default), one after the other so
the three see the same machine load:

- **cold**: ``dangjian build`` with no ``.cache/`` (photo renditions, slugs, the rebuild record) and no site;
- **no change, full render**: ``dangjian build`` again with ``DANGJIAN_REUSE=0`` — warm caches, but every page,
  WeChat export and the search index made again (what every rebuild did before pages/reuse.py);
- **no change**: ``dangjian build`` again, reusing the last good site's unchanged pages;
- **one story edited** (``--edit``): a paragraph appended to one story, ``dangjian build`` again: its page, the
  listings its summary shows on and the search index (made again from the recorded bodies) are rendered. The
  story is put back afterwards.

CPU is user + sys of the ``dangjian`` process and everything it waited for (``os.wait4``: MkDocs' process, the
photo workers, the swap and the old site's removal); wall is the whole command. The ratios are printed per
round and for the medians; ``uptime``'s load is printed before each build (the machine is shared).

Usage::

    .venv/bin/python bench/rebuild_benchmark.py --rounds 2
    .venv/bin/python bench/rebuild_benchmark.py --branches 20 --stories-per-branch 10 --rounds 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "devtools"))

import generate_corpus  # noqa: E402
from run_benchmark import Run, run_child  # noqa: E402

TARGET = 0.5


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def dangjian_build(label: str, project: Path, log: Path, *, reuse: bool = True) -> Run:
    command = [sys.executable, "-m", "dangjian_column", "--root", str(project), "build"]
    saved = os.environ.get("DANGJIAN_REUSE")
    os.environ["DANGJIAN_REUSE"] = "1" if reuse else "0"  # run_child passes os.environ on
    try:
        print(f"  {label}: {load()}", flush=True)
        run = run_child(label, command, log)
    finally:
        if saved is None:
            os.environ.pop("DANGJIAN_REUSE", None)
        else:
            os.environ["DANGJIAN_REUSE"] = saved
    if run.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        raise SystemExit(f"{label} failed (exit {run.returncode}):\n" + "\n".join(tail))
    said = [line.split("-  ", 1)[-1] for line in log.read_text(encoding="utf-8").splitlines()
            if "增量重建" in line or "完整构建" in line or "站内搜索" in line]
    print(f"    {run.figures()}\n    " + "\n    ".join(said), flush=True)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=150)
    parser.add_argument("--stories-per-branch", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--project", type=Path, help="an existing generated project (default: generate one)")
    parser.add_argument("--out", type=Path, default=None, help="work folder (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--edit", action="store_true", help="also rebuild after one story was edited")
    args = parser.parse_args(argv)
    out = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="dangjian-rebuild-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        if args.project:
            project = args.project.resolve()
        else:
            project = out / "project"
            stats = generate_corpus.generate(project, args.branches, args.stories_per_branch)
            print(f"corpus: {stats.stories} stories in {project}")
        cold, full, reused = [], [], []
        for n in range(1, args.rounds + 1):
            print(f"round {n}")
            shutil.rmtree(project / ".cache", ignore_errors=True)
            shutil.rmtree(project / "site", ignore_errors=True)
            cold.append(dangjian_build("cold", project, out / f"cold-{n}.log"))
            full.append(dangjian_build("no change, full render", project, out / f"full-{n}.log", reuse=False))
            reused.append(dangjian_build("no change", project, out / f"reuse-{n}.log"))
            if args.edit:
                story = sorted((project / "content" / "stories").glob("*/*.md"))[len(cold) * 7]
                original = story.read_text(encoding="utf-8")
                story.write_text(original + "\n基准测试追加的一段正文。\n", encoding="utf-8")
                try:
                    edited = dangjian_build(f"one story edited ({story.name})", project, out / f"edit-{n}.log")
                finally:
                    story.write_text(original, encoding="utf-8")
                print(f"  CPU ratio one story edited / cold {edited.cpu / cold[-1].cpu:.2f}", flush=True)
            print(f"  CPU ratio no change / cold {reused[-1].cpu / cold[-1].cpu:.2f}, "
                  f"full render / cold {full[-1].cpu / cold[-1].cpu:.2f}; wall ratio "
                  f"{reused[-1].wall / cold[-1].wall:.2f}", flush=True)
        med = {name: (statistics.median(r.cpu for r in runs), statistics.median(r.wall for r in runs))
               for name, runs in (("cold", cold), ("full", full), ("reuse", reused))}
        ratio = med["reuse"][0] / med["cold"][0]
        print(f"medians over {args.rounds} round(s): cold {med['cold'][0]:.1f} s CPU / {med['cold'][1]:.1f} s wall; "
              f"no change, full render {med['full'][0]:.1f} / {med['full'][1]:.1f}; "
              f"no change {med['reuse'][0]:.1f} / {med['reuse'][1]:.1f}")
        print(f"CPU ratio no change / cold: {ratio:.2f} (target ≤ {TARGET}) {'OK' if ratio <= TARGET else 'OVER TARGET'}; "
              f"before this change (full render / cold): {med['full'][0] / med['cold'][0]:.2f}; {load()}")
        return 0 if ratio <= TARGET else 1
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
