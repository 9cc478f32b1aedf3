"""Benchmark the column at scale: build time and memory against a plain-Material floor, the domain layer's
linearity, and the bytes a phone downloads to see the first search results.

One run prints:

(a) the project's full build (``mkdocs build`` of a generated project, hooks + search index): wall time,
    CPU time and peak RSS of the child process tree (``os.wait4``); the search index's own time, from
    the build's log, to show its share;
(b) the floor: the same ``content/`` built by plain Material (same markdown_extensions, language zh,
    navigation.prune, ``plugins: []``, no hooks, default nav); and the ratio (a)/(b) (target ≤ 1.25);
(c) ``load_column`` (load + validate + index + plan) timed in-process at three corpus sizes, with µs per
    story to show it is linear, and a cProfile of the largest;
(d) bytes (CDP ``encodedDataLength``) a 390×844 phone downloads to open ``search/?q=<word>`` and see the
    first results, served from 127.0.0.1 by a static server that gzips text like a production server;
(e) the size of the site and of ``site/searchindex``.

Usage::

    .venv/bin/python bench/run_benchmark.py                 # 150 branches × 60 stories = 9,000
    .venv/bin/python bench/run_benchmark.py --branches 20 --stories-per-branch 10 --skip-floor

Everything is written to a temporary folder outside the repository (``--out`` to choose it, ``--keep``
to keep it).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import gzip
import io
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "devtools"))  # the corpus generator, shared with the tests
sys.path.insert(0, str(REPO / "hooks"))

import generate_corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# The build's own search step logs "站内搜索：… 用时 N 秒" (publishing.search.index_column).
SEARCH_SECONDS = re.compile(r"站内搜索：.*用时 ([\d.]+) 秒")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Mobile Safari/537.36")
BUILD_RATIO_TARGET = 1.25
SEARCH_KB_TARGET = 300


# --- child processes -----------------------------------------------------------------------------------

@dataclass
class Run:
    label: str
    wall: float
    cpu: float  # user + sys of the child and every descendant it waited for (wait4)
    max_rss_mb: float  # the largest single process (ru_maxrss)
    returncode: int
    log: Path
    tree_rss_mb: float = 0.0  # peak of the summed RSS of the whole process tree, sampled from /proc
    user: float = 0.0
    sys: float = 0.0

    def figures(self) -> str:
        return (f"{self.wall:7.1f} s wall, {self.cpu:7.1f} s CPU ({self.user:.1f} user + {self.sys:.1f} sys), "
                f"peak RSS {self.max_rss_mb:6.0f} MB (process tree {self.tree_rss_mb:6.0f} MB)")


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def tree_rss_bytes(root_pid: int) -> int:
    """Summed RSS of a process and all its descendants (/proc; 0 where there is none). Shared pages count
    once per process, so this is the conservative figure (forked photo workers share the parent's pages)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * _PAGE_SIZE
        except (OSError, IndexError, ValueError):
            pass
    return total


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process tree every ``interval`` seconds; ``peak`` is the largest seen."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def run_child(label: str, command: list[str], log_path: Path) -> Run:
    """Run a command; its own rusage from wait4 (ru_maxrss is the max over it and the children it waited for),
    and the peak of the whole tree's summed RSS sampled meanwhile."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    with log_path.open("wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        memory = TreeMemory(proc.pid)
        memory.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree_peak = memory.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(label, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, log_path,
               tree_rss_mb=max(tree_peak / 1024 / 1024, usage.ru_maxrss / 1024), user=usage.ru_utime,
               sys=usage.ru_stime)


def mkdocs_build(label: str, project: Path, site: Path, log_path: Path) -> Run:
    run = run_child(label, [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"),
                            "--site-dir", str(site)], log_path)
    if run.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        raise SystemExit(f"{label} failed (exit {run.returncode}):\n" + "\n".join(tail))
    return run


def log_summary(log_path: Path) -> tuple[int, str, list[str]]:
    text = log_path.read_text(encoding="utf-8", errors="replace")
    warnings = [line for line in text.splitlines() if line.startswith(("WARNING", "ERROR"))]
    built = re.search(r"Documentation built in ([\d.]+) seconds", text)
    return len(warnings), built.group(1) if built else "?", warnings[:5]


# --- (b) the floor -------------------------------------------------------------------------------------

class _AnyTagLoader(yaml.SafeLoader):
    pass


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def make_floor(project: Path, floor: Path, *, small_nav: bool = False) -> None:
    """Plain Material over a copy of the same content: the cost of MkDocs + Material themselves.

    With the default nav every story page lists all stories of its year folder (thousands of links),
    which makes the floor far heavier than the project; ``small_nav`` gives it the project's kind of
    nav instead (one page in nav, the stories ``not_in_nav``), a like-for-like floor.
    """
    source = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    config = {
        "site_name": source["site_name"],
        "docs_dir": "content",
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "zh", "features": ["navigation.prune"]},
        "plugins": [],
        "markdown_extensions": source["markdown_extensions"],
    }
    if small_nav:
        config["nav"] = [{"关于本栏": "about.md"}]
        config["not_in_nav"] = "/stories/**\n"
    floor.mkdir(parents=True)
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(project / "content", floor / "content")


# --- (c) the domain layer ----------------------------------------------------------------------------

@dataclass
class DomainTiming:
    stories: int
    published: int
    seconds: float

    @property
    def us_per_story(self) -> float:
        return self.seconds / self.stories * 1e6


def time_load_column(root: Path, repeats: int) -> DomainTiming:
    from dangjian_column.site import load_column

    best, published = float("inf"), 0
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        column = load_column(root, root / "content", generate_corpus.TODAY)
        best = min(best, time.perf_counter() - start)
        published = len(column.catalog.stories)
        errors = column.problems.errors()
        if errors:
            raise SystemExit(f"the generated corpus has errors, e.g. {errors[0].format()}")
        del column
    stories = sum(1 for _ in (root / "content" / "stories").rglob("*.md"))
    return DomainTiming(stories, published, best)


def profile_load_column(root: Path, top: int = 14) -> str:
    from dangjian_column.site import load_column

    profiler = cProfile.Profile()
    profiler.enable()
    load_column(root, root / "content", generate_corpus.TODAY)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    total = next((line.strip() for line in lines if "function calls" in line), "")
    return "\n".join([f"    {total}", *(f"    {line}" for line in lines[start:])])


# --- (d) the phone ------------------------------------------------------------------------------------

_COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


class _GzipHandler(SimpleHTTPRequestHandler):
    """A static server that gzips text (as nginx ``gzip on`` does)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # redirect to the slash URL
            path = os.path.join(path, "index.html")
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.endswith(_COMPRESSIBLE) and os.path.isfile(path)):
            return super().send_head()
        data = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(data)


@dataclass
class PhoneResult:
    url: str
    results_message: str
    result_count_shown: int
    responses: list[tuple[str, int]] = field(default_factory=list)  # (url path, encoded bytes)
    seconds_to_results: float = 0.0
    playwright_requests: int = 0  # cross-check: requests Playwright saw finish (page and workers)
    filled_from_playwright: list[str] = field(default_factory=list)

    def total(self, predicate=lambda path: True) -> int:
        return sum(size for path, size in self.responses if predicate(path))


def is_search(path: str) -> bool:
    return "/searchindex/" in path or path.endswith("/search-engine.js")


def is_filter(path: str) -> bool:
    return "/searchindex/" in path and path.endswith("/f.json")


def is_image(path: str) -> bool:
    return path.lower().endswith((".jpg", ".jpeg", ".png", ".webp", ".gif"))


def phone_search(site: Path, word: str) -> PhoneResult:
    from urllib.parse import quote, urlsplit

    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    url = f"{base}search/?q={quote(word)}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3,
                                          is_mobile=True, has_touch=True, user_agent=PHONE_UA, locale="zh-CN")
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            urls: dict[str, str] = {}
            pending: set[str] = set()
            done: list[tuple[str, int]] = []
            last_activity = [time.monotonic()]
            seen_by_playwright: list = []
            page.on("requestfinished", lambda request: seen_by_playwright.append(request))

            def on_network(method: str, params: dict, where: str) -> None:
                request_id = f"{where}:{params.get('requestId')}"
                if method == "Network.requestWillBeSent":
                    urls[request_id] = params["request"]["url"]
                    pending.add(request_id)
                elif method == "Network.loadingFinished":
                    pending.discard(request_id)
                    if request_id in urls:  # a worker request seen only half (no URL): _fill_missed sizes it
                        done.append((urlsplit(urls[request_id]).path, int(params["encodedDataLength"])))
                elif method == "Network.loadingFailed":
                    pending.discard(request_id)
                else:
                    return
                last_activity[0] = time.monotonic()

            def attached(event: dict) -> None:
                # A search engine in a Web Worker (Pagefind did this) makes requests the page's session does not see:
                # enable Network in each worker before it starts (it waits for us), then let it run.
                session = event["sessionId"]
                for n, method in enumerate(("Network.enable", "Runtime.runIfWaitingForDebugger"), start=1):
                    cdp.send("Target.sendMessageToTarget",
                             {"sessionId": session, "message": json.dumps({"id": n, "method": method})})

            def from_worker(event: dict) -> None:
                message = json.loads(event["message"])
                if "method" in message:
                    on_network(message["method"], message.get("params", {}), event["sessionId"])

            for method in ("Network.requestWillBeSent", "Network.loadingFinished", "Network.loadingFailed"):
                cdp.on(method, functools.partial(lambda m, params: on_network(m, params, "page"), method))
            cdp.on("Target.attachedToTarget", attached)
            cdp.on("Target.receivedMessageFromTarget", from_worker)
            cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False})
            start = time.monotonic()
            page.goto(url, wait_until="load")
            page.wait_for_selector(".dj-result", timeout=120_000)
            seconds = time.monotonic() - start
            quiet_until = time.monotonic() + 30
            while time.monotonic() < quiet_until:  # fragments and thumbnails of the first results
                page.wait_for_timeout(200)
                if not pending and time.monotonic() - last_activity[0] > 1.5:
                    break
            message = page.locator(".dj-search__status").first.inner_text(timeout=5_000)
            shown = page.locator(".dj-result").count()
            filled = _fill_missed(done, seen_by_playwright)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return PhoneResult(url=url, results_message=message.strip(), result_count_shown=shown,
                       responses=done, seconds_to_results=seconds, playwright_requests=len(seen_by_playwright),
                       filled_from_playwright=filled)


def _fill_missed(done: list[tuple[str, int]], requests: list) -> list[str]:
    """Requests our CDP listener missed because Playwright resumed the worker before our Network.enable.

    Their size is Playwright's transfer size, which it takes from the same ``Network.loadingFinished``
    ``encodedDataLength`` on its own CDP session of the worker (headers + encoded body).
    """
    from urllib.parse import urlsplit

    have: dict[str, int] = {}
    for path, _ in done:
        have[path] = have.get(path, 0) + 1
    filled = []
    for request in requests:
        path = urlsplit(request.url).path
        if have.get(path, 0) > 0:
            have[path] -= 1
            continue
        sizes = request.sizes()
        done.append((path, sizes["responseHeadersSize"] + sizes["responseBodySize"]))
        filled.append(path)
    return filled


# --- (e) sizes and helpers ----------------------------------------------------------------------------------

def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


COLD_RATIO_TARGET = 2.0  # issue 13: the cold build within 2x the like-for-like floor, by CPU time
TREE_RSS_TARGET_MB = 1024


@dataclass
class RatioRuns:
    project: list[Run]
    floor: list[Run]

    @staticmethod
    def _median(values: list[float]) -> float:
        ordered = sorted(values)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    def ratio(self) -> float:
        return self._median([r.cpu for r in self.project]) / self._median([r.cpu for r in self.floor])

    def lines(self) -> list[str]:
        lines = []
        for n, (p, f) in enumerate(zip(self.project, self.floor, strict=True), start=1):
            lines.append(f"round {n}: project {p.figures()}")
            lines.append(f"         floor   {f.figures()}   CPU ratio {p.cpu / f.cpu:.2f}")
        peak = max(r.tree_rss_mb for r in self.project)
        lines.append(f"median CPU: project {self._median([r.cpu for r in self.project]):.1f} s, floor "
                     f"{self._median([r.cpu for r in self.floor]):.1f} s; ratio {self.ratio():.2f} "
                     f"(target ≤ {COLD_RATIO_TARGET}) {'OK' if self.ratio() <= COLD_RATIO_TARGET else 'OVER TARGET'}; "
                     f"peak RSS of the project's process tree {peak:.0f} MB (target ≤ {TREE_RSS_TARGET_MB}) "
                     f"{'OK' if peak <= TREE_RSS_TARGET_MB else 'OVER TARGET'}; load {os.getloadavg()[0]:.1f}")
        return lines

    def summary(self) -> list[tuple[str, str]]:
        best = min(self.project, key=lambda r: r.cpu)
        return [("(g) cold project build, best round", best.figures()),
                ("    floor (b2), best round", min(self.floor, key=lambda r: r.cpu).figures()),
                ("    CPU ratio, medians", f"{self.ratio():.2f} (target ≤ {COLD_RATIO_TARGET})"),
                ("    peak RSS of the process tree", f"{max(r.tree_rss_mb for r in self.project):.0f} MB "
                                                     f"(target ≤ {TREE_RSS_TARGET_MB})")]


def cold_build_ratio(project: Path, out: Path, rounds: int) -> RatioRuns:
    """Issue 13's figure: the project's cold production build (no image cache, a fresh site folder) and the
    like-for-like floor (b2: plain Material over the same content/, stories not in the nav, no hooks, no
    search), alternately, so both see the same machine load. CPU time is user + sys of each process tree."""
    floor = out / "floor-g"
    shutil.rmtree(floor, ignore_errors=True)
    make_floor(project, floor, small_nav=True)
    runs = RatioRuns([], [])
    try:
        for n in range(rounds):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            shutil.rmtree(out / "site-project", ignore_errors=True)
            runs.project.append(mkdocs_build(f"cold build {n + 1}", project, out / "site-project",
                                             out / f"build-cold-{n + 1}.log"))
            shutil.rmtree(out / "site-floor-g", ignore_errors=True)
            runs.floor.append(mkdocs_build(f"floor {n + 1}", floor, out / "site-floor-g", out / f"build-floor-{n + 1}.log"))
    finally:
        shutil.rmtree(floor, ignore_errors=True)
        shutil.rmtree(out / "site-floor-g", ignore_errors=True)
    return runs


VIEWS_RATIO_TARGET = 1.10
VIEWS_OFF = "\nlearning_pages: false\nassessment_pages: false\n"


def views_cost(project: Path, out: Path, rounds: int = 3) -> tuple[float, list[str]]:
    """Builds alternate with the views on and off (same machine, same minute); best of each is compared.

    The search index is part of both builds; the ratio is of whole builds.
    """
    settings = project / "column.yml"
    original = settings.read_text(encoding="utf-8")
    best = {"on": float("inf"), "off": float("inf")}
    cpu: dict[str, list[float]] = {"on": [], "off": []}
    lines = []
    try:
        for n in range(rounds):
            for mode in ("on", "off"):
                settings.write_text(original + (VIEWS_OFF if mode == "off" else ""), encoding="utf-8")
                run = mkdocs_build(f"views {mode}", project, out / f"site-views-{mode}", out / f"build-views-{mode}.log")
                best[mode] = min(best[mode], run.wall)
                cpu[mode].append(run.cpu)
                lines.append(f"round {n + 1}, views {mode:3s}: {run.figures()}")
    finally:
        settings.write_text(original, encoding="utf-8")
        for mode in ("on", "off"):
            shutil.rmtree(out / f"site-views-{mode}", ignore_errors=True)
    lines.append(f"best of {rounds}: on {best['on']:.1f} s, off {best['off']:.1f} s; CPU time ratio (sum on / sum off): "
                 f"{sum(cpu['on']) / sum(cpu['off']):.3f}")
    return best["on"] / best["off"], lines


def count_stories_with(project: Path, word: str) -> int:
    return sum(1 for p in (project / "content" / "stories").rglob("*.md") if word in p.read_text(encoding="utf-8"))


def heading(text: str) -> None:
    print(f"\n=== {text}", flush=True)


# --- main ---------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=150)
    parser.add_argument("--stories-per-branch", type=int, default=60)
    parser.add_argument("--cover-share", type=float, default=0.10, help="share of stories with a cover photo")
    parser.add_argument("--query", default="党课", help="two-character word for the phone search")
    parser.add_argument("--skip-floor", action="store_true", help="do not build the plain-Material floor")
    parser.add_argument("--skip-browser", action="store_true", help="do not measure the phone search")
    parser.add_argument("--skip-views", action="store_true",
                        help="do not measure the cost of the learning and assessment views")
    parser.add_argument("--skip-domain", action="store_true", help="do not time load_column (c)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="(g) cold project build and like-for-like floor (b2), alternating, this many rounds")
    parser.add_argument("--ratio-only", action="store_true",
                        help="only (g), the issue-13 figure: same as --skip-domain --skip-views --skip-floor "
                             "--skip-browser, with --rounds 3 unless given")
    parser.add_argument("--preview", type=int, nargs="+", metavar="STORIES",
                        help="also the preview's save → page at these corpus sizes (issue 13: --preview 1000 9000)")
    parser.add_argument("--out", type=Path, default=None, help="work folder (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    if args.ratio_only:
        args.skip_domain = args.skip_views = args.skip_floor = args.skip_browser = True
        if "--rounds" not in " ".join(argv if argv is not None else sys.argv):
            args.rounds = 3

    out = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="dangjian-bench-"))
    if out.is_relative_to(REPO):
        parser.error("--out must be outside the repository")
    out.mkdir(parents=True, exist_ok=True)
    spb, nb = args.stories_per_branch, args.branches
    sizes = sorted({max(1, round(spb * f)) for f in (13 / 60, 30 / 60)} | {spb})
    print(f"work folder: {out}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, today for the corpus = {generate_corpus.TODAY}")
    summary: list[tuple[str, str]] = []
    try:
        heading(f"corpus: {nb} branches × {spb} stories")
        project = out / "project"
        stats = generate_corpus.generate(project, nb, spb, cover_share=args.cover_share)
        print(f"{stats.stories} stories ({stats.joint} joint), {stats.characters / stats.stories:.0f} characters per "
              f"story on average, generated in {stats.seconds:.1f} s")
        print(f"photos: {stats.photos_note}")
        corpus_size, corpus_files = tree_size(project)
        print(f"corpus on disk: {mb(corpus_size)} in {corpus_files} files")
        summary.append(("corpus", f"{nb} × {spb} = {stats.stories} stories, {mb(corpus_size)}"))

        if args.rounds > 0:
            heading(f"(g) issue 13: cold project build vs like-for-like floor (b2), alternating, {args.rounds} round(s)")
            ratio_runs = cold_build_ratio(project, out, args.rounds)
            for line in ratio_runs.lines():
                print(line)
            summary.extend(ratio_runs.summary())

        for stories in args.preview or ():  # issue 13: the preview's figure in the same run as the builds
            heading(f"(h) preview: save → page shows the edit, {stories} stories (preview_benchmark.py, 5 saves)")
            import preview_benchmark

            r = preview_benchmark.measure(stories, 5, out / "preview")
            line = (f"save → page {preview_benchmark.spread(r['latency'])} s (min / median / max), CPU of the update "
                    f"{preview_benchmark.spread(r['update_cpu'])} s, first build {r['first_build']:.1f} s wall, "
                    f"title edit {r['title']:.2f} s; load {os.getloadavg()[0]:.1f}")
            print(line)
            summary.append((f"(h) preview, {r['stories']:,} stories", line))

        if not args.skip_domain:
            heading("(c) domain layer: load_column (load + validate + index + plan), in-process, best of 3")
            domain_roots = {spb: project}
            for n in sizes:
                if n != spb:
                    domain_roots[n] = generate_corpus.generate(out / f"domain-{n}", nb, n,
                                                               cover_share=args.cover_share).root
            time_load_column(domain_roots[sizes[0]], 1)  # warm-up: imports, pypinyin dictionaries
            timings = []
            for n in sizes:
                timing = time_load_column(domain_roots[n], 3)
                timings.append(timing)
                print(f"{timing.stories:6d} stories ({nb} × {n:2d}): {timing.seconds:6.2f} s  "
                      f"{timing.us_per_story:6.0f} µs/story  ({timing.published} published)")
                summary.append((f"(c) load_column {timing.stories}",
                                f"{timing.seconds:.2f} s, {timing.us_per_story:.0f} µs/story"))
            growth = timings[-1].us_per_story / timings[0].us_per_story
            print(f"µs/story at {timings[-1].stories} ÷ at {timings[0].stories}: {growth:.2f} (1.00 = perfectly linear)")
            summary.append(("(c) linearity (µs/story large ÷ small)", f"{growth:.2f}"))
            for n in sizes:
                if n != spb:
                    shutil.rmtree(domain_roots[n], ignore_errors=True)
            print(f"cProfile of load_column at {timings[-1].stories} stories (top by own time):")
            print(profile_load_column(project))

        site = out / "site-project"
        if not args.ratio_only:
            heading("(a) project build: mkdocs build (hooks + Material + search index)")
            project_run = mkdocs_build("project build", project, site, out / "build-project.log")
            warnings, built_in, examples = log_summary(project_run.log)
            print(f"project build: {project_run.figures()}  (MkDocs says 'built in {built_in} s'; {warnings} warnings; "
                  f"load {os.getloadavg()[0]:.1f})")
            for line in examples:
                print(f"    {line}")
            search_line = next((line for line in project_run.log.read_text(encoding="utf-8").splitlines()
                                if "站内搜索" in line), "")
            print(f"    {search_line.strip()}")
            found = SEARCH_SECONDS.search(search_line)
            search_seconds = float(found.group(1)) if found else 0.0
            print(f"of which the search index: {search_seconds:.1f} s = {search_seconds / project_run.wall:.0%} of the build")
            summary.append(("(a) project build", project_run.figures()))
            summary.append(("    of which the search index", f"{search_seconds:.1f} s "
                                                              f"({search_seconds / project_run.wall:.0%})"))

        if not args.skip_views and not args.ratio_only:
            heading("(f) cost of the learning and assessment views: the same build with them switched off")
            ratio, lines = views_cost(project, out)
            for line in lines:
                print(line)
            verdict = "OK" if ratio <= VIEWS_RATIO_TARGET else "OVER TARGET"
            print(f"ratio with/without views: {ratio:.3f} (target ≤ {VIEWS_RATIO_TARGET}) {verdict}")
            summary.append(("(f) views on / views off", f"{ratio:.3f} (target ≤ {VIEWS_RATIO_TARGET}) {verdict}"))

        if not args.skip_floor:
            heading("(b) floor: plain Material, same content, plugins: [], no hooks, default nav")
            floor = out / "floor"
            make_floor(project, floor)
            floor_run = mkdocs_build("floor build", floor, out / "site-floor", out / "build-floor.log")
            warnings, built_in, _ = log_summary(floor_run.log)
            print(f"floor build:   {floor_run.figures()}  (MkDocs says 'built in {built_in} s'; {warnings} warnings; "
                  f"load {os.getloadavg()[0]:.1f}; site {mb(tree_size(out / 'site-floor')[0])})")
            ratio = project_run.wall / floor_run.wall
            verdict = "OK" if ratio <= BUILD_RATIO_TARGET else "OVER TARGET"
            print(f"ratio project/floor wall time: {ratio:.2f} (target ≤ {BUILD_RATIO_TARGET}) {verdict}; "
                  f"without the search index: {(project_run.wall - search_seconds) / floor_run.wall:.2f}; "
                  f"peak RSS ratio {project_run.max_rss_mb / floor_run.max_rss_mb:.2f}")
            summary.append(("(b) floor build", floor_run.figures()))
            summary.append(("    ratio (a)/(b) wall", f"{ratio:.2f} (target ≤ {BUILD_RATIO_TARGET}) {verdict}"))
            summary.append(("    ratio (a)/(b) without the search index",
                            f"{(project_run.wall - search_seconds) / floor_run.wall:.2f}"))
            shutil.rmtree(floor, ignore_errors=True)
            shutil.rmtree(out / "site-floor", ignore_errors=True)

            heading("(b2) like-for-like floor: as (b) but with a one-page nav and the stories not_in_nav")
            floor = out / "floor-small-nav"
            make_floor(project, floor, small_nav=True)
            small_run = mkdocs_build("small-nav floor", floor, out / "site-floor-small-nav",
                                     out / "build-floor-small-nav.log")
            print(f"small-nav floor: {small_run.figures()}  (load {os.getloadavg()[0]:.1f})")
            small_ratio = project_run.wall / small_run.wall
            print(f"ratio project/small-nav floor: {small_ratio:.2f}; without the search index: "
                  f"{(project_run.wall - search_seconds) / small_run.wall:.2f}; CPU time ratio "
                  f"{project_run.cpu / small_run.cpu:.2f}")
            summary.append(("(b2) small-nav floor", small_run.figures()))
            summary.append(("    ratio (a)/(b2) wall, without the search index",
                            f"{small_ratio:.2f}, {(project_run.wall - search_seconds) / small_run.wall:.2f}"))
            shutil.rmtree(floor, ignore_errors=True)
            shutil.rmtree(out / "site-floor-small-nav", ignore_errors=True)

        if not args.skip_browser:
            heading(f"(d) phone: open search/?q={args.query} on a 390×844 viewport, wait for the first results")
            containing = count_stories_with(project, args.query)
            print(f"stories containing “{args.query}”: {containing} of {stats.stories}")
            phone = phone_search(site, args.query)
            total = phone.total()
            search = phone.total(is_search)
            images = phone.total(is_image)
            shell = total - search - images
            print(f"{phone.url}\nthe page says: {phone.results_message!r}; results shown: {phone.result_count_shown}; "
                  f"first results after {phone.seconds_to_results:.1f} s")
            print(f"{len(phone.responses)} responses via CDP (page and any worker; "
                  f"Playwright saw {phone.playwright_requests} requests finish; "
                  f"{len(phone.filled_from_playwright)} the worker made before our listener was on, sized from "
                  f"Playwright's own loadingFinished: {', '.join(phone.filled_from_playwright) or 'none'}):")
            for path, size in sorted(phone.responses, key=lambda r: -r[1]):
                kind = "search" if is_search(path) else "image" if is_image(path) else "page"
                print(f"    {size / 1024:7.1f} KB  {kind:6s} {path[:90]}")
            # column.js asks for the filter chunks only after the first results are on screen.
            later = phone.total(is_filter)
            first = total - later
            verdict = "OK" if first <= SEARCH_KB_TARGET * 1024 else "OVER TARGET"
            print(f"to the first results {kb(first)} (target ≤ {SEARCH_KB_TARGET} KB) {verdict}; then filters "
                  f"{kb(later)}; all: {kb(total)} = search (searchindex/ + engine) {kb(search)}, page shell {kb(shell)}, "
                  f"images {kb(images)}")
            summary.append((f"(d) phone bytes, q={args.query}", f"{kb(first)} to first results (target ≤ "
                                                                 f"{SEARCH_KB_TARGET} KB) {verdict}; "
                                                                 f"{kb(total)} with filters"))
            summary.append(("    search-only (searchindex/ + engine)", kb(search)))
            summary.append(("    page shell / images", f"{kb(shell)} / {kb(images)}"))

        heading("(e) output size")
        site_size, site_files = tree_size(site)
        pf_size, pf_files = tree_size(site / "searchindex")
        print(f"site: {mb(site_size)} in {site_files} files; site/searchindex: {mb(pf_size)} in {pf_files} files")
        summary.append(("(e) site", f"{mb(site_size)} in {site_files} files"))
        summary.append(("    site/searchindex", f"{mb(pf_size)} in {pf_files} files"))
    finally:
        if summary:
            heading("summary")
            width = max(len(label) for label, _ in summary)
            for label, value in summary:
                print(f"{label:<{width}}  {value}")
        if args.keep:
            print(f"\nkept: {out}")
        else:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
