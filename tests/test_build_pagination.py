"""Pagination boundaries of generated listings, with page_size: 2."""

from __future__ import annotations

import pytest
from conftest import BuildResult, SiteProject, resolve, story_titles


def build_with(project: SiteProject, count: int) -> BuildResult:
    project.settings(page_size=2)
    project.branch("aa", brand="地质先锋")
    for i in range(count):  # s0 is the oldest
        project.story(f"2025/s{i}.md", title=f"第{i}篇稿件", slug=f"s{i}", date=f"2025-03-{i + 1:02d}", branch="aa")
    result = project.build(strict=True)
    assert result.ok, result.messages
    return result


LISTINGS = ["branches/aa/", "kinds/zhuti-dangri/", "archive/2025/", "archive/2025/03/"]


def test_no_stories_one_page_that_says_so(project: SiteProject):
    result = build_with(project, 0)
    for url in ["branches/aa/", "kinds/zhuti-dangri/"]:
        page = result.html(url)
        assert story_titles(page) == []
        assert page.select_one(".dj-list .dj-empty").get_text(strip=True) == "暂无稿件。"
        assert page.select_one(".dj-pager") is None
        assert page.select("[rel~=next], [rel~=prev]") == []
        assert not result.exists(url + "page/2/")
    assert not result.exists("archive/2025/")
    assert "暂无稿件" in result.html("archive/").select_one(".md-content").get_text()


@pytest.mark.parametrize("count", [1, 2])
def test_up_to_page_size_stories_fit_on_one_page(project: SiteProject, count: int):
    result = build_with(project, count)
    expected = [f"第{i}篇稿件" for i in reversed(range(count))]
    for url in LISTINGS:
        page = result.html(url)
        assert story_titles(page) == expected, url
        assert page.select_one(".dj-pager") is None
        assert page.select_one(".dj-empty") is None
        assert not result.exists(url + "page/2/")


def test_three_stories_make_two_pages(project: SiteProject):
    result = build_with(project, 3)
    for url in LISTINGS:
        first, second = result.html(url), result.html(url + "page/2/")
        assert story_titles(first) == ["第2篇稿件", "第1篇稿件"], url
        assert story_titles(second) == ["第0篇稿件"], url
        assert not result.exists(url + "page/3/")
        assert not result.exists(url + "page/1/")

        assert first.select(".dj-pager [rel~=prev]") == []
        nexts = first.select("[rel~=next]")
        assert [resolve(url, a["href"]) for a in nexts] == [url + "page/2/"]
        assert second.select(".dj-pager [rel~=next]") == []
        prevs = second.select("[rel~=prev]")
        assert [resolve(url + "page/2/", a["href"]) for a in prevs] == [url]
        for target in [url + "page/2/", url]:
            assert result.exists(target)

        assert second.select_one(".dj-pager__current").get_text(strip=True) == "2"
        numbered = {a.get_text(strip=True): resolve(url + "page/2/", a["href"])
                    for a in second.select(".dj-pager a:not([rel])")}
        assert numbered == {"1": url}
    assert "第 2/2 页" in result.html("branches/aa/page/2/").get_text()


def test_second_page_of_branch_has_no_profile_body(project: SiteProject):
    project.settings(page_size=2)
    project.branch("aa", body="独一无二的品牌故事。", brand="地质先锋", highlights=["亮点甲"])
    for i in range(3):
        project.story(f"2025/s{i}.md", title=f"第{i}篇稿件", slug=f"s{i}", date=f"2025-03-{i + 1:02d}", branch="aa")
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert "独一无二的品牌故事" in result.html("branches/aa/").get_text()
    second = result.html("branches/aa/page/2/")
    assert "独一无二的品牌故事" not in second.get_text()
    assert second.select_one(".dj-profile__brand").get_text(strip=True) == "地质先锋"
