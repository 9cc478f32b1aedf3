"""Search at scale: recall and precision per query, phone bytes, the index's share of the build, memory.

    .venv/bin/python bench/search_benchmark.py                       # 150 branches × 60 stories = 9,000
    .venv/bin/python bench/search_benchmark.py --out /tmp/sbench --keep --reuse
    .venv/bin/python bench/search_benchmark.py --branches 12 --stories-per-branch 25   # quick

1. generates the benchmark corpus (``generate_corpus.py``, same seed as ``run_benchmark.py``);
2. builds it once with ``mkdocs build`` in a child process: wall time and peak RSS of the process tree
   (``os.wait4``); the search index's own time is the one the build logs (``站内搜索：… 用时 N 秒``);
3. runs every query of ``search_truth`` (the issue's seven words, 2/3/4-character words, kinds, places,
   brands, people, mixed queries) through the built site's own ``search-engine.js`` under node and scores
   it against the ground truth computed from the sources;
4. opens ``search/?q=党课`` (then 老党员, 党课进一线) as a 390×844 phone with a cold cache, served gzipped from
   127.0.0.1, and counts the bytes (CDP ``encodedDataLength``) up to the first results
   (``run_benchmark.phone_search``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "devtools"))  # the corpus generator, shared with the tests

import generate_corpus  # noqa: E402
from run_benchmark import (  # noqa: E402
    SEARCH_KB_TARGET,
    SEARCH_SECONDS,
    is_filter,
    is_image,
    is_search,
    kb,
    mb,
    mkdocs_build,
    phone_search,
    tree_size,
)
from search_truth import corpus_queries, read_sources, run_engine, score  # noqa: E402

ISSUE_WORDS = ["党课", "讲堂", "志愿", "安全", "学习", "地质", "党员"]  # the issue's "before" table
SHARE_TARGET, MEMORY_TARGET_MB = 0.25, 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=150)
    parser.add_argument("--stories-per-branch", type=int, default=60)
    parser.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--reuse", action="store_true", help="reuse a corpus already generated in --out")
    parser.add_argument("--query", nargs="+", default=["党课", "老党员", "党课进一线"],
                        help="queries the phone opens, one cold visit each (the first: the two-character target)")
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="search-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    project = out / "project"
    try:
        if not (args.reuse and (project / "mkdocs.yml").exists()):
            stats = generate_corpus.generate(project, args.branches, args.stories_per_branch)
            print(f"corpus: {stats.stories} stories, {stats.branches} branches, "
                  f"{stats.characters / stats.stories:.0f} characters per story")
        site = out / "site"
        shutil.rmtree(site, ignore_errors=True)
        run = mkdocs_build("build", project, site, out / "build.log")
        line = next((x for x in run.log.read_text(encoding="utf-8").splitlines() if "站内搜索" in x), "")
        found = SEARCH_SECONDS.search(line)
        index_seconds = float(found.group(1)) if found else float("nan")
        share = index_seconds / run.wall
        index_size, index_files = tree_size(site / "searchindex")
        print(f"build: {run.figures()} (load {os.getloadavg()[0]:.1f})\n  {line.strip()}")

        sources = read_sources(project)
        queries = {"问题中的词": ISSUE_WORDS, **corpus_queries(project)}
        flat = list(dict.fromkeys(q for qs in queries.values() for q in qs))
        results = run_engine(site, flat, timeout=1800)
        print("\n| class | query | stories containing it | returned | recall | precision |\n|---|---|---|---|---|---|")
        worst_recall = worst_precision = 1.0
        seen: set[str] = set()
        for cls, qs in queries.items():
            for q in qs:
                if q in seen:
                    continue
                seen.add(q)
                s = score(sources, q, results[q])
                worst_recall, worst_precision = min(worst_recall, s.recall), min(worst_precision, s.precision)
                print(f"| {cls} | {q} | {s.relevant:,} | {s.returned:,} | {s.recall:.3f} | {s.precision:.3f} |")

        rows = [("stories + branch profiles", f"{len(sources):,}"),
                ("worst recall / precision over the set", f"{worst_recall:.3f} / {worst_precision:.3f} "
                                                          f"(target ≥ 0.98 / ≥ 0.95)"),
                ("build (wall, CPU, peak RSS of the tree)", run.figures()),
                ("of which the search index", f"{index_seconds:.1f} s = {share:.0%} of the build "
                                              f"(target ≤ {SHARE_TARGET:.0%})"),
                ("peak memory of the build", f"{run.max_rss_mb:.0f} MB (target ≤ {MEMORY_TARGET_MB} MB)"),
                ("site/searchindex", f"{mb(index_size)} in {index_files:,} files")]
        for n, query in enumerate([] if args.skip_browser else args.query):
            phone = phone_search(site, query)
            later = phone.total(is_filter)
            first = phone.total() - later
            print(f"\nphone, {phone.url}: {phone.results_message}; {phone.result_count_shown} shown after "
                  f"{phone.seconds_to_results:.1f} s")
            for path, size in sorted(phone.responses, key=lambda r: -r[1]):
                kind = "search" if is_search(path) else "image" if is_image(path) else "page"
                print(f"    {size / 1024:7.1f} KB  {kind:6s} {path[:90]}")
            target = f" (target ≤ {SEARCH_KB_TARGET} KB)" if n == 0 else ""
            rows += [(f"phone, q={query}, to the first results", f"{kb(first)}{target}"),
                     ("    of which search (index files + engine)", kb(phone.total(is_search) - later)),
                     ("    then the filters (asked for after the results show)", kb(later))]
        print("\n| figure | value |\n|---|---|")
        for label, value in rows:
            print(f"| {label} | {value} |")
    finally:
        if not args.keep and args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
