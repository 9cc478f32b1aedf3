"""互学互鉴 pages: pairings with their joint stories, the highlights wall, the experiences index."""

from __future__ import annotations

import pytest
from conftest import BuildResult, SiteProject, resolve
from test_build_pages import target_exists

PARTNER = "和平街道社区党委"
PARTNER_ANCHOR = "pair-alpha--he-ping-jie-dao-she-qu-dang-wei"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuildResult:
    project = SiteProject.create(tmp_path_factory.mktemp("learning") / "project")
    project.branch(
        "alpha", brand="甲品牌", short_name="甲支部", order=1,
        pairings=[{"branch": "beta", "note": "上下级双联"}, {"partner": PARTNER, "note": "社区共建"}],
        highlights=[
            "红色教育进工地",                                                  # tag, in the title
            {"title": "帐篷学习室", "text": "在野外一线驻地搭一顶帐篷。"},     # tag, in the text only
            "党课进一线宣讲团",                                                # kind 党课进一线 (5) beats tag 党课 (2)
            "志愿服务结对帮扶",                                                # 志愿服务 is no story's tag: 其他
            {"title": "红色教育小课堂", "text": "党课进一线的常规安排。"},     # title beats the longer text match
        ],
        experiences=[{"title": "双联轮值", "text": "两个支部轮流牵头。"}],     # kind 双联
    )
    project.branch(
        "beta", brand="乙品牌", short_name="乙支部", order=2,
        pairings=[{"branch": "alpha", "note": "互派党课讲师"}, {"branch": "gamma"}],
        highlights=["野外一线先锋岗"],
        experiences=["台账管理", "以红色教育带队伍"],
    )
    project.branch("gamma", brand="丙品牌", short_name="丙支部", order=3, pairings=["beta"])  # no highlights
    story = project.story
    story("2025/s1.md", title="甲乙联合主题党日", date="2025-03-01", branch=["alpha", "beta"], kind="主题党日",
          tags=["红色教育"])
    story("2025/s2.md", title="甲乙五月双联", date="2025-05-01", branch=["beta", "alpha"], kind="双联")
    story("2025/s3.md", title="乙丙联合活动", date="2025-04-01", branch=["beta", "gamma"], kind="双联",
          tags=["野外一线"])
    story("2025/s4.md", title="三支部联合共建", date="2025-02-01", branch=["alpha", "beta", "gamma"],
          kind="联合共建")
    story("2025/s5.md", title="走进社区", date="2025-06-01", branch="alpha", kind="主题党日",
          tags=["野外一线", "党课"], description=f"与{PARTNER}一起开展活动。")
    story("2025/s6.md", title="党课进工地", date="2025-01-10", branch="alpha", kind="党课进一线",
          tags=["红色教育"])
    story("2024/s7.md", title="丙支部主题党日", date="2024-12-01", branch="gamma", kind="主题党日")
    story("2025/s8.md", title="七月红色教育", date="2025-07-01", branch="alpha", kind="主题党日",
          tags=["红色教育"])
    story("2024/s9.md", title="去年的红色教育", date="2024-11-01", branch="alpha", kind="主题党日",
          tags=["红色教育"])
    story("2025/s10.md", title="社区名字只写一半", date="2025-06-02", branch="alpha", kind="联合共建",
          description="与和平街道一起开展活动。")
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert result.messages == []
    return result


def links_resolve(site: BuildResult, url: str) -> list[str]:
    """Every link in the page's content, as site paths (fragments dropped); each must exist."""
    paths = []
    for a in site.html(url).select(".md-content a[href]"):
        href = a["href"]
        if href.startswith("#"):
            continue
        path = resolve(url, href.split("#")[0])
        assert target_exists(site, path), (url, href)
        paths.append(path)
    return paths


def pair_titles(entry) -> list[str]:
    return [a.get_text(strip=True) for a in entry.select(".dj-learn-stories a")]


# Pairings ----------------------------------------------------------------------------------------

def test_each_branch_pair_is_listed_once_with_exactly_its_joint_stories(site: BuildResult):
    page = site.html("learning/pairings/")
    entries = page.select("li.dj-pair")
    # alpha–beta, written by both sides, is one pair; alpha–gamma (only a joint story) is no pair
    assert [e["id"] for e in entries] == ["pair-alpha--beta", "pair-beta--gamma", PARTNER_ANCHOR]
    ab = page.find(id="pair-alpha--beta")
    assert [c.strong.get_text() for c in ab.select("a.dj-chip--branch")] == ["甲品牌", "乙品牌"]
    assert pair_titles(ab) == ["甲乙五月双联", "甲乙联合主题党日", "三支部联合共建"]  # newest first
    assert [n.get_text() for n in ab.select(".dj-pair__note")] == ["上下级双联", "互派党课讲师"]
    bg = page.find(id="pair-beta--gamma")
    assert pair_titles(bg) == ["乙丙联合活动", "三支部联合共建"]


def test_partner_pairing_shows_stories_that_name_the_partner(site: BuildResult):
    entry = site.html("learning/pairings/").find(id=PARTNER_ANCHOR)
    assert entry is not None
    assert entry.select_one(".dj-chip--partner").get_text(strip=True) == PARTNER
    assert [c.strong.get_text() for c in entry.select("a.dj-chip--branch")] == ["甲品牌"]
    assert pair_titles(entry) == ["走进社区"]  # the half-named partner in 社区名字只写一半 does not count
    assert [n.get_text() for n in entry.select(".dj-pair__note")] == ["社区共建"]


def test_pairings_page_links_resolve(site: BuildResult):
    paths = links_resolve(site, "learning/pairings/")
    assert {"branches/alpha/", "branches/beta/", "branches/gamma/", "stories/2025/jia-yi-wu-yue-shuang-lian/"} \
        <= set(paths)


@pytest.mark.parametrize("branch, anchors", [
    ("alpha", ["pair-alpha--beta", PARTNER_ANCHOR]),
    ("beta", ["pair-alpha--beta", "pair-beta--gamma"]),
    ("gamma", ["pair-beta--gamma"]),
])
def test_both_branch_pages_link_to_the_pair_on_the_pairings_page(site: BuildResult, branch: str, anchors):
    url = f"branches/{branch}/"
    links = site.html(url).select(".dj-pairings a.dj-pairings__more")
    targets = [resolve(url, a["href"].split("#")[0]) + "#" + a["href"].split("#")[1] for a in links]
    assert targets == [f"learning/pairings/#{anchor}" for anchor in anchors]
    pairings_page = site.html("learning/pairings/")
    for anchor in anchors:
        assert pairings_page.find(id=anchor) is not None, anchor


# Highlights and experiences ----------------------------------------------------------------------

def groups_of(site: BuildResult, url: str) -> dict[str, list[tuple[str, str, list[str]]]]:
    """Theme -> [(item title, branch brand, titles of the linked stories)], in page order."""
    groups = {}
    for section in site.html(url).select("section.dj-theme"):
        label = section.h2.contents[0].strip()
        groups[label] = [
            (li.select_one(".dj-learn-item__title").get_text(strip=True),
             li.select_one("a.dj-chip--branch strong").get_text(strip=True),
             [a.get_text(strip=True) for a in li.select(".dj-learn-stories a")])
            for li in section.select("li.dj-learn-item")
        ]
    return groups


def test_highlights_are_grouped_by_theme_as_documented(site: BuildResult):
    groups = groups_of(site, "learning/highlights/")
    assert list(groups) == ["红色教育", "野外一线", "党课进一线", "其他"]  # most items first, 其他 last
    assert groups["红色教育"] == [
        ("红色教育进工地", "甲品牌", ["七月红色教育", "甲乙联合主题党日", "党课进工地"]),  # three, newest first
        ("红色教育小课堂", "甲品牌", ["七月红色教育", "甲乙联合主题党日", "党课进工地"]),
    ]
    assert groups["野外一线"] == [
        ("帐篷学习室", "甲品牌", ["走进社区"]),
        ("野外一线先锋岗", "乙品牌", ["乙丙联合活动"]),
    ]
    assert groups["党课进一线"] == [("党课进一线宣讲团", "甲品牌", ["党课进工地"])]
    assert groups["其他"] == [("志愿服务结对帮扶", "甲品牌", [])]


def test_experiences_are_grouped_by_theme_as_documented(site: BuildResult):
    groups = groups_of(site, "learning/experiences/")
    assert list(groups) == ["红色教育", "双联", "其他"]  # ties: tags before kinds
    assert groups["红色教育"] == [("以红色教育带队伍", "乙品牌", ["甲乙联合主题党日"])]
    assert groups["双联"] == [("双联轮值", "甲品牌", ["甲乙五月双联"])]
    assert groups["其他"] == [("台账管理", "乙品牌", [])]


@pytest.mark.parametrize("url", ["learning/highlights/", "learning/experiences/"])
def test_wall_links_resolve_and_a_branch_without_items_is_absent(site: BuildResult, url: str):
    paths = links_resolve(site, url)
    assert "branches/alpha/" in paths and "branches/beta/" in paths
    assert "branches/gamma/" not in paths
    assert "丙品牌" not in site.html(url).select_one("article").get_text()
    assert any(p.startswith("stories/") for p in paths)
    page = site.html(url)
    for chip in page.select(".dj-learn-themes a"):
        assert page.find(id=chip["href"].lstrip("#")) is not None, chip["href"]


def test_theme_headings_link_to_the_tag_or_kind_listing(site: BuildResult):
    url = "learning/highlights/"
    links = {s.h2.contents[0].strip(): s.select_one("a.dj-theme__more") for s in site.html(url).select("section.dj-theme")}
    assert resolve(url, links["红色教育"]["href"]) == "tags/hong-se-jiao-yu/"
    assert resolve(url, links["党课进一线"]["href"]) == "kinds/dangke-jin-yixian/"
    assert links["其他"] is None


def test_entry_page_links_the_three_pages_with_counts(site: BuildResult):
    url = "learning/"
    entries = site.html(url).select(".dj-learn-entry li a")
    found = {a.strong.get_text(): (resolve(url, a["href"]), a.select_one(".dj-count").get_text()) for a in entries}
    assert found == {
        "双联结对": ("learning/pairings/", "3 对"),
        "亮点墙": ("learning/highlights/", "6 项"),
        "经验做法": ("learning/experiences/", "3 条"),
    }
    links_resolve(site, url)


# Pairings written by one side only ---------------------------------------------------------------

def test_one_sided_pairing_is_reported_once_and_fails_strict(project: SiteProject):
    project.branch("aa", brand="甲品牌", pairings=[{"branch": "bb"}])
    project.branch("bb", brand="乙品牌")
    result = project.build()
    assert result.ok
    assert len(result.messages) == 1, result.messages
    assert result.messages_about("branches/aa/index.md") == result.messages
    message = result.messages[0]
    assert message.startswith("branches/aa/index.md: 警告: ")
    for needle in ("pairings", "branches/bb/index.md", "branch: aa"):
        assert needle in message, message
    assert result.html("learning/pairings/").find(id="pair-aa--bb") is not None  # still shown
    strict = project.build(strict=True, site_dir=project.root / "site-strict")
    assert strict.ok is False
    assert strict.messages == result.messages


def test_pairing_with_an_unknown_branch_gives_only_the_existing_warning(project: SiteProject):
    project.branch("aa", brand="甲品牌", pairings=[{"branch": "zz-nowhere"}])
    result = project.build()
    assert result.ok
    assert len(result.messages) == 1, result.messages
    assert "zz-nowhere" in result.messages[0] and "不存在" in result.messages[0]
    assert result.html("learning/pairings/").select("li.dj-pair") == []
    assert result.html("branches/aa/").select(".dj-pairings li") == []


def test_an_items_own_theme_comes_before_matching(project: SiteProject):
    project.branch("aa", brand="甲品牌", highlights=[
        {"title": "党员先锋岗", "text": "安全生产一线", "theme": "技能比武"},  # says 安全生产, filed under its theme
        {"title": "读书角", "theme": "书香支部"},  # a theme that is no tag or kind
        {"title": "安全生产月"},  # no theme: matched
    ])
    project.story("2025/a.md", title="比武", slug="a", date="2025-05-01", branch="aa", tags=["技能比武"])
    project.story("2025/b.md", title="安全", slug="b", date="2025-05-02", branch="aa", tags=["安全生产"])
    result = project.build(strict=True)
    assert result.ok, result.messages
    groups = groups_of(result, "learning/highlights/")
    assert groups["技能比武"] == [("党员先锋岗", "甲品牌", ["比武"])]
    assert groups["安全生产"] == [("安全生产月", "甲品牌", ["安全"])]
    assert groups["书香支部"] == [("读书角", "甲品牌", [])]
    assert list(groups)[-1] == "书香支部"  # own themes come after the tags and kinds that have items
