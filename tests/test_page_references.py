"""Images and file links in the bodies that are not stories: hand-written pages (about.md, a listing's
introduction), branch profiles and topics. Checked as a story's are (tests/test_story_references.py): a missing
file, a wrong case, a path outside the published folders is reported in Chinese at its line, and taken out of
the page so a reader never meets a broken image; ``check`` and the build say the same (test_check_parity.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_support import jpeg_bytes
from conftest import SiteProject
from dangjian_column.site import load_column


@pytest.fixture
def site(project: SiteProject) -> SiteProject:
    project.branch("aa", brand="地质先锋")
    project.story("2025/a.md", title="主题党日", slug="a", date="2025-05-01", branch="aa")
    return project


def body_problems(site: SiteProject) -> list[tuple[str, int, str]]:
    column = load_column(site.root, site.root / "content", today=dt.date(2025, 12, 31))
    return [(p.path, p.line, p.message) for p in column.problems if p.field == "body"]


def test_a_hand_written_page_names_the_missing_image_at_its_line(site):
    site.write("content/about.md", "# 关于本栏\n\n介绍。\n\n![合影](photos/合影.jpg)\n")
    site.write("content/photos/合影.JPG", jpeg_bytes())
    [(path, line, message)] = body_problems(site)
    assert (path, line) == ("content/about.md", 5)
    assert "正文图片 photos/合影.jpg" in message and "是不是 photos/合影.JPG" in message
    assert "按页面所在文件夹查找：content/photos/合影.jpg" in message
    result = site.build()
    assert result.ok and any(m.startswith("content/about.md:5: 警告: ") for m in result.messages), result.messages
    page = result.html("about/")
    assert "介绍" in page.select_one(".md-content").get_text() and not page.select(".md-content img")


def test_an_introduction_shows_no_broken_image_and_keeps_the_good_one(site):
    site.write("content/kinds/index.md", "---\ntitle: 活动类型\n---\n![旗帜](flag.jpg) ![没有](none.jpg)\n")
    site.write("content/kinds/flag.jpg", jpeg_bytes())
    result = site.build()
    assert result.ok
    [warning] = [m for m in result.messages if "none.jpg" in m]
    assert warning.startswith("content/kinds/index.md:4: 警告: ") and "页面" in warning
    sources = [img.get("src", "") for img in result.html("kinds/").select(".md-content img")]
    assert not [s for s in sources if "none" in s], sources
    assert [s for s in sources if s.endswith((".jpg", ".webp"))], sources  # flag.jpg, as its rendition


def test_a_branch_profile_body_is_checked_in_its_folder(site):
    site.write("branches/aa/index.md", "---\nname: aa 党支部\nbrand: 地质先锋\n---\n品牌故事。\n\n"
                                       "![合影](team.jpg)\n\n![旧照](old.jpg)\n\n[章程](../../column.yml)\n")
    site.write("branches/aa/team.jpg", jpeg_bytes())
    problems = body_problems(site)
    assert [(path, line) for path, line, _ in problems] == [("branches/aa/index.md", 9), ("branches/aa/index.md", 11)]
    assert "按支部档案所在文件夹查找：branches/aa/old.jpg" in problems[0][2]
    assert "指向 branches/ 文件夹以外" in problems[1][2] and "支部档案文件夹 branches/aa/" in problems[1][2]
    result = site.build()
    page = result.html("branches/aa/")
    assert "old.jpg" not in str(page) and "column.yml" not in str(page)
    assert page.find(string=lambda t: t and "章程" in t)  # a refused link keeps its text
    assert [img for img in page.select(".md-content img") if "team" in img.get("alt", "") + img.get("src", "")
            or img.get("alt") == "合影"]


def test_a_topic_body_links_to_pages_freely_and_files_only_in_its_folder(site):
    site.write("topics/xuexi/index.md", "---\ntitle: 学习专题\ntags: [学习]\n---\n"
                                        "[活动归档](../../archive/)\n\n![横幅](banner.png)\n")
    [(path, line, message)] = body_problems(site)
    assert (path, line) == ("topics/xuexi/index.md", 7) and "专题" in message and "banner.png" in message
