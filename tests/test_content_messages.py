"""Staff-facing messages of loading, asserted on load_column()'s problems (milliseconds, no build).

Unconfigured status words, branches sharing a name, every problem of a file in one run, hidden branch
folders, and YAML errors that name their real cause.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SiteProject
from dangjian_column.site import load_column

TODAY = dt.date(2025, 6, 1)
STORY = "content/stories/2025/x.md"


def load(site: SiteProject):
    return load_column(site.root, site.root / "content", today=TODAY, plan=False)


def about(column, path: str) -> list:
    """Warnings and errors about ``path`` (info lines such as "待审稿，本次不发布" left out)."""
    return [p for p in column.problems if p.path == path and p.level != "info"]


def write_story(site: SiteProject, *lines: str) -> None:
    site.write(STORY, "---\n" + "".join(f"{line}\n" for line in lines) + "---\n正文。\n")


@pytest.fixture
def site(project: SiteProject) -> SiteProject:
    project.branch("aa", brand="地质先锋")
    return project


# status words --------------------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["发布", "通过", "已审核", "approved", "未发布"])
def test_an_unconfigured_status_word_is_a_warning_and_the_story_waits(site: SiteProject, word: str):
    write_story(site, "title: 状态写法", "date: 2025-03-01", "branch: aa", "kind: 主题党日", f"status: {word}")
    column = load(site)
    assert column.catalog.stories == []  # not published
    [problem] = about(column, STORY)
    assert (problem.level, problem.line, problem.field) == ("warning", 6, "status")
    assert f"“{word}”" in problem.message and "待审" in problem.message and "不会发布" in problem.message


def test_a_close_status_word_gets_a_did_you_mean(site: SiteProject):
    write_story(site, "title: 状态写法", "date: 2025-03-01", "branch: aa", "kind: 主题党日", "status: 发布")
    [problem] = about(load(site), STORY)
    assert "是否想写“已发布”" in problem.message


def test_an_unconfigured_word_waits_even_when_the_default_status_is_published(site: SiteProject):
    site.settings(review={"default_status": "published"})
    write_story(site, "title: 状态写法", "date: 2025-03-01", "branch: aa", "kind: 主题党日", "status: 通过")
    column = load(site)
    assert column.catalog.stories == []


def test_status_aliases_written_in_column_yml_count(site: SiteProject):
    site.settings(review={"aliases": {"published": ["通过"]}})
    write_story(site, "title: 状态写法", "date: 2025-03-01", "branch: aa", "kind: 主题党日", "status: 通过")
    column = load(site)
    assert [s.title for s in column.catalog.stories] == ["状态写法"]
    assert about(column, STORY) == []


# branches sharing a name ---------------------------------------------------------------------------

def test_two_branches_with_the_same_short_name_and_brand_are_warned(site: SiteProject):
    site.branch("gg", name="第七党支部", short_name="七支部", brand="红色引擎")
    site.branch("hh", name="第八党支部", short_name="七支部", brand="红色引擎")
    column = load(site)
    problems = about(column, "branches/hh/index.md")
    assert {(p.level, p.field, p.line) for p in problems} == {("warning", "short_name", 3), ("warning", "brand", 4)}
    assert all("branches/gg/" in p.message and "branches/hh/" in p.message for p in problems)
    # cards and statistics can tell them apart: the clashing short names give way to the full names
    branches = column.catalog.branches
    assert (branches["gg"].short_name, branches["hh"].short_name) == ("第七党支部", "第八党支部")


@pytest.mark.parametrize("written", ["七支部", "红色引擎"])
def test_the_branch_hint_lists_every_folder_of_an_ambiguous_name(site: SiteProject, written: str):
    site.branch("gg", name="第七党支部", short_name="七支部", brand="红色引擎")
    site.branch("hh", name="第八党支部", short_name="七支部", brand="红色引擎")
    write_story(site, "title: 写了简称", "date: 2025-03-01", f"branch: {written}", "kind: 主题党日", "status: 已发布")
    [problem] = about(load(site), STORY)
    assert problem.field == "branch" and problem.line == 4
    assert "gg" in problem.message and "hh" in problem.message


# every problem of a file, hidden folders -----------------------------------------------------------

def test_a_branch_with_several_problems_reports_all_of_them(site: SiteProject):
    site.write("branches/ff/index.md", "---\nslogan: 缺名称也缺品牌\nlogo: none.png\norder: 几\nauther: 张三\n---\n正文。\n")
    column = load(site)
    fields = sorted(p.field for p in about(column, "branches/ff/index.md"))
    assert fields == ["auther", "brand", "logo", "name", "order"], fields
    assert "ff" not in column.catalog.branches


def test_a_bad_folder_name_and_its_profile_problems_are_reported_together(site: SiteProject):
    site.write("branches/Bad Name/index.md", "---\nname: 支部\n---\n")
    column = load(site)
    assert [p.path for p in column.problems] == ["branches/Bad Name", "branches/Bad Name/index.md"]


@pytest.mark.parametrize("folder", [".old", "_template"])
def test_a_hidden_branch_folder_is_said_to_be_skipped(site: SiteProject, folder: str):
    site.write(f"branches/{folder}/index.md", "---\nname: 旧支部\nbrand: 旧品牌\n---\n")
    [problem] = load(site).problems
    assert (problem.path, problem.level) == (f"branches/{folder}", "info")
    assert "跳过" in problem.message and "不会显示" in problem.message


# YAML errors ---------------------------------------------------------------------------------------

def test_an_unclosed_quote_is_reported_on_its_line_not_as_a_tab_further_down(site: SiteProject):
    write_story(site, 'title: "引号没有结束', "date: 2025-03-01", "branch: aa", "kind: 主题党日", "author: 张三",
                "photographer: 李四", "source: 宣传部", "tags: [一]", "\tdescription: 带 Tab 的一行")
    [problem] = about(load(site), STORY)
    assert problem.line == 2, problem.format()
    assert "引号" in problem.message and "第 2 行" in problem.message
    assert "Tab" not in problem.message


def test_the_full_width_colon_message_names_one_line(site: SiteProject):
    write_story(site, "title：全角冒号", "date: 2025-03-01", "branch: aa", "kind: 主题党日")
    [problem] = about(load(site), STORY)
    assert problem.line == 2
    assert "第 2 行的字段名后用了全角冒号" in problem.message
    assert "第 3 行" not in problem.message.split("（")[0]


def test_a_title_containing_colon_space_suggests_quotes(site: SiteProject):
    write_story(site, "title: 学习: 党纪教育", "date: 2025-03-01", "branch: aa", "kind: 主题党日")
    [problem] = about(load(site), STORY)
    assert problem.line == 2
    assert '引号' in problem.message and 'title: "学习: 党纪教育"' in problem.message


def test_a_tab_is_named_only_when_it_is_the_cause(site: SiteProject):
    write_story(site, "title: 标题", "\tdate: 2025-03-01", "branch: aa", "kind: 主题党日")
    [problem] = about(load(site), STORY)
    assert problem.line == 3 and "Tab" in problem.message


def test_a_story_with_several_problems_reports_all_of_them(site: SiteProject):
    site.write("terminology.yml", "rules:\n  - wrong: 台湾国\n    right: 台湾\n    severity: error\n")
    site.write(STORY, "---\ndate: 2025-03-01\nbranch: zz\nkind: 主题党日\ncover: none.jpg\nauther: 张三\n"
                      "status: 已发布\n---\n关于台湾国的说法。\n")
    fields = sorted(p.field for p in about(load(site), STORY))
    assert fields == ["auther", "body", "branch", "cover", "title"], fields
