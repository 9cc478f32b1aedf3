"""The search page of the repository's own sample site, in Chromium, the way a reader uses it.

The sample content (content/, branches/, column.yml) is copied into a temporary project, built for the
sub-path it is served at, and searched by typing into the search page's box. Expected results come from
the sample sources (front matter), not from the index.
"""

from __future__ import annotations

import datetime as dt
import shutil
import urllib.parse

import frontmatter
import pytest
import yaml
from browser_support import BASE_PATH, PageRecord, built_and_served
from conftest import PROJECT, SiteProject
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
        if m.get("kind") in names and m.get("status") == "已发布" and m["date"] <= dt.date.today():
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
