"""A live URL never moves because another story arrived: tag variants merge, the first published keeps a URL.

Domain tests load real project folders with ``load_column`` (what build and ``check`` both run); one real
build checks the tag pages and story pages a reader opens. Git history decides first (a backdated newcomer does
not take a live URL); without it, the activity date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess

import pytest
from conftest import SiteProject, resolve, story_titles
from dangjian_column.commands.cli import main
from dangjian_column.site import load_column

TODAY = dt.date(2025, 12, 31)
OLD = "content/stories/2025/z-established.md"  # its name sorts after the newcomer's: names must not decide
NEW = "content/stories/2025/a-newcomer.md"


@pytest.fixture
def site(project: SiteProject) -> SiteProject:
    project.branch("aa")
    return project


def load(site: SiteProject):
    return load_column(site.root, site.root / "content", today=TODAY)


def git(site: SiteProject, *args: str) -> None:
    assert shutil.which("git"), "git is needed: the URL order of same-day stories comes from its history"
    subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false",
                    "-C", str(site.root), *args], check=True, capture_output=True)


def commit_all(site: SiteProject, message: str) -> None:
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", message)


def established_and_newcomer(site: SiteProject, old_tags: list[str], new_tags: list[str], *,
                             same_day: bool = False) -> None:
    site.story("2025/z-established.md", title="已发布的活动", slug="established", date="2025-03-01", branch="aa",
               tags=old_tags)
    site.story("2025/a-newcomer.md", title="新来的活动", slug="newcomer", date="2025-03-01" if same_day else "2025-04-01",
               branch="aa", tags=new_tags)


def tag_table(column) -> dict[str, tuple[str, list[str]]]:
    """label -> (slug, titles of its stories)."""
    catalog = column.catalog
    return {tag: (catalog.tag_slugs[tag], [s.title for s in stories]) for tag, stories in catalog.by_tag.items()}


# --------------------------------------------------------------------------- tag variants are one tag


@pytest.mark.parametrize("variant", ["#主题党日", "＃主题党日", " 主题党日 ", "主题 党日", "#主题党日#", "## 主题党日"])
def test_a_variant_of_an_established_tag_joins_it(site, variant):
    established_and_newcomer(site, ["主题党日"], [variant])
    column = load(site)
    assert tag_table(column) == {"主题党日": ("zhu-ti-dang-ri", ["新来的活动", "已发布的活动"])}
    assert [p for p in column.problems if p.field == "tags"] == []


def test_a_tag_listed_twice_counts_once(site):
    site.story("2025/twice.md", title="写了两遍", slug="twice", date="2025-03-01", branch="aa",
               tags=["主题党日", "#主题党日", "主题党日"])
    column = load(site)
    [story] = column.catalog.stories
    assert story.tags == ("主题党日",)
    assert tag_table(column) == {"主题党日": ("zhu-ti-dang-ri", ["写了两遍"])}


def test_ascii_case_variants_merge_under_the_first_published_spelling(site):
    established_and_newcomer(site, ["Party Day"], ["party day", "PARTY  DAY"])
    site.story("2025/third.md", title="第三篇", slug="third", date="2025-05-01", branch="aa", tags=["PARTY DAY"])
    column = load(site)
    assert tag_table(column) == {"Party Day": ("party-day", ["第三篇", "新来的活动", "已发布的活动"])}
    assert {s.title: s.tags for s in column.catalog.stories}["第三篇"] == ("Party Day",)


def test_full_width_letters_are_the_same_tag(site):
    established_and_newcomer(site, ["5G党建"], ["５Ｇ党建"])
    assert tag_table(load(site)) == {"5G党建": ("5g-dang-jian", ["新来的活动", "已发布的活动"])}


# --------------------------------------------------------------------------- different tags, one pinyin


@pytest.mark.parametrize(("established", "newcomer", "base"), [
    ("安全生产", "安全/生产", "an-quan-sheng-chan"),
    ("党建品牌", "党建/品牌", "dang-jian-pin-pai"),
    ("安全/生产", "安全生产", "an-quan-sheng-chan"),  # whichever came first keeps the URL, not the one that sorts first
])
def test_the_established_tag_keeps_its_url_and_the_newcomer_is_reported(site, established, newcomer, base):
    established_and_newcomer(site, [established], [newcomer])
    column = load(site)
    assert tag_table(column) == {established: (base, ["已发布的活动"]), newcomer: (f"{base}-2", ["新来的活动"])}
    [problem] = [p for p in column.problems if p.field == "tags"]
    assert (problem.path, problem.level, problem.line) == (NEW, "warning", 6)  # the tags: line
    assert OLD in problem.message and f"tags/{base}/" in problem.message and f"tags/{base}-2/" in problem.message
    assert f"“{established}”" in problem.message and f"“{newcomer}”" in problem.message


def test_tags_of_the_same_day_are_ordered_by_git_history(site):
    site.story("2025/z-established.md", title="已发布的活动", slug="established", date="2025-03-01", branch="aa",
               tags=["安全生产"])
    git(site, "init", "-q")
    commit_all(site, "已发布的稿件")
    site.story("2025/a-newcomer.md", title="新来的活动", slug="newcomer", date="2025-03-01", branch="aa",
               tags=["安全/生产"])
    commit_all(site, "新稿件")
    assert tag_table(load(site)) == {"安全生产": ("an-quan-sheng-chan", ["已发布的活动"]),
                                     "安全/生产": ("an-quan-sheng-chan-2", ["新来的活动"])}


# --------------------------------------------------------------------------- two stories, one URL


def two_stories_same_title(site: SiteProject, *, newcomer_date: str = "2025-03-01") -> None:
    site.story("2025/z-established.md", title="开展主题党日活动", date="2025-03-01", branch="aa")
    site.story("2025/a-newcomer.md", title="开展主题党日活动", date=newcomer_date, branch="aa")


def test_a_later_story_with_the_same_title_does_not_take_the_url(site):
    two_stories_same_title(site, newcomer_date="2025-04-01")
    column = load(site)
    assert [s.source_path for s in column.catalog.stories] == [OLD]
    [problem] = column.problems.errors()
    assert (problem.path, problem.field, problem.line) == (NEW, "slug", 2)  # the title line: no slug written
    assert OLD in problem.message and "stories/2025/kai-zhan-zhu-ti-dang-ri-huo-dong/" in problem.message
    assert "slug: kai-zhan-zhu-ti-dang-ri-huo-dong-0401" in problem.message


def test_an_untracked_story_of_the_same_day_does_not_take_a_committed_storys_url(site):
    two_stories_same_title(site)
    (site.root / NEW).rename(site.root / "new.tmp")
    git(site, "init", "-q")
    commit_all(site, "已发布的稿件")
    (site.root / "new.tmp").rename(site.root / NEW)  # dropped into the folder, not committed yet
    column = load(site)
    assert [s.source_path for s in column.catalog.stories] == [OLD]
    assert [p.path for p in column.problems.errors()] == [NEW]


def commit_established_then_newcomer(site: SiteProject, established: str, newcomer_date: str) -> None:
    """A live story committed, then a newcomer with the same title committed after it."""
    site.story(established, title="开展主题党日活动", date="2025-03-01", branch="aa")
    git(site, "init", "-q")
    commit_all(site, "已发布的稿件")
    site.story("2025/a-newcomer.md", title="开展主题党日活动", date=newcomer_date, branch="aa")
    commit_all(site, "新稿件")


def test_a_later_commit_of_the_same_day_does_not_take_the_url_even_after_a_rename(site):
    commit_established_then_newcomer(site, "2025/m-established.md", "2025-03-01")
    git(site, "mv", "content/stories/2025/m-established.md", OLD)  # renaming a live file keeps its place
    commit_all(site, "改文件名")
    column = load(site)
    assert [s.source_path for s in column.catalog.stories] == [OLD]
    assert [p.path for p in column.problems.errors()] == [NEW]


def test_a_backdated_newcomer_does_not_take_a_committed_storys_url(site):
    """A story written up late about an earlier activity: its date is older, but the live story keeps the URL."""
    commit_established_then_newcomer(site, "2025/z-established.md", "2025-01-15")
    column = load(site)
    assert [s.source_path for s in column.catalog.stories] == [OLD]
    [problem] = column.problems.errors()
    assert problem.path == NEW and "slug: kai-zhan-zhu-ti-dang-ri-huo-dong-0115" in problem.message


def test_without_git_the_earlier_activity_keeps_the_url(site):
    two_stories_same_title(site, newcomer_date="2025-02-01")  # no repository: the date is all there is
    column = load(site)
    assert [s.source_path for s in column.catalog.stories] == [NEW]


def test_a_tag_whose_stories_are_taken_down_keeps_its_url_from_the_next_tag(site):
    """安全生产 had tags/an-quan-sheng-chan/ and 安全/生产 the -2 URL; once every 安全生产 story is withdrawn, 安全/生产
    stays at -2 (its live URL) instead of moving to the freed one."""
    established_and_newcomer(site, ["安全生产"], ["安全/生产"])
    assert tag_table(load(site))["安全/生产"][0] == "an-quan-sheng-chan-2"
    site.story("2025/z-established.md", title="已发布的活动", slug="established", date="2025-03-01", branch="aa",
               tags=["安全生产"], status="撤稿")
    column = load(site)
    assert tag_table(column) == {"安全/生产": ("an-quan-sheng-chan-2", ["新来的活动"])}
    assert [s.source_path for s in column.catalog.taken_down] == [OLD]


def test_check_reports_the_tag_newcomer_and_strict_fails(site, capsys):
    established_and_newcomer(site, ["安全生产"], ["安全/生产"])
    assert main(["--root", str(site.root), "check"]) == 0
    out = capsys.readouterr().out
    assert f"{NEW}:6: 警告: 标签“安全/生产”的网址 tags/an-quan-sheng-chan/ 已被先发布的标签“安全生产”使用" in out
    assert main(["--root", str(site.root), "check", "--strict"]) == 1


# --------------------------------------------------------------------------- what a reader sees


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteProject.create(tmp_path_factory.mktemp("stable") / "project")
    site.branch("aa")
    for i in range(3):
        site.story(f"2025/z-old-{i}.md", title=f"老稿件{i}", slug=f"old-{i}", date=f"2025-03-0{i + 1}", branch="aa",
                   tags=["主题党日", "安全生产"])
    site.story("2025/a-new.md", title="新稿件", slug="new", date="2025-04-01", branch="aa",
               tags=["#主题党日", "主题党日", "安全/生产"])
    site.story("2025/z-live.md", "已上线的那一篇。", title="开展主题党日活动", date="2025-03-01", branch="aa")
    site.story("2025/a-late.md", "后来的同名稿件。", title="开展主题党日活动", date="2025-03-20", branch="aa")
    return site.build()


def test_build_one_tag_page_each_story_once(built):
    page = built.html("tags/zhu-ti-dang-ri/")
    assert story_titles(page) == ["新稿件", "老稿件2", "老稿件1", "老稿件0"]
    assert page.select_one(".dj-total").get_text(strip=True) == "共 4 篇"
    assert not built.exists("tags/zhu-ti-dang-ri-2/")
    chips = [a.contents[0].strip() for a in built.html("tags/").select(".dj-chips a")]
    assert chips.count("主题党日") == 1 and "#主题党日" not in chips


def test_build_established_tag_keeps_its_page(built):
    assert story_titles(built.html("tags/an-quan-sheng-chan/")) == ["老稿件2", "老稿件1", "老稿件0"]
    assert story_titles(built.html("tags/an-quan-sheng-chan-2/")) == ["新稿件"]
    assert any(m.startswith("content/stories/2025/a-new.md:") and "an-quan-sheng-chan-2" in m for m in built.messages)


def test_build_story_page_shows_each_tag_once_without_a_double_hash(built):
    url = "stories/2025/new/"
    tags = {a.get_text(strip=True): resolve(url, a["href"]) for a in built.html(url).select(".dj-tags a.dj-tag")}
    assert tags == {"#主题党日": "tags/zhu-ti-dang-ri/", "#安全/生产": "tags/an-quan-sheng-chan-2/"}


def test_the_history_is_read_only_when_a_url_is_contested(site):
    from dangjian_column.content.catalog import build_catalog
    from dangjian_column.content.history import RepositoryHistory

    established_and_newcomer(site, ["主题党日"], ["红色教育"])
    git(site, "init", "-q")
    commit_all(site, "稿件")
    column = load(site)
    stories, settings, branches = column.catalog.stories, column.settings, column.catalog.branches
    quiet = RepositoryHistory(site.root, "content/stories")
    build_catalog(settings, branches, stories, TODAY, column.problems, first_added=quiet)
    assert not quiet.was_read  # ~3 s of git at 9,000 commits, spent only when it decides something
    copy = dataclasses.replace(stories[0], source_path="content/stories/2025/copy.md")  # same URL
    contested = RepositoryHistory(site.root, "content/stories")
    build_catalog(settings, branches, [*stories, copy], TODAY, column.problems, first_added=contested)
    assert contested.was_read and contested[NEW] == contested[OLD] and "content/stories/2025/copy.md" not in contested


def test_build_same_title_the_live_story_keeps_its_page(built):
    page = built.html("stories/2025/kai-zhan-zhu-ti-dang-ri-huo-dong/")
    assert "已上线的那一篇。" in page.get_text() and "后来的同名稿件。" not in page.get_text()
    [message] = [m for m in built.messages if m.startswith("content/stories/2025/a-late.md:")]
    assert "content/stories/2025/z-live.md" in message and "slug" in message
