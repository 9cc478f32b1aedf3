"""catalog, pages and column: ordering, the publish filter with an explicit ``today`` (no MkDocs)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import front_matter, plan_page
from dangjian_column.config.settings import settings_from_dict
from dangjian_column.content.catalog import build_catalog
from dangjian_column.model import Branch, Story
from dangjian_column.pages.planner import plan_column
from dangjian_column.problems import ProblemLog
from dangjian_column.site import load_column

SETTINGS = settings_from_dict({"page_size": 2, "latest_count": 2}, ProblemLog())
KINDS = {k.key: k for k in SETTINGS.kinds}
TODAY = dt.date(2025, 6, 1)


def branch(slug: str, order: int = 1000) -> Branch:
    return Branch(slug=slug, source_path=f"branches/{slug}/index.md", name=f"{slug}支部", short_name=slug,
                  brand=f"品牌{slug}", slogan="", body="", order=order)


def story(name: str, date: str, branches=("aa",), kind="zhuti-dangri", tags=(), draft=False,
          slug: str | None = None) -> Story:
    day = dt.date.fromisoformat(date)
    return Story(source_path=f"content/stories/{day.year}/{name}.md", src_uri=f"stories/{day.year}/{name}.md",
                 title=name, date=day, branches=tuple(branches), kind=KINDS[kind], slug=slug or name, body="",
                 tags=tuple(tags), status="draft" if draft else "published")


BRANCHES = {"aa": branch("aa", 2), "bb": branch("bb", 1), "cc": branch("cc", 2)}


def titles(stories: list[Story]) -> list[str]:
    return [s.title for s in stories]


def test_publish_filter_with_explicit_today():
    log = ProblemLog()
    stories = [story("today", "2025-06-01"), story("tomorrow", "2025-06-02"), story("draft", "2025-01-01", draft=True),
               story("past", "2024-06-01")]
    catalog = build_catalog(SETTINGS, BRANCHES, stories, TODAY, log)
    assert titles(catalog.stories) == ["today", "past"]
    assert titles(catalog.withheld) == ["tomorrow", "draft"]
    assert [(p.path, p.level, p.field) for p in log] == [
        ("content/stories/2025/tomorrow.md", "info", "date"),
        ("content/stories/2025/draft.md", "info", "status"),
    ]
    later = build_catalog(SETTINGS, BRANCHES, stories, dt.date(2025, 6, 2), ProblemLog())
    assert titles(later.stories) == ["tomorrow", "today", "past"]


def test_ordering_newest_first_ties_by_file_path():
    stories = [story("b", "2025-03-01"), story("c", "2025-05-01"), story("a", "2025-03-01"), story("d", "2024-12-31")]
    catalog = build_catalog(SETTINGS, BRANCHES, stories, TODAY, ProblemLog())
    assert titles(catalog.stories) == ["c", "a", "b", "d"]


def test_indexes():
    stories = [
        story("joint", "2025-03-15", branches=("aa", "bb"), tags=("红色教育", "野外一线")),
        story("a1", "2025-03-02", kind="zhuanjia-dajiangtang", tags=("红色教育",)),
        story("b1", "2025-04-10", branches=("bb",), tags=("红色教育",)),
        story("b0", "2024-12-20", branches=("bb",), kind="shuanglian", tags=("野外一线",)),
        story("d", "2025-05-01", draft=True, tags=("秘密",)),
    ]
    catalog = build_catalog(SETTINGS, BRANCHES, stories, TODAY, ProblemLog())
    assert list(catalog.branches) == ["bb", "aa", "cc"]  # by order, then slug
    assert {k: titles(v) for k, v in catalog.by_branch.items()} == {
        "bb": ["b1", "joint", "b0"], "aa": ["joint", "a1"], "cc": []}
    assert titles(catalog.by_kind["zhuti-dangri"]) == ["b1", "joint"]
    assert catalog.by_kind["dangji-xuexi"] == []
    assert set(catalog.by_kind) == set(KINDS)
    assert list(catalog.by_year) == [2025, 2024]
    assert list(catalog.by_month) == [(2025, 4), (2025, 3), (2024, 12)]
    assert titles(catalog.by_month[(2025, 3)]) == ["joint", "a1"]
    assert list(catalog.by_tag) == ["红色教育", "野外一线"]  # most used first
    assert titles(catalog.by_tag["野外一线"]) == ["joint", "b0"]
    assert "秘密" not in catalog.by_tag and "秘密" not in catalog.tag_slugs
    assert catalog.tag_slugs == {"红色教育": "hong-se-jiao-yu", "野外一线": "ye-wai-yi-xian"}


def test_url_collision_keeps_the_earlier_story_not_the_first_file_name():
    log = ProblemLog()
    stories = [story("z-earlier", "2025-03-01", slug="same"), story("a-later", "2025-04-01", slug="same"),
               story("other-year", "2024-04-01", slug="same")]
    catalog = build_catalog(SETTINGS, BRANCHES, stories, TODAY, log)
    assert titles(catalog.stories) == ["z-earlier", "other-year"]
    [problem] = log
    assert problem.path == "content/stories/2025/a-later.md" and problem.level == "error"
    assert "content/stories/2025/z-earlier.md" in problem.message and "stories/2025/same/" in problem.message


def test_withheld_story_does_not_take_a_url():
    log = ProblemLog()
    stories = [story("a", "2025-03-01", slug="same", draft=True), story("b", "2025-04-01", slug="same")]
    catalog = build_catalog(SETTINGS, BRANCHES, stories, TODAY, log)
    assert titles(catalog.stories) == ["b"]
    assert [p.level for p in log] == ["info"]


def test_plan_pages_and_story_neighbours():
    stories = [story(f"s{i}", f"2025-03-0{i + 1}") for i in range(3)] + [story("b", "2025-03-05", branches=("bb",))]
    catalog = build_catalog(SETTINGS, BRANCHES, stories, TODAY, ProblemLog())
    plan = plan_column(catalog)
    uris = [p.src_uri for p in plan.pages]
    assert len(uris) == len(set(uris))
    assert {"index.md", "branches/index.md", "branches/aa/index.md", "branches/aa/page/2/index.md",
            "branches/cc/index.md", "archive/2025/03/index.md", "archive/2025/03/page/2/index.md",
            "kinds/shuanglian/index.md", "search/index.md"} <= set(uris)
    assert "branches/aa/page/3/index.md" not in uris and "branches/bb/page/2/index.md" not in uris
    assert plan_page(plan, "branches/aa/page/2/index.md").context["pager"].number == 2
    home = plan_page(plan, "index.md").context
    assert [c.title for c in home["latest"]] == ["b", "s2"]  # latest_count: 2
    assert [b.slug for b in home["wall"]] == ["bb", "aa", "cc"]
    assert home["figures"]["stories"] == 4
    around = plan.story_context["stories/2025/s1.md"]["around"]
    assert [(a["branch"].slug, a["newer"].title, a["older"].title) for a in around] == [("aa", "s2", "s0")]
    first = plan.story_context["stories/2025/s2.md"]["around"][0]
    assert first["newer"] is None and first["older"].title == "s1"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path, "branches/aa/index.md", front_matter({"name": "一支部", "brand": "地质先锋"}) + "故事\n")
    for name, date in [("past", "2025-03-01"), ("soon", "2025-03-15")]:
        write(tmp_path, f"content/stories/2025/{name}.md",
              front_matter({"title": name, "date": date, "branch": "aa", "kind": "主题党日", "slug": name,
                            "status": "已发布"}))
    return tmp_path


def test_load_column_uses_the_given_today(folder: Path):
    early = load_column(folder, folder / "content", today=dt.date(2025, 3, 10))
    assert titles(early.catalog.stories) == ["past"]
    assert early.published_story("stories/2025/past.md").title == "past"
    assert early.published_story("stories/2025/soon.md") is None
    assert [p.format() for p in early.problems] == [
        "content/stories/2025/soon.md: 提示: 活动日期 2025-03-15 晚于今天，到那天之后的第一次构建才会发布。"]
    later = load_column(folder, folder / "content", today=dt.date(2025, 3, 15))
    assert titles(later.catalog.stories) == ["soon", "past"]
    assert len(later.problems) == 0


def test_load_column_is_fresh_each_time(folder: Path):
    first = load_column(folder, folder / "content", today=TODAY)
    (folder / "content/stories/2025/past.md").unlink()
    second = load_column(folder, folder / "content", today=TODAY)
    assert titles(first.catalog.stories) == ["soon", "past"]
    assert titles(second.catalog.stories) == ["soon"]
    assert second.published_story("stories/2025/past.md") is None
