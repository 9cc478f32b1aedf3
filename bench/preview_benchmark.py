"""Save → page shows the edit, in `dangjian serve`'s preview, at 1,000 and 9,000 stories (issue 13).

For each corpus (``devtools/generate_corpus.py``) the script starts `dangjian serve` as staff do, waits for
the first build, then saves one story ``--edits`` times (a new sentence in its body each time) and polls
its preview URL until the page holds the sentence. It prints, per corpus: the first build's wall time, and
for the saves the minimum / median / maximum of the latency (save → the served page has the edit) and of
the CPU time the preview process spent per save, search index included (user + sys from /proc, so a
loaded machine shows).
Then one title edit (the story's URL moves, its neighbours and listings change) is timed the same way.

Usage::

    .venv/bin/python bench/preview_benchmark.py                   # 1,000 and 9,000 stories
    .venv/bin/python bench/preview_benchmark.py --sizes 1000 --edits 3
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "devtools"))

import generate_corpus  # noqa: E402
from http_wait import wait_for_text  # noqa: E402

PROBE = "content/stories/2025/bench-probe.md"
SIZES = {1000: (50, 20), 9000: (150, 60)}  # stories -> (branches, stories per branch)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def probe_text(branch: str, title: str, sentence: str) -> str:
    return (f"---\ntitle: {title}\ndate: 2025-06-01\nbranch: {branch}\nkind: 主题党日\nstatus: 已发布\n"
            f"slug: bench-probe\ntags: [红色教育]\n---\n\n测量预览速度的稿件。{sentence}\n")


def cpu_seconds(pid: int) -> float:
    """user + sys of the process, its waited-for children (/proc/<pid>/stat fields 14–17) and those running
    now (the preview forks a writer for the search index)."""
    def own(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a child that ended meanwhile: its parent's waited-for counts have it
            return 0.0
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return own(pid) + sum(own(int(child)) for child in children)


def update_cpu(log: Path) -> list[float]:
    """The CPU of each incremental update, as the preview logs it (the page's part of a save, without the index)."""
    found = re.findall(r"预览：更新 \d+ 个页面，用时 [\d.]+ 秒（CPU ([\d.]+) 秒）", log.read_text(encoding="utf-8"))
    return [float(x) for x in found]


def preview_pid(parent: int) -> int:
    """The preview process `dangjian serve` started (column_preview.py)."""
    for _ in range(600):
        for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
            if "column_preview" in Path(f"/proc/{child}/cmdline").read_text():
                return int(child)
        time.sleep(0.1)
    raise SystemExit("the preview process did not start")


def wait_until_idle(pid: int, timeout: float = 300) -> None:
    """Until the preview spends under 2 % of a core for two seconds running."""
    deadline, quiet, last = time.monotonic() + timeout, 0, cpu_seconds(pid)
    while quiet < 4 and time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now - last < 0.01 else 0
        last = now


def measure(stories: int, edits: int, workdir: Path) -> dict:
    branches, per_branch = SIZES.get(stories, (max(1, stories // 60), 60))
    project = workdir / f"corpus-{stories}"
    generate_corpus.main([str(project), "--branches", str(branches), "--stories-per-branch", str(per_branch)])
    branch = sorted(p.name for p in (project / "branches").iterdir() if p.is_dir())[0]
    probe = project / PROBE
    probe.write_text(probe_text(branch, "测速稿件", "初始。"), encoding="utf-8")
    port = free_port()
    started = time.monotonic()
    log = (workdir / f"serve-{stories}.log").open("w", encoding="utf-8")  # shown if a step fails
    server = subprocess.Popen([sys.executable, "-m", "dangjian_column", "--root", str(project), "serve",
                               "--addr", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "SITE_URL": "https://www.example.gov.cn/dangjian/"})
    try:
        url = f"http://127.0.0.1:{port}/dangjian/stories/2025/bench-probe/"
        first_build = wait_for_text(url, "初始。", timeout=1800) - started
        pid = preview_pid(server.pid)
        wait_until_idle(pid)
        latencies, cpus = [], []
        for n in range(edits):
            sentence = f"第{n + 1}次修改。"
            before_cpu, saved = cpu_seconds(pid), time.monotonic()
            probe.write_text(probe_text(branch, "测速稿件", sentence), encoding="utf-8")
            latencies.append(wait_for_text(url, sentence, timeout=600) - saved)
            wait_until_idle(pid)  # the search index follows the page (after 1.5 s without a save)
            cpus.append(cpu_seconds(pid) - before_cpu)
        saved = time.monotonic()
        probe.write_text(probe_text(branch, "测速稿件改了标题", "改标题。"), encoding="utf-8")
        title_latency = wait_for_text(url, "测速稿件改了标题", timeout=600) - saved
        wait_until_idle(pid)
        log.flush()
        updates = update_cpu(workdir / f"serve-{stories}.log")
        return {"stories": stories + 1, "first_build": first_build, "latency": latencies, "cpu": cpus,
                "title": title_latency, "update_cpu": updates[:edits]}
    except BaseException:
        lines = (workdir / f"serve-{stories}.log").read_text(encoding="utf-8").splitlines()
        print("\n".join(line for line in lines[-40:] if "提示" not in line), file=sys.stderr)
        raise
    finally:
        server.terminate()  # `dangjian serve` stops the preview too (it may be mid-build: give it time)
        try:
            server.wait(timeout=300)
        except subprocess.TimeoutExpired:
            server.kill()


def spread(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 9000])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    try:
        load = os.getloadavg()[0]
        print(f"load average at start: {load:.1f} (2 cores)")
        print("| stories | first preview build (wall s) | save → page shows it (s, min/median/max) "
              "| CPU of the update (s) | preview CPU per save, search index included (s) | title edit → page (s) |")
        print("|---|---|---|---|---|---|")
        for size in args.sizes:
            r = measure(size, args.edits, workdir)
            print(f"| {r['stories']:,} | {r['first_build']:.1f} | {spread(r['latency'])} | {spread(r['update_cpu'])} "
                  f"| {spread(r['cpu'])} | {r['title']:.2f} |", flush=True)
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
