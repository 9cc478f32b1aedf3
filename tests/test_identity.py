"""The column's identity on built pages (issue 14): footer lines from column.yml, 当前位置, the Chinese 404,
the grouped brand wall, and no docs leftovers. Real builds of fixture folders, parsed HTML."""

from __future__ import annotations

import pytest
from browser_support import png_bytes
from conftest import SiteProject, resolve
from dangjian_column.commands.cli import main

IDENTITY = {
    "host": "省地质调查院党委宣传部",
    "address": "某省某市某路 1 号",
    "contact": "电话 0000-0000000",
    "official_site": "https://www.example.gov.cn/",
    "official_site_name": "省地质调查院官网",
    "site_code": "TEST000001",
    "icp": "某ICP备00000000号-1",
    "police_record": "某公网安备 00000000000000号",
    "police_record_url": "https://www.example.gov.cn/police-record",
    "police_icon": "assets/police.png",
    "government_mark": "assets/mark.png",
    "government_mark_url": "https://www.example.gov.cn/mark",
    "emblem": "assets/emblem.png",
}
STORY = "stories/2025/shequ-gongjian/"


def _project(root, identity=None) -> SiteProject:
    project = SiteProject.create(root)
    project.branch("tankuang", brand="探矿尖兵", category="项目一线")
    project.branch("dizhi", brand="地质先锋", category="机关")
    project.story("2025/gongjian.md", title="社区共建绿色家园", date="2025-03-20", branch="dizhi", kind="联合共建",
                  slug="shequ-gongjian", body="支部党员走进社区。\n\n## 第一部分\n\n种下二十棵银杏树。")
    for name in ("police", "mark", "emblem"):
        project.write(f"content/assets/{name}.png", png_bytes(64))
    project.settings(identity=identity)  # None: no identity: section at all
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = _project(tmp_path_factory.mktemp("identity") / "p", IDENTITY)
    result = project.build(strict=True)
    assert result.ok, result.messages
    return result


def test_footer_shows_every_configured_line(site):
    footer = site.html(STORY).select_one("footer.dj-footer")
    text = footer.get_text(" ", strip=True)
    for label, key in (("主办单位：", "host"), ("地址：", "address"), ("联系方式：", "contact"),
                       ("网站标识码：", "site_code"), ("", "icp"), ("", "police_record")):
        assert label + IDENTITY[key] in text
    links = {a.get_text(strip=True): a["href"] for a in footer.select("a")}
    assert links["省地质调查院官网"] == "https://www.example.gov.cn/"
    assert links[IDENTITY["icp"]] == "https://beian.miit.gov.cn/"
    assert links[IDENTITY["police_record"]] == IDENTITY["police_record_url"]
    mark = footer.select_one("img[alt=党政机关网站标识]")
    assert (site.site / resolve(STORY, mark["src"])).is_file()
    assert mark.find_parent("a")["href"] == IDENTITY["government_mark_url"]


def test_office_emblem_heads_every_page(site):
    for url in ("", STORY, "branches/dizhi/"):
        emblem = site.html(url).select_one(".dj-masthead__emblem")
        assert resolve(url, emblem["src"]) == "assets/emblem.png"


def test_without_identity_only_the_organisation_is_shown_nothing_invented(tmp_path):
    result = _project(tmp_path / "p").build(strict=True)
    assert result.ok, result.messages
    footer = result.html("").select_one("footer.dj-footer")
    text = footer.get_text(" ", strip=True)
    assert "主办单位：省地质调查院党委" in text  # column.yml's organisation
    assert not any(word in text for word in ("网站标识码", "ICP", "公网安备", "地址", "联系"))
    assert footer.select("img") == []
    emblem = result.html("").select_one(".dj-masthead__emblem")
    assert resolve("", emblem["src"]) == "assets/images/emblem.svg"  # the neutral default


def test_bad_identity_lines_are_reported_the_same_by_check_and_build(tmp_path, capsys):
    project = _project(tmp_path / "p", {"official_site": "www.example.gov.cn", "government_mark": "assets/none.png",
                                        "icp": "某ICP备00000000号-1", "phone": "1"})
    result = project.build()
    assert result.ok
    built = [m for m in result.messages if "identity" in m]
    assert len(built) == 3, result.messages
    assert any("identity.official_site" in m and "http://" in m for m in built)
    assert any("content/assets/none.png" in m for m in built)
    assert any("identity 里的 phone" in m for m in built)
    footer = result.html("").select_one("footer.dj-footer")
    assert footer.select("img") == [] and "某ICP备00000000号-1" in footer.get_text()  # the good line stays
    assert main(["--root", str(project.root), "check", "--strict"]) == 1
    out = capsys.readouterr().out
    assert all(message in out for message in built)
    assert not project.build(strict=True).ok


def test_breadcrumb_on_every_page_but_home(site):
    assert site.html("").select_one("nav.dj-breadcrumb") is None
    for url, trail in ((STORY, ["首页", "活动归档", "2025年", "社区共建绿色家园"]),
                       ("branches/dizhi/", ["首页", "支部品牌", "地质先锋"]),
                       ("kinds/lianhe-gongjian/", ["首页", "活动类型", "联合共建"]),
                       ("archive/2025/03/", ["首页", "活动归档", "2025年", "2025年3月"]),
                       ("about/", ["首页", "关于本栏"])):
        nav = site.html(url).select_one("nav.dj-breadcrumb[aria-label=当前位置]")
        assert nav is not None, url
        items = [li.get_text(strip=True) for li in nav.select("li")]
        assert items[:-1] == trail[:-1] and trail[-1] in items[-1], (url, items)
        assert nav.select("li")[-1].select_one("[aria-current=page]")
        for a in nav.select("a"):
            target = resolve(url, a["href"])
            assert site.exists(target), (url, target)


def test_not_found_page_is_chinese_with_ways_on(site):
    soup = site.html("404.html")
    assert soup.h1.get_text(strip=True) == "页面找不到了"
    assert "Not found" not in soup.get_text()
    hrefs = {a.get_text(strip=True): a["href"] for a in soup.select(".dj-notfound a")}
    assert hrefs["返回专栏首页"].endswith("/dangjian/") or hrefs["返回专栏首页"] == "/"
    assert hrefs["社区共建绿色家园"].endswith("/" + STORY)  # the latest stories, absolute (any path 404s)
    assert soup.select_one("form.dj-notfound__search")["action"].endswith("/search/")


def test_story_pages_carry_no_docs_leftovers(site):
    soup = site.html(STORY)
    toc = soup.select_one(".md-sidebar--secondary")
    assert toc is None or toc.has_attr("hidden")  # no 目录 on a news story
    assert soup.select_one(".md-banner") is None  # no empty announcement strip
    assert "公众号排版版本" not in soup.get_text()  # editors' tool: preview builds only


def test_hand_written_pages_carry_no_docs_sidebars_unless_they_ask(tmp_path):
    project = _project(tmp_path / "p")
    project.write("content/guide.md", "---\ntitle: 投稿须知\nhide: []\n---\n# 投稿须知\n\n## 稿件\n\n正文。\n")
    result = project.build(strict=True)
    about = result.html("about/")
    for sidebar in (".md-sidebar--primary", ".md-sidebar--secondary"):  # the drawer on phones is still there
        assert about.select_one(sidebar).has_attr("hidden"), sidebar
    assert not about.select(".md-sidebar--secondary .md-nav__link")  # no 目录 rendered
    asked = result.html("guide/")  # a page that wants its 目录 says `hide: []`
    assert not asked.select_one(".md-sidebar--secondary").has_attr("hidden")
    assert [a.get_text(strip=True) for a in asked.select(".md-sidebar--secondary .md-nav__link")] == ["稿件"]


def test_wechat_link_is_there_in_preview(tmp_path, monkeypatch):
    monkeypatch.setenv("DANGJIAN_PREVIEW", "1")
    result = _project(tmp_path / "p").build(strict=True)
    link = result.html(STORY).select_one(".dj-story__tools a")
    assert link.get_text() == "公众号排版版本" and result.exists(resolve(STORY, link["href"]))


def test_brand_wall_is_grouped_and_folds_for_many_branches(tmp_path):
    project = SiteProject.create(tmp_path / "p")
    categories = ["机关", "项目一线", "实验室"]
    for i in range(30):
        project.branch(f"b{i:02d}", brand=f"品牌{i:02d}", category=categories[i % 3], order=i)
    result = project.build(strict=True)
    assert result.ok, result.messages
    groups = result.html("").select("details.dj-wall-group")
    assert [g.summary.select_one(".dj-wall-group__label").get_text() for g in groups] == categories
    assert [g.has_attr("open") for g in groups] == [True, False, False]
    assert [len(g.select("a.dj-brandlet")) for g in groups] == [10, 10, 10]
