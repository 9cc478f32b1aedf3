"""Related stories from other branches (scoring, bounds, story pages) and the home page figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from browser_support import jpeg_bytes
from conftest import BuildResult, SiteProject, plan_page, resolve
from dangjian_column.config.settings import settings_from_dict
from dangjian_column.content.catalog import build_catalog
from dangjian_column.model import Branch, Story
from dangjian_column.pages import related as related_module
from dangjian_column.pages.memory import PlanMemory
from dangjian_column.pages.related import related_stories
from dangjian_column.problems import ProblemLog
from dangjian_column.site import load_column, today_in

SETTINGS = settings_from_dict({"related_count": 4}, ProblemLog())
KINDS = {k.key: k for k in SETTINGS.kinds}
TODAY = dt.date(2026, 6, 1)


def branch(slug: str) -> Branch:
    return Branch(slug=slug, source_path=f"branches/{slug}/index.md", name=f"{slug}支部", short_name=slug,
                  brand=f"品牌{slug}", slogan="", body="")


BRANCHES = {slug: branch(slug) for slug in ("aa", "bb", "cc", "dd", "ee", "ff")}


def story(name: str, date: str, branches=("aa",), kind="zhuti-dangri", tags=()) -> Story:
    day = dt.date.fromisoformat(date)
    return Story(source_path=f"content/stories/{day.year}/{name}.md", src_uri=f"stories/{day.year}/{name}.md",
                 title=name, date=day, branches=tuple(branches), kind=KINDS[kind], slug=name, body="",
                 tags=tuple(tags))


def related_titles(stories: list[Story], title: str, count: int = 4) -> list[str]:
    settings = dataclasses.replace(SETTINGS, related_count=count)
    catalog = build_catalog(settings, BRANCHES, stories, TODAY, ProblemLog())
    target = next(s for s in catalog.stories if s.title == title)
    return [s.title for s in related_stories(catalog)[target.src_uri]]


# The hand-built case. S is a 主题党日 of branch aa tagged 红色教育 and 野外一线; today is 2026-06-01, so
# "recent" means dated 2025-06-01 or later. Scores (see dangjian_column.pages.related):
#   cc-new     same kind, other branch, recent                      4 + 3 + 1 = 8
#   bb-tags    other kind, both tags, other branch, not recent      2·2 + 3   = 7  (2025-01-01)
#   bb-old     same kind, other branch, not recent                  4 + 3     = 7  (2024-05-01)
#   ee-tag     other kind, one tag, other branch, recent            2 + 3 + 1 = 6
#   joint      same kind, joint with aa (shares a branch), recent   4 + 1     = 5
# Excluded: aa-only (only S's own branch, despite the best raw score), dd-other (neither kind nor tag), S itself.
CASE = [
    story("S", "2026-03-01", kind="zhuti-dangri", tags=["红色教育", "野外一线"]),
    story("bb-old", "2024-05-01", branches=("bb",)),
    story("cc-new", "2026-02-01", branches=("cc",)),
    story("bb-tags", "2025-01-01", branches=("bb",), kind="dangke-jin-yixian", tags=["野外一线", "红色教育"]),
    story("joint", "2026-05-01", branches=("aa", "dd")),
    story("aa-only", "2026-05-20", branches=("aa",), tags=["红色教育", "野外一线"]),
    story("dd-other", "2026-05-21", branches=("dd",), kind="dangke-jin-yixian"),
    story("ee-tag", "2026-01-10", branches=("ee",), kind="sanhui-yike", tags=["野外一线"]),
]


def test_scores_follow_the_documented_formula():
    recent_since = TODAY - dt.timedelta(days=365)
    s = CASE[0]
    scores = {c.title: related_module.score(s, c, recent_since) for c in CASE[1:]}
    assert scores == {"bb-old": 7, "cc-new": 8, "bb-tags": 7, "joint": 5, "aa-only": 9, "dd-other": 4, "ee-tag": 6}


def test_related_order_on_the_hand_built_case():
    # bb-old ranks third but its branch is already shown (bb-tags), so it gives way to ee-tag and joint.
    assert related_titles(CASE, "S", count=4) == ["cc-new", "bb-tags", "ee-tag", "joint"]
    # With room for all, the deferred story comes back in rank order; the excluded ones never do.
    assert related_titles(CASE, "S", count=10) == ["cc-new", "bb-tags", "bb-old", "ee-tag", "joint"]
    assert related_titles(CASE, "S", count=2) == ["cc-new", "bb-tags"]
    assert related_titles(CASE, "S", count=0) == []


def test_joint_story_sees_single_branch_stories_of_its_partners_but_not_its_own():
    # For the joint aa+dd story: aa-only and S (aa) and dd-other (dd) have only its own branches: excluded.
    assert related_titles(CASE, "joint", count=10) == ["cc-new", "bb-old"]
    # A single-branch story still sees a joint story that brings in another branch.
    assert "joint" in related_titles(CASE, "aa-only", count=10)


def test_ties_are_broken_by_date_then_source_path():
    stories = [story("me", "2026-01-01"), story("z-same", "2026-02-01", branches=("bb",)),
               story("a-same", "2026-02-01", branches=("cc",)), story("newer", "2026-03-01", branches=("dd",)),
               story("older", "2025-12-01", branches=("ee",))]
    assert related_titles(stories, "me") == ["newer", "a-same", "z-same", "older"]
    assert related_titles(list(reversed(stories)), "me") == ["newer", "a-same", "z-same", "older"]


def test_candidates_are_bounded_not_all_pairs(monkeypatch):
    calls = 0
    original = related_module._Facts.score  # every scored pair goes through it

    def counting(*args):
        nonlocal calls
        calls += 1
        return original(*args)

    monkeypatch.setattr(related_module._Facts, "score", counting)
    many = {f"b{i}": branch(f"b{i}") for i in range(40)}
    n = 1500
    stories = [Story(source_path=f"content/stories/2025/s{i}.md", src_uri=f"stories/2025/s{i}.md", title=f"s{i}",
                     date=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300), branches=(f"b{i % 40}",),
                     kind=KINDS["zhuti-dangri"], slug=f"s{i}", body="", tags=("红色教育",)) for i in range(n)]
    catalog = build_catalog(SETTINGS, many, stories, TODAY, ProblemLog())
    result = related_stories(catalog)
    assert all(len(items) == 4 for items in result.values())
    # All pairs would be n·(n-1) ≈ 2.2 million; the bound is K per list (kind + one tag) per story.
    assert calls <= n * 2 * related_module.CANDIDATES_PER_LIST
    assert calls > 0


def test_a_story_drowned_by_its_own_branch_still_finds_others_within_the_scan_limit():
    own = [story(f"own{i:03d}", "2026-01-01", branches=("aa",)) for i in range(related_module.SCAN_LIMIT - 2)]
    other = story("other", "2025-01-01", branches=("bb",))
    assert related_titles([*own, other], "own000") == ["other"]


# Photos and home figures, from a project folder (no MkDocs) -------------------------------------------

def write_figures_project(project: SiteProject, this_year: int, day) -> None:
    """Known counts: 4 branches; 7 published stories, 5 of them this year; 5 photos; 2 joint stories."""
    for slug, order in (("aa", 1), ("bb", 2), ("cc", 3), ("dd", 4)):
        project.branch(slug, brand=f"品牌{slug}", short_name=f"{slug}支部", order=order)
    y, last = this_year, this_year - 1
    for rel in ("c1.jpg", "p1.jpg", "p2.jpg", "c2.jpg", "draft.jpg"):
        project.write(f"content/stories/{y}/img/{rel}", jpeg_bytes())
    project.write(f"content/stories/{last}/img/old.jpg", jpeg_bytes())
    # cover + two inline photos; the cover again inline and a remote image do not add to the count
    project.story(f"{y}/s.md", title="本支部主题党日", slug="me", date=day(6), branch="aa", tags=["红色教育"],
                  cover="img/c1.jpg", body="现场。\n\n![合影](img/p1.jpg)\n\n![讲解](img/p2.jpg \"讲解员\")\n\n"
                                            "![封面](img/c1.jpg)\n\n![远程](https://example.com/x.jpg)\n")
    project.story(f"{y}/aa-only.md", title="本支部另一次主题党日", slug="aa-only", date=day(5), branch="aa",
                  body="![同一张](img/p1.jpg)\n")
    project.story(f"{y}/bb.md", title="兄弟支部主题党日", slug="bb", date=day(4), branch="bb")
    project.story(f"{y}/cc.md", title="同标签党课", slug="cc", date=day(3), branch="cc", kind="党课进一线",
                  tags=["红色教育"], cover="img/c2.jpg")
    project.story(f"{y}/joint.md", title="联合主题党日", slug="joint", date=day(2), branch=["aa", "cc"])
    project.story(f"{last}/dd.md", title="去年的讲堂", slug="dd", date=f"{last}-07-01", branch="dd",
                  kind="专家大讲堂", body="![](img/old.jpg)\n")
    project.story(f"{last}/joint-old.md", title="去年的双联", slug="joint-old", date=f"{last}-09-01",
                  branch=["bb", "dd"], kind="双联")
    project.story(f"{y}/draft.md", title="草稿", slug="draft", date=day(1), branch="aa", draft=True,
                  cover="img/draft.jpg")


def test_photos_and_home_figures_from_a_project(tmp_path: Path):
    project = SiteProject.create(tmp_path / "project")
    write_figures_project(project, 2026, lambda month: f"2026-0{month}-01")
    # a missing file and a path outside the content folder are not photos
    project.story("2026/broken.md", title="坏图", slug="broken", date="2026-01-15", branch="bb",
                  body="![不存在](img/missing.jpg)\n![上级](../../../secret.jpg)\n")
    column = load_column(project.root, project.root / "content", today=dt.date(2026, 11, 26))
    photos = {s.slug: s.photos for s in column.catalog.stories}
    assert photos["me"] == ("stories/2026/img/c1.jpg", "stories/2026/img/p1.jpg", "stories/2026/img/p2.jpg")
    assert photos["aa-only"] == ("stories/2026/img/p1.jpg",)
    assert photos["cc"] == ("stories/2026/img/c2.jpg",)
    assert photos["broken"] == () and photos["bb"] == ()
    figures = plan_page(column.plan, "index.md").context["figures"]
    assert figures == {"branches": 4, "stories": 8, "year": 2026, "year_stories": 6, "photos": 5, "joint": 2}
    # "This year" follows the build's date, not the newest story.
    later = load_column(project.root, project.root / "content", today=dt.date(2027, 1, 2))
    assert plan_page(later.plan, "index.md").context["figures"]["year_stories"] == 0
    assert plan_page(later.plan, "index.md").context["figures"]["year"] == 2027


# A real build: the related section on story pages and the figures tiles on the home page -------------

THIS_YEAR = today_in("Asia/Shanghai").year


def this_year_day(month: int) -> str:
    """A date this year that is never in the future (the build publishes up to its own today)."""
    return min(dt.date(THIS_YEAR, month, 1), today_in("Asia/Shanghai")).isoformat()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuildResult:
    project = SiteProject.create(tmp_path_factory.mktemp("related") / "project")
    write_figures_project(project, THIS_YEAR, this_year_day)
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert result.messages == []
    return result

def related_links(site: BuildResult, url: str) -> list[str]:
    section = site.html(url).select_one("section.dj-related")
    if section is None:
        return []
    assert section.h2.get_text(strip=True) == "其他支部的同类活动"
    return [resolve(url, a["href"]) for a in section.select(".dj-related__list li > a")]


def test_story_page_links_to_related_stories_of_other_branches(site: BuildResult):
    url = f"stories/{THIS_YEAR}/me/"
    links = related_links(site, url)
    # bb: same kind, other branch (8); cc: shared tag, other branch (6); joint aa+cc: same kind, shares aa (5)
    assert links == [f"stories/{THIS_YEAR}/bb/", f"stories/{THIS_YEAR}/cc/", f"stories/{THIS_YEAR}/joint/"]
    assert url not in links and f"stories/{THIS_YEAR}/aa-only/" not in links
    assert all(site.exists(link) for link in links)
    titles = [a.get_text(strip=True) for a in site.html(url).select("section.dj-related .dj-related__list li > a")]
    assert titles == ["兄弟支部主题党日", "同标签党课", "联合主题党日"]


def test_story_without_related_stories_has_no_section(site: BuildResult):
    # 专家大讲堂, no tags, the only story of its kind: nothing to show, so no empty heading either.
    assert site.html(f"stories/{THIS_YEAR - 1}/dd/").select_one("section.dj-related") is None
    assert "其他支部的同类活动" not in site.html(f"stories/{THIS_YEAR - 1}/dd/").get_text()


def test_home_figures_are_counted(site: BuildResult):
    home = site.html("")
    figures = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in home.select(".dj-figures div")}
    assert figures == {"支部品牌": "4", "活动稿件": "7", f"{THIS_YEAR}年活动": "5", "活动图片": "5", "双联活动": "2"}


def test_remembered_related_lists_equal_fresh_ones_after_every_change():
    """Related lists are remembered between plans (the preview plans after every save): after each change
    the lists must be those a fresh computation gives."""
    many = {f"b{i}": branch(f"b{i}") for i in range(12)}
    kinds = list(KINDS.values())
    stories = [Story(source_path=f"content/stories/2025/s{i}.md", src_uri=f"stories/2025/s{i}.md", title=f"s{i}",
                     date=dt.date(2025, 1, 1) + dt.timedelta(days=i * 3), branches=(f"b{i % 12}",),
                     kind=kinds[i % 3], slug=f"s{i}", body="", tags=(("红色教育",), ("党课",), ())[i % 3])
               for i in range(120)]

    memory = PlanMemory()

    def lists(items: list[Story], memory: PlanMemory | None = None) -> dict[str, list[str]]:
        catalog = build_catalog(SETTINGS, many, items, TODAY, ProblemLog())
        found = {uri: [s.src_uri for s in chosen] for uri, chosen in related_stories(catalog, memory).items()}
        if memory is not None:
            memory.next_plan()
        return found

    lists(stories, memory)  # remembered from here on
    changes = [
        lambda items: [dataclasses.replace(items[5], tags=("党课", "红色教育")), *items[:5], *items[6:]],
        lambda items: [*items, dataclasses.replace(items[0], src_uri="stories/2025/new.md", slug="new",
                                                   source_path="content/stories/2025/new.md",
                                                   date=dt.date(2025, 12, 30))],
        lambda items: items[10:],
        lambda items: [dataclasses.replace(items[3], branches=("b1", "b7")), *items[:3], *items[4:]],
        lambda items: [dataclasses.replace(items[8], kind=kinds[2]), *items[:8], *items[9:]],
    ]
    for change in changes:
        stories = change(stories)
        assert lists(stories, memory) == lists(stories)
