"""The repository's own column built for a sub-path and served by a real nginx with deploy/nginx.conf.

nginx runs from a config generated in tmp: the same server block, with only ``listen``,
``server_name`` and ``alias`` pointed at a free loopback port and the tmp build. As on the website
team's server, the site is made by ``dangjian build`` and nginx's workers run as an unprivileged user
(``nobody``), so a site another user cannot read shows up here as the 403 it is in production.
Without nginx (apt-get install nginx) the tests skip locally and fail in CI, like the browser tests.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from browser_support import (
    BASE_PATH,
    LOCAL_HOST,
    PageRecord,
    free_port,
)
from dangjian_column.config.publishing import PublishingSettings, check_base_url, publishing_settings_from
from dangjian_column.problems import ProblemLog
from local_nginx import DEPLOY_CONF, local_config, world_traversable_folder
from phone_transfer import load_as_phone, story_path, summary

PROJECT = Path(__file__).resolve().parents[1]
SEARCH_WORD = "岩芯"
ONE_YEAR_IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass
class Served:
    site: Path
    port: int
    master_pid: int

    def url(self, path: str = "") -> str:
        return f"http://{LOCAL_HOST}:{self.port}{BASE_PATH}{path}"

    def get(self, path: str, gzip: bool = True) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection(LOCAL_HOST, self.port, timeout=10)
        headers = {"Accept-Encoding": "gzip"} if gzip else {}
        conn.request("GET", BASE_PATH + path, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response


def _require_nginx() -> str:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        return nginx
    reason = "部署测试需要 nginx（apt-get install nginx）"
    if os.environ.get("CI"):
        pytest.fail(reason + "；CI 环境不允许跳过。", pytrace=False)
    pytest.skip(reason)


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 15) -> None:
    """Until nginx answers at all: what it answers (200 or 403) is for the tests to judge."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited early with code {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(LOCAL_HOST, port, timeout=2)
            conn.request("GET", BASE_PATH)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nginx not answering on {port} after {timeout}s")


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    nginx = _require_nginx()
    port = free_port()
    # nginx's prefix too: the host's own root (html/ under it, absent) then answers 404 as the official
    # site's would for /favicon.ico, not the 403 of a private folder.
    tmp = public = world_traversable_folder()
    site = public / "site"
    env = {**os.environ, "SITE_URL": f"http://{LOCAL_HOST}:{port}{BASE_PATH}", "NO_MKDOCS_2_WARNING": "1"}
    # The website team's command, from the project folder (the venv's own `dangjian` script), under the
    # usual umask 022; --site-dir only because the test must not replace the checkout's site/.
    dangjian = Path(sys.executable).parent / "dangjian"
    build = subprocess.run([str(dangjian), "build", "--site-dir", str(site)], cwd=PROJECT, env=env, umask=0o022,
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / f"{name}_temp").mkdir()
    conf = tmp / "nginx.conf"
    conf.write_text(local_config(DEPLOY_CONF.read_text(encoding="utf-8"), port, site, tmp), encoding="utf-8")
    test = subprocess.run([nginx, "-t", "-p", str(tmp), "-c", str(conf)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    with (tmp / "stdout.log").open("wb") as log:
        proc = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, proc)
        yield Served(site, port, proc.pid)
    finally:
        proc.terminate()  # SIGTERM: nginx's fast shutdown, workers included
        proc.wait(timeout=10)
        shutil.rmtree(public, ignore_errors=True)


def _first(site: Path, pattern: str) -> str:
    match = next(iter(sorted(site.glob(pattern))), None)
    assert match is not None, f"no {pattern} in the build"
    return match.relative_to(site).as_posix()


def _page_dir(site: Path, pattern: str) -> str:
    return _first(site, pattern + "/index.html").removesuffix("index.html")


# --------------------------------------------------------------------------- settings (no nginx needed)


@pytest.mark.parametrize("url", ["https://www.example.gov.cn/dangjian/", "http://127.0.0.1:8000/dangjian",
                                 "https://dj.example.gov.cn"])
def test_absolute_http_urls_are_valid_base_urls(url):
    assert check_base_url(url) is None


@pytest.mark.parametrize("url", ["", "/dangjian/", "www.example.gov.cn/dangjian/", "ftp://x.cn/", "https:///x"])
def test_other_base_urls_are_explained_in_chinese(url):
    message = check_base_url(url)
    assert message and "site_url" in message and "SITE_URL" in message and "https://" in message


def test_publishing_settings_defaults_and_values():
    log = ProblemLog()
    assert publishing_settings_from(None, log) == PublishingSettings(20, 6, 677)
    assert publishing_settings_from({"widget_count": 4}, log) == PublishingSettings(20, 4, 677)
    assert not log.items


@pytest.mark.parametrize("value", [0, -3, "六", 2.5, True])
def test_bad_counts_are_reported_naming_file_and_field(value):
    log = ProblemLog()
    assert publishing_settings_from({"widget_count": value}, log).widget_count == 6
    [problem] = log.items
    assert problem.path == "column.yml" and problem.field == "publishing.widget_count"
    assert "publishing.widget_count" in problem.message and "正整数" in problem.message


def test_the_repository_column_yml_has_a_valid_publishing_section():
    data = yaml.safe_load((PROJECT / "column.yml").read_text(encoding="utf-8"))
    log = ProblemLog()
    publishing_settings_from(data["publishing"], log)
    assert not log.items


# --------------------------------------------------------------------------- HTTP


def _worker_uids(master_pid: int) -> list[int]:
    uids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:  # the process ended while we looked
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            uids.append(int(fields["Uid"].split()[0]))
    return uids


def test_workers_run_as_an_unprivileged_user(served):
    uids = _worker_uids(served.master_pid)
    assert uids, "no nginx worker found"
    assert 0 not in uids, "nginx workers run as root: they would read a site nobody else can"


def test_every_kind_of_file_is_readable_by_the_workers(served):
    paths = {
        "home": "",
        "story": _page_dir(served.site, "stories/*/*"),
        "stylesheet": _first(served.site, "assets/stylesheets/main.*.min.css"),
        "image rendition": _first(served.site, "media/**/*.webp"),
        "search index": _first(served.site, "searchindex/manifest.json"),
        "feed": "feed.xml",
    }
    statuses = {name: served.get(path).status for name, path in paths.items()}
    assert statuses == dict.fromkeys(paths, 200), "403 means the built site is not readable by the web server's user"


def test_sub_path_without_slash_redirects(served):
    conn = http.client.HTTPConnection(LOCAL_HOST, served.port, timeout=10)
    conn.request("GET", BASE_PATH.rstrip("/"))
    response = conn.getresponse()
    assert response.status == 301 and response.getheader("Location").endswith(BASE_PATH)


def test_text_is_gzipped(served):
    for path in ("", _first(served.site, "assets/stylesheets/main.*.min.css"),
                 _first(served.site, "assets/javascripts/bundle.*.min.js"), "sitemap.xml"):
        response = served.get(path)
        assert response.status == 200, path
        assert response.getheader("Content-Encoding") == "gzip", path
        assert "Accept-Encoding" in (response.getheader("Vary") or ""), path


def test_hashed_assets_are_immutable_and_pages_short_lived(served):
    for pattern in ("assets/stylesheets/main.*.min.css", "assets/javascripts/bundle.*.min.js"):
        assert served.get(_first(served.site, pattern)).getheader("Cache-Control") == ONE_YEAR_IMMUTABLE
    for path in ("", "sitemap.xml", "assets/stylesheets/column.css"):  # column.css has no hash in its name
        assert served.get(path).getheader("Cache-Control") == "public, max-age=300", path


def test_search_index_is_gzipped_immutable_and_its_manifest_short_lived(served):
    """A build writes its index into a new searchindex/<hash>/ folder; only manifest.json points at it."""
    manifest = served.get("searchindex/manifest.json")
    assert manifest.getheader("Cache-Control") == "public, max-age=300"
    folder = json.loads((served.site / "searchindex" / "manifest.json").read_text(encoding="utf-8"))["dir"]
    response = served.get(f"searchindex/{folder}d/0.json")
    assert response.status == 200
    assert response.getheader("Cache-Control") == ONE_YEAR_IMMUTABLE
    assert response.getheader("Content-Encoding") == "gzip"


def test_media_images_are_immutable_when_the_build_has_them(served):
    media = sorted(p for p in (served.site / "media").rglob("*") if p.is_file()) if (
        served.site / "media").is_dir() else []
    if not media:
        pytest.skip("构建里还没有 media/（图片按内容命名的功能尚未接入），跳过 media/ 的缓存检查")
    response = served.get(media[0].relative_to(served.site).as_posix())
    assert response.getheader("Cache-Control") == ONE_YEAR_IMMUTABLE


def test_content_types(served):
    expected = {"sitemap.xml": "text/xml", "index.html": "text/html"}
    for path in list(served.site.rglob("*.json"))[:1] + list(served.site.rglob("*.webp"))[:1]:
        rel = path.relative_to(served.site).as_posix()
        expected[rel] = "application/json" if rel.endswith(".json") else "image/webp"
    for path, mime in expected.items():
        assert served.get(path).getheader("Content-Type").split(";")[0] == mime, path
    assert "charset=utf-8" in served.get("sitemap.xml").getheader("Content-Type")


def test_missing_page_gets_the_columns_404(served):
    response = served.get("no/such/page/")
    assert response.status == 404
    conn = http.client.HTTPConnection(LOCAL_HOST, served.port, timeout=10)
    conn.request("GET", BASE_PATH + "no/such/page/")
    body = conn.getresponse().read().decode("utf-8")
    assert "页面找不到了" in body and "assets/stylesheets/main." in body  # the column's own Chinese 404


# --------------------------------------------------------------------------- browser


def _pages(site: Path) -> dict[str, str]:
    return {
        "home": "",
        "branch list": "branches/",
        "branch": _page_dir(site, "branches/*"),
        "story": _page_dir(site, "stories/*/*"),
        "gallery": _page_dir(site, "branches/*/photos"),
        "kind": _page_dir(site, "kinds/*"),
        "archive": "archive/",
        "tag": _page_dir(site, "tags/*"),
        "search": "search/?q=" + urllib.parse.quote(SEARCH_WORD),
    }


def _extras(site: Path) -> dict[str, str | None]:
    wechat = next(iter(sorted(site.glob("stories/*/*/wechat/index.html"))), None)
    named = {"RSS": "feed.xml", "JSON Feed": "feed.json", "首页小窗": "widget/latest.html",
             "首页小窗 JSON": "widget/latest.json"}
    extras: dict[str, str | None] = {k: (v if (site / v).is_file() else None) for k, v in named.items()}
    extras["公众号导出页"] = wechat.relative_to(site).as_posix().removesuffix("index.html") if wechat else None
    return extras


def _visit(browser, served: Served, path: str, *, expect_status: int = 200) -> tuple:
    context = browser.new_context()
    page = context.new_page()
    record = PageRecord().attach(page)
    response = page.goto(served.url(path), wait_until="networkidle")
    assert response.status == expect_status, path
    if path.startswith("search/"):
        page.wait_for_selector(".dj-result__link", timeout=15_000)
    broken = page.evaluate("""async () => {
        const images = Array.from(document.images);
        images.forEach(i => { i.loading = 'eager'; });
        await Promise.all(images.map(i => i.complete ? null :
            new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); setTimeout(r, 8000); })));
        return images.filter(i => i.naturalWidth === 0).map(i => i.currentSrc || i.src);
    }""")
    page.wait_for_load_state("networkidle")
    return context, page, record, broken


def _assert_clean(path: str, record: PageRecord, broken: list[str], ignore: str = "") -> None:
    assert record.requests, path
    assert record.foreign_requests() == [], f"{path}: requests left {LOCAL_HOST}"
    failures = [f for f in record.failures if not (ignore and f.startswith(ignore))]
    assert failures == [], f"{path}: failed requests"
    errors = [e for e in record.console_errors if not (ignore and "404" in e)]
    assert errors == [], f"{path}: console errors"
    assert broken == [], f"{path}: broken images"


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["home", "branch list", "branch", "story", "gallery", "kind", "archive", "tag",
                                  "search"])
def test_every_page_kind_under_the_sub_path(browser, served, kind):
    path = _pages(served.site)[kind]
    context, _page, record, broken = _visit(browser, served, path)
    try:
        _assert_clean(path, record, broken)
        assert all(urllib.parse.urlsplit(u).path.startswith(BASE_PATH) for u in record.requests
                   if u.startswith("http")), "a request left the sub-path"
    finally:
        context.close()


# Issue 14's budgets: what a 390-px DPR-3 phone fetches before scrolling, the figures of the day the issue was filed
# (bench/page_weight.py measures the same way; 2026-12-01: home 209 KB, the six-photo story 351 KB).
PAGE_WEIGHT_BUDGETS_KB = {"home": 310, "story, 6 photos": 425}


@pytest.mark.browser
def test_phone_page_weight_stays_within_the_budgets(browser, served):
    pages = {"home": "", "story, 6 photos": story_path(served.site)}
    for name, path in pages.items():
        fetched = load_as_phone(browser, served.url(path))["before"]
        requests, total_kb, images_kb = summary(fetched)
        assert images_kb > 0, (name, fetched)  # the photos above the fold were counted: the figure is real
        assert total_kb <= PAGE_WEIGHT_BUDGETS_KB[name], f"{name}: {total_kb:.1f} KB in {requests} requests"


@pytest.mark.browser
def test_404_page_renders_styled(browser, served):
    missing = served.url("no/such/page/")
    context, page, record, broken = _visit(browser, served, "no/such/page/", expect_status=404)
    try:
        _assert_clean("404", record, broken, ignore=missing)
        styled = page.evaluate("""() => {
            const sheets = Array.from(document.styleSheets).filter(s => s.href && s.href.includes('/main.'));
            const header = document.querySelector('.md-header');
            return sheets.length > 0 && sheets[0].cssRules.length > 100 && !!header
                && getComputedStyle(header).position === 'sticky';
        }""")
        assert styled, "the 404 page's stylesheet did not load"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["RSS", "JSON Feed", "首页小窗", "首页小窗 JSON", "公众号导出页"])
def test_published_extras_when_built(browser, served, name):
    path = _extras(served.site)[name]
    if path is None:
        pytest.skip(f"{name} 还没有接入构建（build 里没有对应文件），跳过")
    context, _page, record, broken = _visit(browser, served, path)
    try:
        # These files have no theme, so no favicon link: opened on their own, Chromium asks the host root
        # for /favicon.ico (the official site's business, outside the column's sub-path); in the
        # official home page's iframe nothing is asked.
        favicon = served.url("").split("/dangjian/")[0] + "/favicon.ico"
        _assert_clean(path, record, broken, ignore=favicon)
    finally:
        context.close()
