"""Page weight on a phone: bytes over the wire for the repository's own column, served by real nginx.

    .venv/bin/python bench/page_weight.py [--keep] [--out DIR]

Builds the sample site for http://127.0.0.1:<port>/dangjian/, serves it with nginx from
deploy/nginx.conf (gzip on; the same generated config as tests/test_deploy_nginx.py), and opens each
page in Chromium as a 390×844 phone (device scale factor 3, mobile UA, touch), each page in a fresh
context (cold cache). Bytes are Chromium's own figures (``request.sizes()``: response headers + encoded
body), workers included. "before scroll" is after load + network idle; "after scroll" adds what the
page fetched while scrolled to the bottom step by step (lazy images).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "devtools"))

from browser_support import BASE_PATH, CHROMIUM, LOCAL_HOST, free_port, launch_chromium, wait_http_ok  # noqa: E402
from local_nginx import DEPLOY_CONF, local_config, world_traversable_folder  # noqa: E402  (the deploy test's nginx config)
from phone_transfer import load_as_phone, story_path, summary  # noqa: E402

SEARCH_WORD = "岩芯"


def build_site(site: Path, port: int) -> float:
    env = {**os.environ, "SITE_URL": f"http://{LOCAL_HOST}:{port}{BASE_PATH}", "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(PROJECT / "mkdocs.yml"),
                           "-d", str(site)], env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    return time.perf_counter() - start


def start_nginx(tmp: Path, site: Path, port: int) -> subprocess.Popen:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / f"{name}_temp").mkdir(exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(local_config(DEPLOY_CONF.read_text(encoding="utf-8"), port, site, tmp), encoding="utf-8")
    log = (tmp / "stdout.log").open("wb")
    proc = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http_ok(f"http://{LOCAL_HOST}:{port}{BASE_PATH}", 15, proc)
    except BaseException:  # a server that never answered must not outlive the report
        proc.terminate()
        proc.wait(timeout=10)
        raise
    return proc


_RENDITION = re.compile(r"-(\d+)\.(?:webp|jpe?g|png|avif)$")


def kb(n: float) -> str:
    return f"{n:.1f}"


def report(pages: dict[str, dict]) -> str:
    lines = ["| page | requests (before / after scroll) | transferred KB (before / after) | "
             "of which images KB (before / after) |", "| --- | --- | --- | --- |"]
    for name, m in pages.items():
        rb, tb, ib = summary(m["before"])
        ra, ta, ia = summary(m["after"])
        lines.append(f"| {name} | {rb} / {ra} | {kb(tb)} / {kb(ta)} | {kb(ib)} / {kb(ia)} |")
    lines.append("")
    for name, m in pages.items():
        largest = sorted(m["before"].items(), key=lambda kv: -kv[1][0])[:5]
        lines.append(f"Largest before scrolling, {name}: " + "; ".join(
            f"`{urllib.parse.urlsplit(u).path.removeprefix(BASE_PATH) or '/'}` {kb(s / 1024)} KB"
            for u, (s, _) in largest))
    lines.append("")
    lines.append("Images shown after scrolling (file width vs. CSS width × DPR 3):")
    for name, m in pages.items():
        loaded_before = {i["src"] for i in m["images_before"]}
        seen = set()
        for image in m["images_after"]:
            if image["shown"] == 0 or (image["src"], image["shown"]) in seen:
                continue
            seen.add((image["src"], image["shown"]))
            # naturalWidth of a srcset pick is divided by its density; media/ names carry the file's width
            width = _RENDITION.search(image["src"])
            image["natural"] = int(width.group(1)) if width else image["natural"]
            need = image["shown"] * image["dpr"]
            ratio = image["natural"] / need if need else 0
            flag = " **oversized**" if ratio > 1.5 else (" (under)" if need and ratio < 0.67 else "")
            lines.append(f"- {name}: `{image['src'].removeprefix(BASE_PATH)}` {image['natural']} px for "
                         f"{image['shown']} CSS px (needs {need:.0f}), {'eager' if image['eager'] else 'lazy'}, "
                         f"{'loaded before scroll' if image['src'] in loaded_before else 'loaded on scroll'}{flag}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"needs {CHROMIUM}")
    tmp = args.out or world_traversable_folder()  # nginx workers run as another user
    tmp.mkdir(parents=True, exist_ok=True)
    site = tmp / "site"
    port = free_port()
    seconds = build_site(site, port)
    print(f"built in {seconds:.1f} s: {site}", file=sys.stderr)
    proc = start_nginx(tmp, site, port)
    base = f"http://{LOCAL_HOST}:{port}{BASE_PATH}"
    targets = {
        "home": ("", None),
        "story, 6 photos": (story_path(site), None),
        "branch": (sorted(p.parent.relative_to(site).as_posix() + "/"
                          for p in site.glob("branches/*/index.html"))[0], None),
        f"search `q={SEARCH_WORD}`": ("search/?q=" + urllib.parse.quote(SEARCH_WORD), ".dj-result__link"),
    }
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                pages = {}
                for name, (path, wait_for) in targets.items():
                    pages[f"{name} (`{urllib.parse.unquote(path) or '/'}`)"] = load_as_phone(browser, base + path,
                                                                                       wait_for)
            finally:
                browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if not args.keep and not args.out:
            shutil.rmtree(tmp, ignore_errors=True)
    print(report(pages))


if __name__ == "__main__":
    main()
