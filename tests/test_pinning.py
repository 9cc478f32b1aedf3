"""置顶: ``pin: true`` / ``pin: <date>`` puts a story first on home and on its branch, kind and tag listings,
marked 置顶 in words; an expired pin falls back to date order; the year/month archives stay in date order."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import BuildResult, SiteProject, story_titles
from dangjian_column.content.slugs import slugify
from dangjian_column.site import today_in

NEWEST, NEWER, EXPIRED_PIN, DATED_PIN, PINNED = "最新的活动", "较新的活动", "置顶已到期的活动", "置顶到下月的活动", "长期置顶的活动"
PIN_ORDER = [DATED_PIN, PINNED, NEWEST, NEWER, EXPIRED_PIN]  # pinned newest first, then the rest by date
DATE_ORDER = [NEWEST, NEWER, EXPIRED_PIN, DATED_PIN, PINNED]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[SiteProject, BuildResult]:
    today = today_in("Asia/Shanghai")
    project = SiteProject.create(tmp_path_factory.mktemp("pinning") / "project")
    project.settings(page_size=3)
    project.branch("aa", brand="地质先锋")

    def story(slug: str, title: str, days_ago: int, **extra) -> None:
        date = today - dt.timedelta(days=days_ago)
        project.story(f"{date.year}/{slug}.md", title=title, slug=slug, date=date.isoformat(), branch="aa",
                      kind="主题党日", tags=["标签甲"], **extra)

    story("newest", NEWEST, 1)
    story("newer", NEWER, 2)
    story("expired-pin", EXPIRED_PIN, 3, pin=(today - dt.timedelta(days=1)).isoformat())
    story("dated-pin", DATED_PIN, 40, pin=(today + dt.timedelta(days=30)).isoformat())
    story("pinned", PINNED, 400, pin=True)
    return project, project.build(strict=True)


def pinned_titles(soup) -> list[str]:
    """Titles marked 置顶 in words: cards, or the home page's lead story and headlines."""
    items = soup.select(".dj-card, .dj-lead__title, .dj-headlines li")
    return [item.select_one("a").get_text(strip=True) for item in items if item.select_one(".dj-badge--pin")]


def listing(result: BuildResult, url: str) -> list[str]:
    """Every card of a paginated listing, page after page."""
    titles, page = [], url
    while True:
        soup = result.html(page)
        titles += story_titles(soup)
        nxt = soup.select_one(".dj-pager__next")
        if nxt is None:
            return titles
        page = f"{url}page/{len(titles) // 3 + 1}/"


def test_build_is_clean_and_reports_the_expired_pin(built):
    _, result = built
    assert result.ok and result.messages == []
    notes = [i for i in result.infos if "expired-pin.md" in i]
    assert notes and "置顶已于" in notes[0]


def test_home_puts_pinned_stories_first_marked_in_words(built):
    _, result = built
    soup = result.html("")
    latest = soup.find("h2", string="最新动态").find_parent("section")
    assert story_titles(latest) == PIN_ORDER
    assert pinned_titles(latest) == [DATED_PIN, PINNED]
    badge = latest.select_one(".dj-badge--pin")
    assert badge.get_text(strip=True) == "置顶"


@pytest.mark.parametrize("url", ["branches/aa/", "kinds/zhuti-dangri/"])
def test_branch_and_kind_listings_put_pinned_stories_first(built, url):
    _, result = built
    assert listing(result, url) == PIN_ORDER
    assert pinned_titles(result.html(url)) == [DATED_PIN, PINNED]
    assert pinned_titles(result.html(f"{url}page/2/")) == []  # page 2 holds only unpinned stories


def test_tag_listing_puts_pinned_stories_first(built):
    _, result = built
    url = f"tags/{slugify('标签甲')}/"
    assert listing(result, url) == PIN_ORDER
    assert pinned_titles(result.html(url)) == [DATED_PIN, PINNED]


def test_year_archives_stay_in_date_order_without_pins(built):
    _, result = built
    years = sorted({p.parent.name for p in result.site.glob("archive/*/index.html") if p.parent.name.isdigit()},
                   reverse=True)
    titles = []
    for year in years:
        titles += listing(result, f"archive/{year}/")
        assert pinned_titles(result.html(f"archive/{year}/")) == []
    assert titles == DATE_ORDER


def test_expired_pin_is_not_marked_anywhere(built):
    _, result = built
    for url in ("", "branches/aa/", "kinds/zhuti-dangri/", "kinds/zhuti-dangri/page/2/"):
        assert EXPIRED_PIN not in pinned_titles(result.html(url))
