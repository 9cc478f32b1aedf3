"""Each kind of bad input: one clear Chinese message naming the file, strict fails, the rest still builds."""

from __future__ import annotations

import re

import pytest
from conftest import BuildResult, SiteProject, story_titles

GOOD = "content/stories/2025/good.md"
BAD = "content/stories/2025/x.md"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def site(project: SiteProject) -> SiteProject:
    """A good project to break: one branch with one published story."""
    project.branch("aa", brand="地质先锋")
    project.story("2025/good.md", title="好稿件", slug="good", date="2025-03-01", branch="aa")
    return project


def story_text(*lines: str, body: str = "正文。") -> str:
    if not any(line.startswith(("status:", "draft:")) for line in lines):
        lines = (*lines, "status: 已发布")  # last, so the lines the tests point at stay put
    return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n" + body + "\n"


def assert_one_problem(site: SiteProject, rel: str, *, level: str = "错误", line: int | None = None,
                       contains: tuple[str, ...] = (), published: tuple[str, ...] = ("stories/2025/good/",),
                       extra: int = 0) -> tuple[BuildResult, str]:
    """Build plainly: it must succeed, keep the good content and say one thing about ``rel``.

    Strict mode is not rebuilt per case: every message here is a warning or an error, and
    ``test_strict_build_fails_on_a_warning_and_keeps_the_good_content`` proves once that --strict
    fails on exactly those (a second build per case doubled this file's time).
    """
    result = site.build()
    assert result.ok, result.messages
    about = result.messages_about(rel)
    assert len(about) == 1, result.messages
    assert len(result.messages) == 1 + extra, result.messages
    message = about[0]
    where = rf"{re.escape(rel)}:{line}" if line is not None else rf"{re.escape(rel)}(:\d+)?"
    assert re.match(rf"^{where}: {level}: ", message), message
    text = message.split(f": {level}: ", 1)[1]
    assert len(HAN.findall(text)) >= 10, message  # an explanation in Chinese, not a stack trace
    for needle in contains:
        assert needle in text, f"{needle!r} not in {message}"
    assert "Traceback" not in message
    for url in published:
        assert result.exists(url), url
    assert "好稿件" in story_titles(result.html("branches/aa/"))
    assert result.exists("")
    return result, message


def test_strict_build_fails_on_a_warning_and_keeps_the_good_content(site: SiteProject):
    site.write(BAD, story_text("title: 字段拼错", "date: 2025-03-02", "branch: aa", "kind: 主题党日",
                               "auther: 张三"))
    plain = site.build()
    assert plain.ok and plain.exists("stories/2025/good/")
    strict = site.build(strict=True, site_dir=site.root / "site-strict")
    assert strict.ok is False
    assert strict.messages_about(BAD) == plain.messages_about(BAD)


def test_malformed_yaml(site: SiteProject):
    site.write(BAD, story_text("title: 括号没有配对", "date: 2025-03-01", "branch: [aa", "kind: 主题党日"))
    result, message = assert_one_problem(site, BAD, contains=("front matter",))
    assert not (result.site / "stories/2025/kuo-hao-mei-you-pei-dui").exists()
    assert int(message.split(":")[1]) in (4, 5, 6)  # the unclosed list, up to the closing ---


def test_front_matter_without_closing_marker(site: SiteProject):
    site.write(BAD, "---\ntitle: 没有结束\ndate: 2025-03-01\nbranch: aa\n正文。\n")
    assert_one_problem(site, BAD, line=1, contains=("---",))


def test_story_without_front_matter(site: SiteProject):
    site.write(BAD, "# 只有正文\n\n没有字段区。\n")
    assert_one_problem(site, BAD, line=1, contains=("front matter",))


def test_missing_title(site: SiteProject):
    site.write(BAD, story_text("date: 2025-03-01", "branch: aa", "kind: 主题党日"))
    assert_one_problem(site, BAD, contains=("title", "标题"))


def test_missing_date(site: SiteProject):
    site.write(BAD, story_text("title: 没有日期", "branch: aa", "kind: 主题党日"))
    result, _ = assert_one_problem(site, BAD, contains=("date", "2025-03-15"))
    assert "没有日期" not in result.html("branches/aa/").get_text()


@pytest.mark.parametrize("value", ["2025-02-30", "明天", "2025-13-01", "2025年2月30日"])
def test_date_that_is_not_a_date(site: SiteProject, value: str):
    site.write(BAD, story_text("title: 日期不对", f"date: {value}", "branch: aa", "kind: 主题党日"))
    result, _ = assert_one_problem(site, BAD, line=3, contains=("date", value))
    assert not (result.site / "stories/2025/ri-qi-bu-dui").exists()


def test_impossible_date_in_another_field_is_not_blamed_on_date(site: SiteProject):
    site.write(BAD, story_text("title: 摘要像日期", "date: 2025-03-02", "branch: aa", "kind: 主题党日",
                               "description: 2025-02-30"))
    result = site.build(strict=True)
    assert result.ok, result.messages
    assert result.html("stories/2025/zhai-yao-xiang-ri-qi/").select_one("meta[name=description]")[
        "content"] == "2025-02-30"


def test_unknown_branch(site: SiteProject):
    site.write(BAD, story_text("title: 支部不存在", "date: 2025-03-01", "branch: zz-nowhere", "kind: 主题党日"))
    result, _ = assert_one_problem(site, BAD, line=4, contains=("branch", "zz-nowhere", "aa"))
    assert not (result.site / "stories/2025/zhi-bu-bu-cun-zai").exists()


def test_branch_written_as_its_chinese_brand(site: SiteProject):
    site.write(BAD, story_text("title: 写了中文名", "date: 2025-03-01", "branch: 地质先锋", "kind: 主题党日"))
    assert_one_problem(site, BAD, line=4, contains=("branch", "地质先锋", "aa"))


def test_unknown_activity_kind(site: SiteProject):
    site.write(BAD, story_text("title: 类型不存在", "date: 2025-03-01", "branch: aa", "kind: 篮球赛"))
    result, _ = assert_one_problem(site, BAD, line=5, contains=("活动类型", "篮球赛", "主题党日", "column.yml"))
    assert not (result.site / "stories/2025/lei-xing-bu-cun-zai").exists()


def test_missing_logo_file(site: SiteProject):
    site.write("branches/bb/index.md", "---\nname: 第二党支部\nbrand: 找矿尖兵\nlogo: logo.png\n---\n正文。\n")
    result, _ = assert_one_problem(site, "branches/bb/index.md", level="警告", line=4,
                                   contains=("logo", "branches/bb/logo.png"), published=("branches/bb/",))
    profile = result.html("branches/bb/").select_one(".dj-profile")
    assert profile.find("img") is None
    assert profile.select_one(".dj-logo--text").get_text(strip=True) == "找"


def test_missing_cover_file(site: SiteProject):
    site.write(BAD, story_text("title: 封面丢了", "date: 2025-03-02", "branch: aa", "kind: 主题党日",
                               "cover: img/none.jpg"))
    result, _ = assert_one_problem(site, BAD, level="警告", line=6, contains=("cover", "img/none.jpg"),
                                   published=("stories/2025/good/", "stories/2025/feng-mian-diu-le/"))
    assert result.html("stories/2025/feng-mian-diu-le/").select_one(".dj-story__cover") is None


def test_gbk_encoded_story(site: SiteProject):
    site.write(BAD, story_text("title: 国标码稿件", "date: 2025-03-01", "branch: aa", "kind: 主题党日",
                               body="正文内容。").encode("gbk"))
    result, _ = assert_one_problem(site, BAD, contains=("GBK", "UTF-8"))
    assert not (result.site / "stories/2025/guo-biao-ma-gao-jian").exists()


def test_gbk_encoded_handwritten_page(site: SiteProject):
    site.write("content/about.md", "# 关于本栏\n\n国标码页面。\n".encode("gbk"))
    # extra=1: MkDocs itself adds (in English) that the nav entry about.md has no page any more.
    result, _ = assert_one_problem(site, "content/about.md", contains=("GBK", "UTF-8"), extra=1)
    assert not result.exists("about/")


def test_handwritten_intro_with_bad_front_matter_names_its_file(site: SiteProject):
    site.write("content/archive/index.md", "---\ntitle：活动归档\n---\n介绍。\n")
    result, _ = assert_one_problem(site, "content/archive/index.md", line=2, contains=("全角冒号",))
    assert result.exists("archive/")


def test_full_width_colon_is_explained(site: SiteProject):
    site.write(BAD, story_text("title：全角冒号", "date: 2025-03-01", "branch: aa", "kind: 主题党日"))
    assert_one_problem(site, BAD, contains=("全角冒号", "第 2 行"))


def test_full_width_colon_on_the_last_key(site: SiteProject):
    site.write(BAD, story_text("title: 全角冒号在最后", "date: 2025-03-01", "branch: aa", "kind：主题党日"))
    assert_one_problem(site, BAD, contains=("全角冒号", "第 5 行"))


def test_branch_folder_without_profile(site: SiteProject):
    site.write("branches/cc/logo.png", b"\x89PNG")
    result, _ = assert_one_problem(site, "branches/cc", contains=("index.md",))
    assert not result.exists("branches/cc/")
    assert [b.get_text(strip=True) for b in result.html("branches/").select(".dj-brand__name")] == ["地质先锋"]


def test_story_of_a_branch_folder_without_profile(site: SiteProject):
    site.write("branches/cc/logo.png", b"\x89PNG")
    site.write(BAD, story_text("title: 档案缺失支部的稿件", "date: 2025-03-01", "branch: cc", "kind: 主题党日"))
    result, _ = assert_one_problem(site, BAD, line=4, contains=("branches/cc/index.md",), extra=1)
    assert len(result.messages_about("branches/cc")) == 1
    assert not (result.site / "stories/2025/dang-an-que-shi-zhi-bu-de-gao-jian").exists()


def test_joint_story_with_one_unknown_branch_is_not_published(site: SiteProject):
    site.write(BAD, story_text("title: 半个双联", "date: 2025-03-01", "branch: [aa, zz]", "kind: 双联"))
    result, _ = assert_one_problem(site, BAD, line=4, contains=("zz",))
    assert "半个双联" not in result.html("branches/aa/").get_text()


def test_pairing_naming_an_unknown_branch(site: SiteProject):
    site.branch("bb", brand="找矿尖兵", pairings=[{"branch": "zz-nowhere"}, {"branch": "aa"}])
    site.branch("aa", brand="地质先锋", pairings=[{"branch": "bb"}])  # written by both sides: not reported
    result, _ = assert_one_problem(site, "branches/bb/index.md", level="警告",
                                   contains=("pairings", "zz-nowhere"), published=("branches/bb/",))
    pairings = result.html("branches/bb/").select(".dj-pairings li")
    assert len(pairings) == 1 and "地质先锋" in pairings[0].get_text()


def test_unknown_field_is_a_warning_with_a_suggestion(site: SiteProject):
    site.write(BAD, story_text("title: 字段拼错", "date: 2025-03-02", "branch: aa", "kind: 主题党日",
                               "auther: 张三"))
    assert_one_problem(site, BAD, level="警告", line=6, contains=("auther", "author"),
                       published=("stories/2025/good/", "stories/2025/zi-duan-pin-cuo/"))


def test_story_in_the_wrong_year_folder(site: SiteProject):
    site.write("content/stories/2024/x.md", story_text("title: 放错年份", "date: 2025-03-02", "branch: aa",
                                                         "kind: 主题党日"))
    assert_one_problem(site, "content/stories/2024/x.md", level="警告", line=3, contains=("2024", "2025"))


def test_utf8_bom_and_crlf_are_accepted_silently(site: SiteProject):
    story = "\ufeff---\r\ntitle: 带签名的稿件\r\ndate: 2025-03-02\r\nbranch: aa\r\nkind: 主题党日\r\nstatus: 已发布\r\n---\r\n" \
            "第一段。\r\n\r\n第二段。\r\n"
    site.write(BAD, story.encode("utf-8"))
    site.write("branches/bb/index.md", "\ufeff---\r\nname: 第二党支部\r\nbrand: 找矿尖兵\r\n---\r\n品牌故事。\r\n")
    result = site.build(strict=True)
    assert result.ok, result.messages
    assert result.messages == []
    page = result.html("stories/2025/dai-qian-ming-de-gao-jian/")
    assert page.select_one("article h1").get_text(strip=True) == "带签名的稿件"
    assert [p.get_text() for p in page.select(".dj-story__body p")] == ["第一段。", "第二段。"]
    assert "\ufeff" not in page.get_text() and "\r" not in page.get_text()
    assert result.html("branches/bb/").select_one(".dj-profile__brand").get_text(strip=True) == "找矿尖兵"
