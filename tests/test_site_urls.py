"""pages/urls.py is where every site URL comes from; page contexts name the page type ``page_type``."""

from __future__ import annotations

import datetime as dt

from conftest import SiteProject
from dangjian_column.pages import urls
from dangjian_column.site import load_column


def small_column(project: SiteProject):
    project.branch("aa", brand="地质先锋")
    project.story("2025/a.md", title="三月主题党日", slug="a", date="2025-03-01", branch="aa", tags=["红色教育"])
    return load_column(project.root, project.root / "content", today=dt.date(2025, 12, 31))


def test_archive_and_stats_years_are_different_urls_from_one_module(project):
    plan = small_column(project).plan
    uris = {p.src_uri for p in plan.pages}
    assert urls.archive_year_url(2025) == "archive/2025/" and urls.stats_year_url(2025) == "stats/2025/"
    expected = [urls.HOME, urls.branch_url("aa"), urls.kind_url("zhuti-dangri"), urls.archive_year_url(2025),
                urls.archive_month_url(2025, 3), urls.tag_url("hong-se-jiao-yu"), urls.stats_year_url(2025),
                urls.stats_by_total_url(2025), urls.stats_stories_url(2025), urls.SEARCH, urls.PAIRINGS,
                urls.HIGHLIGHTS, urls.EXPERIENCES]
    assert {urls.source_uri(u) for u in expected} <= uris
    assert set(plan.downloads) == {urls.stats_csv_url(2025), urls.stats_json_url(2025)}


def test_contexts_say_page_type_and_kind_is_only_an_activity_kind(project):
    plan = small_column(project).plan
    types = {p.src_uri: p.context["page_type"] for p in plan.pages}
    assert types[urls.source_uri(urls.branch_url("aa"))] == "branch"
    assert types[urls.source_uri(urls.tag_url("hong-se-jiao-yu"))] == "tag"
    assert all("kind" not in p.context for p in plan.pages)
    [story_context] = plan.story_context.values()
    assert story_context["page_type"] == "story" and story_context["story"].kind.label == "主题党日"


def test_branch_page_gets_its_sharing_meta(project):
    small_column(project)
    page = project.build().html(urls.branch_url("aa"))
    assert page.select_one('meta[property="og:title"]')["content"] == "地质先锋 · aa 党支部"
    assert page.select_one('meta[property="og:url"]')["content"].endswith("/branches/aa/")
