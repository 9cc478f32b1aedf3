"""Real-browser layout of the 考核统计 pages: the matrix and the heat-map on a phone and a desktop.

Run with ``pytest -m browser``; without /usr/bin/chromium they skip locally and fail in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import built_and_served, require_chromium
from conftest import SiteProject
from dangjian_column.site import today_in
from test_assessment import write_fixture

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# Long official names, as real branches have: the table and the heat-map must still fit a phone.
EXTRA_BRANCHES = [("kuangchan-san", "地质调查院矿产勘查第三党支部", "矿产勘查三支部"),
                  ("shuiwen-huanjing", "水文地质与环境地质调查中心党支部", "水工环中心支部"),
                  ("jiguan-yi", "院机关第一党支部", "机关一支部")]
PAGES = ["stats/", "stats/2024/", "stats/2024/by-total/", "stats/2024/stories/", "branches/hongyan/"]


@pytest.fixture(scope="module")
def stats_site(tmp_path_factory):
    require_chromium()
    project = SiteProject.create(tmp_path_factory.mktemp("stats-browser") / "project")
    write_fixture(project, today_in("Asia/Shanghai"))
    for i, (slug, name, short) in enumerate(EXTRA_BRANCHES):
        project.branch(slug, name=name, short_name=short, order=10 + i)
        project.story(f"2024/extra-{slug}.md", title=f"{short}主题党日", date=f"2024-0{i + 4}-12", branch=slug)
    with built_and_served(project) as (server, _result):
        yield server



@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_matrix_and_heatmap_fit_without_page_overflow(browser, stats_site, viewport, tmp_path: Path):
    ctx = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN",
                              is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    shots = Path(os.environ.get("DJ_SCREENSHOTS", tmp_path))
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        overflowing = {}
        for path in PAGES:
            page.goto(stats_site.url(path), wait_until="networkidle")
            if path == "stats/2024/":
                page.locator("details.dj-heat__table summary").click()  # the table alternative, opened
                heat = page.locator("svg.dj-heat__svg").bounding_box()
                assert heat["width"] > 0 and heat["x"] + heat["width"] <= viewport["width"]
                assert page.locator("svg.dj-heat__svg g.dj-heat__row rect").count() == 6 * 12
            width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if width > inner:
                overflowing[path] = (width, inner)
            name = f"{path.strip('/').replace('/', '_') or 'home'}-{viewport['width']}.png"
            page.screenshot(path=str(shots / name), full_page=True)
            print(f"\n[screenshot] {shots / name}")
        assert overflowing == {}, overflowing
        assert errors == []
    finally:
        ctx.close()


def test_wide_matrix_scrolls_inside_its_box_on_a_phone(browser, stats_site):
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(stats_site.url("stats/2024/"), wait_until="networkidle")
        box = page.locator(".dj-table-scroll").first
        scroll, client = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert scroll > client  # nine kinds do not fit 390 px: the table scrolls, not the page
        box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        sticky = page.locator("table.dj-matrix tbody th").first.bounding_box()
        assert 0 <= sticky["x"] < 40  # the branch column stays in view
    finally:
        ctx.close()
