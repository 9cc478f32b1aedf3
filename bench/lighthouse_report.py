"""Lighthouse on every page kind of the sample column, served by real nginx: accessibility and performance.

    .venv/bin/python bench/lighthouse_report.py [--project DIR] [--only KIND] [--runs N] [--out DIR] [--keep]
    .venv/bin/python bench/lighthouse_report.py --compare DIR [--only KIND] [--runs N]   # DIR before, this after

Builds the column (the repository's own, or ``--project``'s checkout, for a before/after table) for
http://127.0.0.1:<port>/dangjian/, serves it with nginx from deploy/nginx.conf (as bench/page_weight.py
and tests/test_deploy_nginx.py do), and runs the Lighthouse CLI once per page kind with its default
mobile settings (Moto G Power, simulated slow 4G and 4× CPU) in Debian's Chromium. Prints a Markdown
table with the two scores, the performance metrics (FCP, LCP, TBT, CLS, speed index) and the failing
accessibility audits; ``--runs N`` repeats each page kind (performance moves from run to run) and ends with
each kind's median run, as Lighthouse's own guidance on variability advises.
Each row also gives the first frame as observed (Lighthouse's unsimulated FCP). Under machine load headless
Chromium sometimes holds it to a ~1-s step (1.2 or 2.3 s; paint holding across the navigation from about:blank,
which ``--disable-features=PaintHolding`` removes): the simulated speed index then starts from that frame, and
the run loses up to ~10 points. A page cannot turn that hold off, so the column says which runs had it.
``--compare DIR`` builds DIR's checkout ("before", e.g. a ``git archive`` of main) and this one ("after"),
serves both and runs them alternately, before then after for each run, so both see the same machine load.
``--lighthouse BIN`` runs another Lighthouse CLI: 12.2.3's trace-based audits (LCP element and breakdown,
render-blocking requests, layout shifts) fail with "reading 'frame_sequence'" on Debian's current Chromium;
a newer 12.x installed outside the repository reports them.

Lighthouse is the npm package, outside git (Node 20: 12.2.3, 13 wants Node 22):

    npm install --prefix bench/.node --save-exact lighthouse@12.2.3

Performance on a shared 2-core machine moves by a few points from run to run; accessibility does not.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))
sys.path.insert(0, str(PROJECT / "devtools"))

from browser_support import BASE_PATH, CHROMIUM, CHROMIUM_ARGS, LOCAL_HOST, free_port  # noqa: E402
from local_nginx import world_traversable_folder  # noqa: E402
from page_weight import SEARCH_WORD, start_nginx  # noqa: E402
from phone_transfer import story_path  # noqa: E402

LIGHTHOUSE = PROJECT / "bench" / ".node" / "node_modules" / ".bin" / "lighthouse"


def build(project: Path, site: Path, port: int) -> float:
    """``mkdocs build`` of ``project`` with its own hooks package first on the path (a before/after run)."""
    env = {**os.environ, "SITE_URL": f"http://{LOCAL_HOST}:{port}{BASE_PATH}", "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(project / "hooks")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                           "-d", str(site)], env=env, capture_output=True, text=True, timeout=900, cwd=project)
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    return time.perf_counter() - start


def page_kinds(site: Path) -> dict[str, str]:
    """One URL of each kind the column has (the first of its kind in the build)."""
    def first(pattern: str) -> str:
        found = sorted(site.glob(pattern))
        return found[0].parent.relative_to(site).as_posix() + "/" if found else ""

    story = story_path(site)
    kinds = {
        "home": "",
        "branch": first("branches/*/index.html"),
        "kind": first("kinds/*/index.html"),
        "year": first("archive/[0-9][0-9][0-9][0-9]/index.html"),
        "tag": first("tags/*/index.html"),
        "story": story,
        "search": "search/?q=" + urllib.parse.quote(SEARCH_WORD),
        "learning": "learning/",
        "stats": "stats/",
        "404": "404.html",  # what nginx serves for a stale link (as 200 here: Lighthouse stops on a 404)
        "WeChat export": story + "wechat/",
    }
    return {name: path for name, path in kinds.items() if path or name == "home"}


def lighthouse(url: str, out: Path, binary: Path = LIGHTHOUSE) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    subprocess.run([str(binary), url, "--quiet", "--only-categories=accessibility,performance",
                    "--output=json", f"--output-path={out}", f"--chrome-flags={flags}"],
                   env=env, check=True, timeout=300, capture_output=True)
    return json.loads(out.read_text(encoding="utf-8"))


METRICS = (("first-contentful-paint", "FCP"), ("largest-contentful-paint", "LCP"), ("total-blocking-time", "TBT"),
           ("cumulative-layout-shift", "CLS"), ("speed-index", "SI"))


HELD_FRAME_MS = 1000  # the held first frame comes at ~1.2 or ~2.3 s; an unheld one at 0.1-0.4 s on this machine


def observed_first_frame(report: dict) -> float | None:
    """Lighthouse's observed (not simulated) first contentful paint, in ms after navigation."""
    items = report["audits"].get("metrics", {}).get("details", {}).get("items") or [{}]
    return items[0].get("observedFirstContentfulPaint")


def score(report: dict, category: str) -> int:
    """A category's score as Lighthouse shows it, 0-100."""
    return round(report["categories"][category]["score"] * 100)


def row(name: str, report: dict) -> str:
    cats = report["categories"]
    failing = [a for a in cats["accessibility"]["auditRefs"]
               if a["weight"] and (report["audits"][a["id"]].get("score") is not None)
               and report["audits"][a["id"]]["score"] < 1]
    metrics = " ".join(f"{label} {report['audits'][key].get('displayValue', '?')}" for key, label in METRICS)
    frame = observed_first_frame(report)
    shown = "?" if frame is None else f"{frame:.0f} ms" + (" (held)" if frame >= HELD_FRAME_MS else "")
    return (f"| {name} | {score(report, 'accessibility')} | {score(report, 'performance')} | {metrics} | {shown} "
            f"| {', '.join(a['id'] for a in failing) or '—'} |")


def median_rows(reports: dict[str, list[dict]]) -> list[str]:
    """Per page kind (and before/after label): median performance, its range, lowest accessibility, held frames."""
    lines = ["", "| page kind | runs | performance: median (range) | accessibility: lowest | first frame held |",
             "| --- | --- | --- | --- | --- |"]
    for name, runs in reports.items():
        scores = [score(r, "performance") for r in runs]
        a11y = min(score(r, "accessibility") for r in runs)
        held = sum((observed_first_frame(r) or 0) >= HELD_FRAME_MS for r in runs)
        lines.append(f"| {name} | {len(runs)} | {statistics.median(scores):g} ({min(scores)}–{max(scores)}) "
                     f"| {a11y} | {held} of {len(runs)} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=PROJECT, help="checkout to build (default: this one)")
    parser.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (site, reports)")
    parser.add_argument("--only", action="append", help="just this page kind (repeatable), e.g. --only home")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page kind (default 1)")
    parser.add_argument("--compare", type=Path, help="checkout to build as 'before' and run alternately with --project")
    parser.add_argument("--lighthouse", type=Path, default=LIGHTHOUSE, help="the Lighthouse CLI to run")
    args = parser.parse_args()
    if not CHROMIUM.exists() or not args.lighthouse.exists():
        sys.exit(f"needs {CHROMIUM} and {args.lighthouse} (see the docstring)")
    tmp = args.out or world_traversable_folder()  # nginx workers run as another user
    tmp.mkdir(parents=True, exist_ok=True)
    versions = {"before": args.compare, "after": args.project} if args.compare else {"": args.project}
    servers: dict[str, tuple[Path, int]] = {}
    procs = []
    lines = ["| page kind | accessibility | performance (mobile) | metrics | first frame (observed) "
             "| accessibility audits not passed |", "| --- | --- | --- | --- | --- | --- |"]
    reports: dict[str, list[dict]] = {}
    try:
        for label, project in versions.items():
            work = tmp / label if label else tmp
            work.mkdir(parents=True, exist_ok=True)
            site, port = work / "site", free_port()
            print(f"{label or 'site'} built in {build(project.resolve(), site, port):.1f} s", file=sys.stderr)
            procs.append(start_nginx(work, site, port))
            servers[label] = (work, port)
        kinds = page_kinds(servers[next(iter(servers))][0] / "site")
        for name, path in kinds.items():
            if args.only and name not in args.only:
                continue
            for run in range(1, args.runs + 1):
                for label, (work, port) in servers.items():
                    suffix = f"-{run}" if args.runs > 1 else ""
                    load = os.getloadavg()[0]
                    report = lighthouse(f"http://{LOCAL_HOST}:{port}{BASE_PATH}{path}", work / f"{name}{suffix}.json",
                                        args.lighthouse)
                    shown = f"{name} ({label}, load {load:.1f})" if label else f"{name} (load {load:.1f})"
                    lines.append(row(shown, report))
                    print(lines[-1], file=sys.stderr)
                    reports.setdefault(f"{name} ({label})" if label else name, []).append(report)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
        if not args.keep and not args.out:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.runs > 1:
        lines += median_rows(reports)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
