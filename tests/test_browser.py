"""Real-browser tests: headless Chromium against a built fixture site served under /dangjian/.

Run only these with ``pytest -m browser``; without /usr/bin/chromium they skip locally and fail in CI.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_support import (
    BASE_PATH,
    LOCAL_HOST,
    PageRecord,
    StaticServer,
    TransferMeter,
    built_and_served,
    free_port,
    jpeg_bytes,
    mkdocs_serve,
    png_bytes,
    render_everything,
    wait_http_ok,
)
from conftest import SiteProject

pytestmark = pytest.mark.browser

SEARCH_WORD = "岩芯"  # occurs in exactly one fixture story
SEARCH_BUDGET = 300 * 1024
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

CORE_STORY = "钻塔旁的机台党课"
CORE_SLUG = "jitai-dangke"
STORIES = [
    # (file, slug, title, date, branch, kind, tags, body)
    ("2025/jitai.md", CORE_SLUG, CORE_STORY, "2025-04-10", "tankuang", "党课进一线", ["野外一线", "安全生产"],
     "宣讲团来到钻探机台。主讲人说，每一米岩芯都是国家的家底，编录员要把每一段岩芯看清楚、记准确。"),
    ("2025/gongjian.md", "shequ-gongjian", "社区共建绿色家园", "2025-03-20", "dizhi", "联合共建", ["共建"],
     "支部党员走进社区，和居民一起清理河道垃圾，种下二十棵银杏树。"),
    ("2025/dixiashui.md", "dixiashui-jiangzuo", "专家讲解地下水保护", "2025-02-18", "dizhi", "专家大讲堂", [],
     "水文所的老专家讲了地下水超采的危害，党员们现场提问并参加了测试。"),
    ("2025/changzheng.md", "chongzou-changzheng", "重走红军长征路", "2025-01-12", "tankuang", "主题党日", ["红色教育"],
     "全体党员来到纪念馆，重温入党誓词，聆听讲解员讲述红军翻越雪山的故事。"),
    ("2024/weike.md", "qingnian-weike", "青年党员微党课比赛", "2024-11-05", "dizhi", "一月一课一片一实践", [],
     "八名青年党员登台讲微党课，评委从内容、表达和时间三方面打分。"),
    ("2024/shenghuohui.md", "zuzhi-shenghuohui", "支部召开组织生活会", "2024-12-26", "tankuang", "三会一课", [],
     "会上支委带头开展批评与自我批评，大家逐一对照检查，提出整改清单。"),
]


@dataclass
class ColumnSite:
    project: SiteProject
    server: StaticServer

    def url(self, path: str = "") -> str:
        return self.server.url(path)


def make_fixture_project(root: Path) -> SiteProject:
    project = SiteProject.create(root)
    project.branch("tankuang", brand="探矿尖兵", logo="logo.png", body="探矿尖兵扎根野外一线。")
    project.write("branches/tankuang/logo.png", png_bytes())
    project.branch("dizhi", brand="地质先锋", body="地质先锋服务地方发展。")
    for rel, slug, title, date, branch, kind, tags, body in STORIES:
        fields = {"title": title, "date": date, "branch": branch, "kind": kind, "slug": slug}
        if tags:
            fields["tags"] = tags
        if slug == CORE_SLUG:
            fields["cover"] = "jitai/cover.jpg"
            project.write("content/stories/2025/jitai/cover.jpg", jpeg_bytes())
            body += "\n\n![机台夜景](jitai/cover.jpg)\n\n## 抢答\n\n党课后开展安全知识抢答。"
        project.story(rel, body=body, **fields)
    return project


# --------------------------------------------------------------------------- fixtures



@pytest.fixture(scope="module")
def column_site(tmp_path_factory) -> ColumnSite:
    root = tmp_path_factory.mktemp("browser")
    project = make_fixture_project(root / "project")
    with built_and_served(project) as (server, _result):
        yield ColumnSite(project, server)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        ctx.close()


def story_path(slug: str, year: str = "2025") -> str:
    return f"stories/{year}/{slug}/"


def wait_for_results(page):
    page.wait_for_selector(".dj-result__link", timeout=15_000)
    return page.locator(".dj-result__link").all_inner_texts()


def search_via_header(page, word: str) -> None:
    box = page.locator(".dj-header-search__input")
    box.fill(word)
    with page.expect_navigation():
        box.press("Enter")


# --------------------------------------------------------------------------- search


def test_chinese_search_from_header_form_finds_only_matching_story(context, column_site):
    page = context.new_page()
    record = PageRecord().attach(page)
    page.goto(column_site.url())
    search_via_header(page, SEARCH_WORD)
    parts = urllib.parse.urlsplit(page.url)
    assert parts.path == BASE_PATH + "search/"
    assert urllib.parse.parse_qs(parts.query)["q"] == [SEARCH_WORD]
    titles = wait_for_results(page)
    assert titles[0] == CORE_STORY, titles
    assert "社区共建绿色家园" not in titles
    assert titles == [CORE_STORY]
    href = page.locator(".dj-result__link").first.get_attribute("href")
    assert urllib.parse.urlsplit(href).path == BASE_PATH + story_path(CORE_SLUG)
    assert page.locator(".dj-header-search__input").input_value() == SEARCH_WORD
    assert not record.failures and not record.console_errors, (record.failures, record.console_errors)


def test_search_page_opened_directly_runs_query(context, column_site):
    page = context.new_page()
    page.goto(column_site.url("search/?q=" + urllib.parse.quote("银杏")))
    titles = wait_for_results(page)
    assert titles == ["社区共建绿色家园"]
    page.goto(column_site.url("search/?q=" + urllib.parse.quote(SEARCH_WORD)))
    assert wait_for_results(page) == [CORE_STORY]


def test_first_search_results_transfer_under_budget(browser, column_site):
    """A visitor with an empty cache opens search/?q=…: everything up to the first result counts.

    The test server gzips text (HTML/CSS/JS/JSON/SVG) like the production web server is expected to;
    the search index is JSON.
    """
    ctx = browser.new_context(viewport=DESKTOP)
    try:
        page = ctx.new_page()
        meter = TransferMeter(page)
        before = column_site.server.bytes_sent
        page.goto(column_site.url("search/?q=" + urllib.parse.quote(SEARCH_WORD)))
        assert wait_for_results(page)[0] == CORE_STORY
        page.wait_for_load_state("networkidle")
        served = column_site.server.bytes_sent - before
        print(f"\n[search] to first results: browser-reported {meter.total} B ({meter.total / 1024:.1f} KiB), "
              f"server-sent {served} B ({served / 1024:.1f} KiB), {len(meter.by_url)} requests")
        print(meter.report())
        assert "search-engine.js" in meter.report() and "searchindex/" in meter.report(), "index requests not counted"
        assert meter.total < SEARCH_BUDGET, meter.report()
        assert served < SEARCH_BUDGET
    finally:
        ctx.close()


# --------------------------------------------------------------------------- no third parties


LOCAL_PAGES = [
    "",
    "branches/tankuang/",
    story_path(CORE_SLUG),
    "kinds/dangke-jin-yixian/",
    "archive/",
    "tags/",
    "search/?q=" + urllib.parse.quote(SEARCH_WORD),
]


def _load_all_images(page) -> list[dict]:
    # Lazy images only load near the viewport: bring each into view, then wait until all have settled.
    page.evaluate("(async () => { for (const i of document.images) { i.scrollIntoView({block: 'center'});"
                  " await new Promise(r => requestAnimationFrame(r)); } })()")
    page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=10_000)
    return page.evaluate(
        "Array.from(document.images).map(i => ({src: i.currentSrc || i.src, w: i.naturalWidth}))")


def test_pages_stay_on_local_server_without_errors(context, column_site):
    tag_links = column_site.project.root / "site" / "tags" / "index.html"
    assert "ye-wai-yi-xian" in tag_links.read_text(encoding="utf-8")
    pages = [*LOCAL_PAGES, "tags/ye-wai-yi-xian/"]
    checked_images = 0
    for path in pages:
        page = context.new_page()
        record = PageRecord().attach(page)
        page.goto(column_site.url(path), wait_until="networkidle")
        if path.startswith("search/"):
            wait_for_results(page)
        images = _load_all_images(page)
        page.wait_for_load_state("networkidle")
        assert record.requests, path
        assert record.foreign_requests() == [], f"{path}: requests left {LOCAL_HOST}"
        assert record.failures == [], f"{path}: failed requests"
        assert record.console_errors == [], f"{path}: console errors"
        broken = [i["src"] for i in images if i["w"] <= 0]
        assert broken == [], f"{path}: images without pixels"
        checked_images += len(images)
        if path == story_path(CORE_SLUG):
            cover = page.evaluate("document.querySelector('.dj-story__cover img').currentSrc")
            assert "/dangjian/media/" in cover and cover.endswith(".webp"), cover  # Chromium takes the WebP
        page.close()
    assert checked_images >= 5


# --------------------------------------------------------------------------- layout


LAYOUT_PAGES = ["", "branches/tankuang/", story_path(CORE_SLUG), "archive/", "kinds/zhuti-dangri/",
                "tags/ye-wai-yi-xian/", "branches/", "search/?q=" + urllib.parse.quote(SEARCH_WORD)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_horizontal_overflow(browser, column_site, viewport, tmp_path):
    ctx = browser.new_context(viewport=viewport, device_scale_factor=1,
                              is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    try:
        page = ctx.new_page()
        overflowing = {}
        for path in LAYOUT_PAGES:
            page.goto(column_site.url(path), wait_until="networkidle")
            if path.startswith("search/"):
                wait_for_results(page)
            render_everything(page)  # an off-screen section would clip what is too wide, not scroll sideways
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
                overflowing[path] = (width, wide)
            if viewport is PHONE and path in ("", story_path(CORE_SLUG)):
                name = "phone-home.png" if path == "" else "phone-story.png"
                page.screenshot(path=str(tmp_path / name), full_page=True)
                print(f"\n[screenshot] {tmp_path / name}")
        assert overflowing == {}
    finally:
        ctx.close()


# --------------------------------------------------------------------------- navigation


def test_a_tapped_link_opens_from_the_prefetch_then_search(context, column_site):
    """No instant navigation: a page is fetched when the reader starts to tap its link (speculation rules), so
    the next page is a normal load served from that prefetch; the header search works from any page."""
    page = context.new_page()
    record = PageRecord().attach(page)
    page.goto(column_site.url(), wait_until="networkidle")

    lead = page.locator(".dj-headlines a, .dj-lead__title a", has_text="重走红军长征路").first
    lead.hover()  # "moderate": Chromium prefetches after a short hover, or on the tap itself
    page.wait_for_timeout(500)
    lead.click()
    page.wait_for_url("**" + BASE_PATH + story_path("chongzou-changzheng"))
    page.locator(".dj-story h1", has_text="重走红军长征路").wait_for()
    assert "雪山" in page.locator(".dj-story__body").inner_text()
    assert page.evaluate("performance.getEntriesByType('navigation')[0].deliveryType") == "navigational-prefetch"

    page.locator(".dj-story__branches a", has_text="探矿尖兵").click()
    page.wait_for_url("**" + BASE_PATH + "branches/tankuang/")
    page.locator(".dj-profile__brand", has_text="探矿尖兵").wait_for()
    assert "重走红军长征路" in page.locator(".dj-list").inner_text()

    page.go_back()
    page.wait_for_url("**" + BASE_PATH + story_path("chongzou-changzheng"))
    page.locator(".dj-story h1", has_text="重走红军长征路").wait_for()

    search_via_header(page, SEARCH_WORD)
    assert wait_for_results(page) == [CORE_STORY]
    page.locator(".md-header__button.md-logo").click()
    page.wait_for_url("**" + BASE_PATH)
    search_via_header(page, "银杏")
    assert wait_for_results(page) == ["社区共建绿色家园"]
    # (a prefetch the next navigation overtook is no failure: PageRecord keeps it apart)
    assert record.failures == [] and record.console_errors == [], (record.failures, record.console_errors)


# --------------------------------------------------------------------------- live reload


def test_live_reload_updates_story_and_branch(browser, tmp_path):
    project = make_fixture_project(tmp_path / "serve")
    port = free_port()
    site_url = f"http://{LOCAL_HOST}:{port}{BASE_PATH}"
    with mkdocs_serve(project.root / "mkdocs.yml", port, site_url, tmp_path / "serve.log") as proc:
        try:
            wait_http_ok(site_url, timeout=40, proc=proc)
        except Exception:
            pytest.fail((tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")[-3000:])
        ctx = browser.new_context(viewport=DESKTOP)
        try:
            page = ctx.new_page()
            page.goto(site_url + story_path("chongzou-changzheng"), wait_until="load")
            assert "雪山" in page.locator(".dj-story__body").inner_text()

            story_file = project.root / "content" / "stories" / "2025" / "changzheng.md"
            text = story_file.read_text(encoding="utf-8")
            story_file.write_text(text.replace("翻越雪山的故事。", "翻越雪山的故事。实时预览新增段落。"),
                                  encoding="utf-8")
            page.wait_for_function(
                "document.querySelector('.dj-story__body')?.innerText.includes('实时预览新增段落')",
                timeout=20_000)

            page.goto(site_url + "branches/dizhi/", wait_until="load")
            assert "服务地方发展" in page.locator(".dj-brand-story").inner_text()
            profile = project.root / "branches" / "dizhi" / "index.md"
            profile.write_text(profile.read_text(encoding="utf-8").replace(
                "地质先锋服务地方发展。", "地质先锋守护绿水青山。"), encoding="utf-8")
            page.wait_for_function(
                "document.querySelector('.dj-brand-story')?.innerText.includes('守护绿水青山')",
                timeout=20_000)
            assert page.url == site_url + "branches/dizhi/"
        finally:
            ctx.close()
