"""A very long title is cut in every listing (full title in title= and on the story page) and never fills
a phone screen: the card's title box is at most three lines in a real browser."""

from __future__ import annotations

import pytest
from browser_support import built_and_served
from conftest import SiteProject

LONG_TITLE = "区调一支部开展主题党日活动暨野外一线党课" * 25  # 500 characters
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def long_title_site(tmp_path_factory):
    project = SiteProject.create(tmp_path_factory.mktemp("titles") / "project")
    project.branch("aa", brand="地质先锋")
    project.story("2025/long.md", title=LONG_TITLE, date="2025-03-02", branch="aa", slug="long")
    project.story("2025/short.md", title="短标题", date="2025-03-01", branch="aa", slug="short")
    return project


def card_links(result, url: str):
    return {a["href"].rstrip("/").rsplit("/", 1)[-1]: a for a in result.html(url).select(".dj-card__title a, .dj-lead__title a, .dj-headlines a")}


def test_listings_cut_a_long_title_and_keep_it_whole_on_the_story_page(long_title_site: SiteProject):
    result = long_title_site.build(strict=True)
    assert result.ok, result.messages
    for url in ("", "branches/aa/", "archive/2025/", "kinds/zhuti-dangri/"):
        cards = card_links(result, url)
        long, short = cards["long"], cards["short"]
        assert len(long.get_text()) <= 60 and long.get_text().endswith("…"), url
        assert long["title"] == LONG_TITLE, url
        assert short.get_text() == "短标题" and not short.has_attr("title"), url
    story = result.html("stories/2025/long/")
    assert story.select_one("article h1").get_text(strip=True) == LONG_TITLE
    older = result.html("stories/2025/short/").select_one("a.dj-around__newer")
    assert older["title"] == LONG_TITLE and len(older.get_text()) < 70


@pytest.mark.browser
def test_a_long_title_takes_at_most_three_lines_of_a_phone_card(long_title_site: SiteProject, browser):
    with built_and_served(long_title_site) as (server, _result):
        ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, device_scale_factor=2)
        try:
            page = ctx.new_page()
            page.goto(server.url("branches/aa/"), wait_until="networkidle")
            box = page.locator('.dj-card__title:has(a[href*="long"])')
            height, line = box.evaluate("e => [e.getBoundingClientRect().height, "
                                        "parseFloat(getComputedStyle(e).lineHeight)]")
            assert height <= 3 * line + 1, (height, line)
            assert height < PHONE["height"] / 4
        finally:
            ctx.close()
