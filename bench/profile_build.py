"""Profile ``mkdocs build`` of a project in-process with cProfile: where does the build time go?

Prints own time grouped by package (markdown, jinja2, mkdocs, material, the hooks, ...), the top
functions by own time and by cumulative time, and the cumulative time of each hook event.

Usage (a project made by ``generate_corpus.py``, or the floor kept by ``run_benchmark.py --keep``)::

    .venv/bin/python bench/profile_build.py /tmp/dangjian-bench-full/project --site-dir /tmp/prof-site
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

GROUPS = (
    ("dangjian_column/publishing/search/", "search index"),
    ("/numpy/", "numpy (search index)"),
    ("dangjian_column", "dangjian_column (domain)"),
    ("column_hooks", "hooks/column_hooks.py"),
    ("/markdown/", "markdown"),
    ("/pymdownx/", "pymdownx"),
    ("/jinja2/", "jinja2"),
    ("/material/", "material"),
    ("/mkdocs/", "mkdocs"),
    ("/yaml/", "yaml"),
    ("/pypinyin/", "pypinyin"),
    ("/xml/etree/", "xml.etree"),
    ("/re/", "re"),
    ("/html/", "html"),
    ("/pathlib", "pathlib"),
    ("/shutil", "shutil"),
    ("/posixpath", "posixpath"),
    ("/urllib/", "urllib"),
    ("/subprocess", "subprocess"),
)


def group_of(filename: str) -> str:
    for needle, name in GROUPS:
        if needle in filename:
            return name
    if filename == "~":
        return "builtins (C: regex, str, I/O, ...)"
    return "other: " + Path(filename).name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--site-dir", type=Path, required=True)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", type=Path, help="also write the raw profile here (for snakeviz etc.)")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(args.project / "mkdocs.yml"), site_dir=str(args.site_dir))
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    build(config)
    profiler.disable()
    wall = time.perf_counter() - start
    if args.save:
        profiler.dump_stats(str(args.save))
    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    print(f"\nbuild under cProfile: {wall:.1f} s wall, {total:.1f} s profiled own time")

    groups: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        groups[group_of(filename)] += tottime
    print("\nown time by package:")
    for name, seconds in sorted(groups.items(), key=lambda kv: -kv[1])[:18]:
        print(f"  {seconds:7.2f} s  {seconds / total:5.1%}  {name}")

    print("\nhook events (cumulative):")
    for (filename, _line, func), (_, ncalls, _, cumtime, _) in sorted(
            stats.stats.items(), key=lambda kv: -kv[1][3]):  # type: ignore[attr-defined]
        if "column_hooks" in filename and func.startswith("on_"):
            print(f"  {cumtime:7.2f} s  {ncalls:6d} calls  {func}")

    for key, label in (("tottime", "own time"), ("cumulative", "cumulative time")):
        print(f"\ntop {args.top} functions by {label}:")
        stats.sort_stats(key).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
