"""The search page of the repository's own sample site, in Chromium, the way a reader uses it.

The sample content (content/, branches/, column.yml) is copied into a temporary project, built for the
sub-path it is served at, and searched by typing into the search page's box. Expected results come from
the sample sources (front matter), not from the index.
"""

from __future__ import annotations

import re
import shutil
import urllib.parse

import frontmatter
import pytest
import yaml
from browser_support import BASE_PATH, PageRecord, built_and_served
from conftest import PROJECT, SiteProject
from dangjian_column.config.settings import today_in
from dangjian_column.content.slugs import slugify
from generate_corpus import write_project_config

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample") / "project"
    root.mkdir()
    write_project_config(root)
    for folder in ("content", "branches"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copy(PROJECT / "terminology.yml", root / "terminology.yml")
    with built_and_served(SiteProject(root), strict=False) as (server, _result):
        yield root, server


def sample_stories(root, kind_label: str) -> dict[str, str]:
    """URL path -> title of the published sample stories of one activity kind (by key, label or alias)."""
    kinds = yaml.safe_load((root / "column.yml").read_text(encoding="utf-8"))["kinds"]
    [kind] = [k for k in kinds if k["label"] == kind_label]
    names = {kind["key"], kind["label"], *kind.get("aliases", [])}
    found = {}
    for path in sorted((root / "content" / "stories").rglob("*.md")):
        m = frontmatter.load(path).metadata
        if m.get("kind") in names and m.get("status") == "已发布" and m["date"] <= today_in("Asia/Shanghai"):
            found[f"{BASE_PATH}stories/{m['date'].year}/{m.get('slug') or slugify(m['title'])}/"] = m["title"]
    return found


def all_results(page) -> list[dict]:
    page.wait_for_selector(".dj-result__link", timeout=15_000)
    while page.locator(".dj-search__more").is_visible():
        count = page.locator(".dj-result").count()
        page.locator(".dj-search__more").click()
        page.wait_for_function(f"document.querySelectorAll('.dj-result').length > {count}")
    return page.evaluate("""() => Array.from(document.querySelectorAll('.dj-result')).map(r => ({
        href: new URL(r.querySelector('.dj-result__link').href).pathname,
        title: r.querySelector('.dj-result__title').textContent,
        meta: (r.querySelector('.dj-result__meta') || {}).textContent || "",
        excerpt: r.querySelector('.dj-result__excerpt').textContent,
        marks: Array.from(r.querySelectorAll('.dj-result__excerpt mark')).map(m => m.textContent)}))""")


def test_typing_dangke_finds_every_dangke_jin_yixian_story(browser, sample_site):
    root, server = sample_site
    expected = sample_stories(root, "党课进一线")
    assert len(expected) >= 3, expected  # the sample site has several; the check can fail
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        record = PageRecord().attach(page)
        page.goto(server.url("search/"))
        page.locator(".dj-search__input").fill("党课")
        page.locator(".dj-search__input").press("Enter")
        results = all_results(page)
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["q"] == ["党课"]
        hrefs = [r["href"] for r in results]
        missing = {u: t for u, t in expected.items() if u not in hrefs}
        assert not missing, f"党课 did not find: {missing}"
        by_href = {r["href"]: r for r in results}
        for url, title in expected.items():
            shown = by_href[url]
            assert shown["title"] == title
            assert "党课进一线" in shown["meta"] and "年" in shown["meta"], shown  # date · branch · kind
        for r in results:
            assert r["marks"] == [] or set(r["marks"]) == {"党课"}, r
            assert ". " not in r["excerpt"] and not r["excerpt"].startswith(r["title"]), r
        assert sum(bool(r["marks"]) for r in results) >= len(expected)
        assert not record.foreign_requests() and not record.failures and not record.console_errors, (
            record.foreign_requests(), record.failures, record.console_errors)
    finally:
        context.close()


def test_filters_narrow_the_results_and_a_phrase_is_matched_whole(browser, sample_site):
    root, server = sample_site
    expected = sample_stories(root, "党课进一线")
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(server.url("search/?q=" + urllib.parse.quote("党课")))
        everything = all_results(page)
        page.wait_for_selector(".dj-search__filters:not([hidden])")
        page.select_option("select[name=kind]", "党课进一线")
        page.wait_for_function("new URLSearchParams(location.search).get('kind') === '党课进一线'")
        page.wait_for_function(f"document.querySelectorAll('.dj-result').length < {len(everything)}")
        filtered = all_results(page)
        assert {r["href"] for r in filtered} == set(expected)
        page.goto(server.url("search/?q=" + urllib.parse.quote("党课进一线")))
        phrase = all_results(page)
        assert set(expected) <= {r["href"] for r in phrase}
        assert all("党课进一线" in r["title"] + r["meta"] + r["excerpt"] or r["href"].startswith(BASE_PATH + "branches/")
                   for r in phrase), phrase
    finally:
        context.close()


def test_result_thumbnails_are_the_small_renditions_in_a_fixed_box(browser, sample_site):
    """Issue 14: a result's picture is the cover's (or logo's) 160/320-px rendition, WebP first, with its width
    and height, in a box that does not change when the file arrives (no layout shift)."""
    _, server = sample_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, locale="zh-CN")
    try:
        page = context.new_page()
        page.add_init_script("""window.__shifts = []; new PerformanceObserver(list => list.getEntries()
            .forEach(e => { if (!e.hadRecentInput) window.__shifts.push([e.value, e.sources.map(x => x.node
                ? (x.node.nodeName + "." + (x.node.className || "")) : "?")]); }))
            .observe({type: "layout-shift", buffered: true});""")
        record = PageRecord().attach(page)
        page.goto(server.url("search/?q=" + urllib.parse.quote("岩芯")))
        page.wait_for_selector(".dj-result__thumb", timeout=15_000)
        boxes_before = page.evaluate("""() => Array.from(document.querySelectorAll('.dj-result'))
            .map(r => r.getBoundingClientRect().top)""")
        page.wait_for_function("""() => Array.from(document.querySelectorAll('img.dj-result__thumb'))
            .every(i => i.complete && i.naturalWidth > 0)""", timeout=15_000)
        thumbs = page.evaluate("""() => Array.from(document.querySelectorAll('img.dj-result__thumb')).map(i => ({
            width: i.getAttribute('width'), height: i.getAttribute('height'), current: i.currentSrc,
            box: [i.getBoundingClientRect().width, i.getBoundingClientRect().height],
            webp: (i.parentElement.querySelector('source[type="image/webp"]') || {}).srcset || ""}))""")
        boxes_after = page.evaluate("""() => Array.from(document.querySelectorAll('.dj-result'))
            .map(r => r.getBoundingClientRect().top)""")
        shifts = page.evaluate("window.__shifts")
        assert len(thumbs) >= 3, thumbs  # covers and branch logos both
        for thumb in thumbs:
            assert thumb["width"] and thumb["height"], thumb  # the box is known before the file arrives
            assert thumb["box"] == [90, 64], thumb  # 4.5 × 3.2 rem, whatever the file's shape
            # Chromium takes the WebP source; at DPR 3 the box wants 270 px: the 320-px rendition (a 256-px logo
            # has no wider one), never the 480-px photo rendition the results showed before
            assert re.search(r"-(320|256)\.webp$", thumb["current"]), thumb
            assert "-160.webp 160w" in thumb["webp"], thumb
        assert boxes_after == boxes_before and shifts == [], (boxes_before, boxes_after, shifts)
        assert not [u for u in record.requests if "/media/" in u and "-480." in u], record.requests
        assert not record.failures and not record.console_errors, (record.failures, record.console_errors)
    finally:
        context.close()


def test_a_query_in_the_address_fetches_engine_and_manifest_while_the_head_is_parsed(browser, sample_site):
    """Issue 14: with ?q= the search page preloads search-engine.js and the index manifest from its head, and
    column.js is handed those very responses (one request each, no "preloaded but not used" warning);
    without a query nothing of the index is fetched."""
    _, server = sample_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        warnings = []
        page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
        record = PageRecord().attach(page)
        page.goto(server.url("search/?q=" + urllib.parse.quote("岩芯")))
        page.wait_for_selector(".dj-result__link", timeout=15_000)
        fetched = page.evaluate("""() => performance.getEntriesByType('resource')
            .filter(e => /search-engine\\.js|manifest\\.json/.test(e.name)).map(e => [e.name, e.initiatorType])""")
        assert sorted(kind for _, kind in fetched) == ["link", "link"], fetched
        assert len([u for u in record.requests if "manifest.json" in u or "search-engine.js" in u]) == 2
        assert not [w for w in warnings if "preload" in w], warnings

        page.goto(server.url("search/"), wait_until="networkidle")
        assert not page.evaluate("""() => performance.getEntriesByType('resource')
            .filter(e => /search-engine\\.js|manifest\\.json/.test(e.name)).length""")
    finally:
        context.close()
