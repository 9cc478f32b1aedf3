"""One small but complete site, built once per module: listings, story pages, URLs and navigation."""

from __future__ import annotations

import json

import pytest
from browser_support import jpeg_bytes, png_bytes
from conftest import BuildResult, SiteProject, resolve, search_documents, story_titles

BODY = "## 活动现场\n\n全体党员**重温入党誓词**，参观了[地质博物馆](https://example.com/museum)。\n"
BODY_CHARS = 4 + 10 + 3 + 5  # 活动现场 / 全体党员重温入党誓词 / 参观了 / 地质博物馆; punctuation and markup do not count

FIXED_NAV = {"首页", "支部品牌", "活动类型", "活动归档", "标签", "互学互鉴", "考核统计", "关于本栏"}
TITLES = ["五月实践", "找矿一线党课", "重走地质路", "三月学习", "去年的活动"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuildResult:
    project = SiteProject.create(tmp_path_factory.mktemp("pages") / "project")
    project.settings(latest_count=3)
    project.branch("dizhi-xianfeng", brand="地质先锋", short_name="区调一支部", logo="logo.png", order=1,
                   pairings=[{"branch": "zhaokuang", "note": "结对共建"}, {"partner": "和平街道社区"}])
    project.write("branches/dizhi-xianfeng/logo.png", png_bytes())
    project.branch("zhaokuang", brand="找矿尖兵", short_name="矿产所支部", order=2,
                   pairings=[{"branch": "dizhi-xianfeng"}])  # both sides write a pairing, or it is reported
    project.branch("kantan", brand="勘探之光", order=3)
    project.write("content/stories/2025/img/cover.jpg", jpeg_bytes(1200, 800))
    project.story("2025/chongzou.md", body=BODY, title="重走地质路", date="2025-03-15",
                  branch=["dizhi-xianfeng", "zhaokuang"], kind="主题党日", tags=["红色教育", "野外一线"],
                  author="张三", photographer="李四", source="院党委办公室", cover="img/cover.jpg")
    project.story("2025/a.md", title="三月学习", date="2025-03-02", branch="dizhi-xianfeng", kind="专家大讲堂",
                  tags=["红色教育"], slug="march-study")
    project.story("2025/b.md", title="五月实践", date="2025-05-01", branch="dizhi-xianfeng", kind="一课一片一实践")
    project.story("2025/c.md", title="找矿一线党课", date="2025-04-10", branch="zhaokuang", kind="党课进一线")
    project.story("2024/d.md", title="去年的活动", date="2024-12-20", branch="zhaokuang", kind="主题党日",
                  tags=["野外一线"])
    project.write("content/kinds/index.md", "# 活动类型\n\n各类活动的手写介绍。\n")
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert result.messages == []
    return result

def target_exists(site: BuildResult, path: str) -> bool:
    path = path.lstrip("/")  # resolve() gives "/" for the home page (当前位置's 首页 links there)
    return (site.site / path / "index.html").is_file() if path.endswith("/") or not path else \
        (site.site / path).is_file()


# 1. Branch pages ---------------------------------------------------------------------------------

def test_branch_page_lists_exactly_its_stories_newest_first(site: BuildResult):
    assert story_titles(site.html("branches/dizhi-xianfeng/")) == ["五月实践", "重走地质路", "三月学习"]
    assert story_titles(site.html("branches/zhaokuang/")) == ["找矿一线党课", "重走地质路", "去年的活动"]


def test_branch_without_stories_says_so(site: BuildResult):
    page = site.html("branches/kantan/")
    assert story_titles(page) == []
    assert "暂无稿件" in page.select_one(".dj-list").get_text()


def test_joint_story_page_shows_both_branch_cards_with_logo(site: BuildResult):
    url = "stories/2025/chong-zou-di-zhi-lu/"
    chips = site.html(url).select(".dj-story__branches a.dj-chip--branch")
    assert [c.strong.get_text(strip=True) for c in chips] == ["地质先锋", "找矿尖兵"]
    assert [resolve(url, c["href"]) for c in chips] == ["branches/dizhi-xianfeng/", "branches/zhaokuang/"]
    logo = chips[0].find("img")
    assert logo is not None and resolve(url, logo["src"]).startswith("media/")  # the logo's rendition
    assert target_exists(site, resolve(url, logo["src"]))
    assert not (site.site / "branches/dizhi-xianfeng/logo.png").exists()  # originals are never copied
    assert chips[1].find("img") is None  # no logo file: the initial is shown instead
    assert chips[1].select_one(".dj-logo--text").get_text(strip=True) == "找"


def test_pairings_link_to_the_paired_branch_page(site: BuildResult):
    url = "branches/dizhi-xianfeng/"
    items = site.html(url).select(".dj-pairings li")
    assert len(items) == 2
    paired = items[0].select_one("a.dj-chip--branch")
    assert paired is not None and "找矿尖兵" in paired.get_text()
    assert resolve(url, paired["href"]) == "branches/zhaokuang/"
    assert target_exists(site, resolve(url, paired["href"]))
    assert items[0].select_one(".dj-pairings__note").get_text(strip=True) == "结对共建"
    partner = items[1].select_one(".dj-chip")
    assert partner.name == "span" and partner.get_text(strip=True) == "和平街道社区"  # no page to link to


# 2. Listings, home and navigation --------------------------------------------------------------

@pytest.mark.parametrize(("url", "titles"), [
    ("kinds/zhuti-dangri/", ["重走地质路", "去年的活动"]),
    ("kinds/zhuanjia-dajiangtang/", ["三月学习"]),
    ("kinds/yike-yipian-yishijian/", ["五月实践"]),  # written with the alias 一课一片一实践
    ("kinds/dangke-jin-yixian/", ["找矿一线党课"]),
    ("kinds/shuanglian/", []),
    ("archive/2025/", ["五月实践", "找矿一线党课", "重走地质路", "三月学习"]),
    ("archive/2024/", ["去年的活动"]),
    ("archive/2025/03/", ["重走地质路", "三月学习"]),
    ("archive/2025/04/", ["找矿一线党课"]),
    ("archive/2024/12/", ["去年的活动"]),
    ("tags/hong-se-jiao-yu/", ["重走地质路", "三月学习"]),
    ("tags/ye-wai-yi-xian/", ["重走地质路", "去年的活动"]),
])
def test_listing_pages_list_exactly_the_right_stories(site: BuildResult, url: str, titles: list[str]):
    page = site.html(url)
    assert story_titles(page) == titles
    total = page.select_one(".dj-total").get_text(strip=True)
    assert total.startswith(f"共 {len(titles)} 篇")


def test_no_listing_for_a_month_without_stories(site: BuildResult):
    assert not site.exists("archive/2025/02/")
    assert not site.exists("archive/2023/")


def test_story_cards_link_to_existing_story_pages(site: BuildResult):
    url = "archive/2025/"
    for link in site.html(url).select(".dj-card__title a"):
        assert target_exists(site, resolve(url, link["href"])), link


def test_archive_index_links_years_and_months(site: BuildResult):
    page = site.html("archive/")
    links = {resolve("archive/", a["href"]) for a in page.select(".md-content a")}
    assert {"archive/2025/", "archive/2024/", "archive/2025/03/", "archive/2025/04/",
            "archive/2025/05/", "archive/2024/12/"} <= links


def test_tags_index_links_every_tag(site: BuildResult):
    page = site.html("tags/")
    links = {a.contents[0].strip(): resolve("tags/", a["href"]) for a in page.select(".dj-chips a")}
    assert links == {"红色教育": "tags/hong-se-jiao-yu/", "野外一线": "tags/ye-wai-yi-xian/"}


def test_handwritten_page_becomes_the_introduction(site: BuildResult):
    page = site.html("kinds/")
    content = page.select_one(".md-content")
    assert [h.get_text(strip=True) for h in content.select("h1")] == ["活动类型"]
    assert content.get_text().count("各类活动的手写介绍。") == 1
    assert content.select_one(".dj-kinds") is not None


def test_home_shows_brand_wall_and_latest_stories(site: BuildResult):
    home = site.html("")
    wall = home.select(".dj-wall-compact a.dj-brandlet")
    assert [b.strong.get_text(strip=True) for b in wall] == ["地质先锋", "找矿尖兵", "勘探之光"]
    hrefs = [resolve("", b["href"]) for b in wall]
    assert hrefs == ["branches/dizhi-xianfeng/", "branches/zhaokuang/", "branches/kantan/"]
    assert all(target_exists(site, h) for h in hrefs)
    # the lead story, then the headlines, each with its date
    latest = [a.get_text(strip=True) for a in home.select(".dj-lead__title a, .dj-headlines a")]
    assert latest == ["五月实践", "找矿一线党课", "重走地质路"]  # latest_count: 3
    assert all(li.time for li in home.select(".dj-headlines li")) and home.select_one(".dj-lead time")


def test_branches_index_shows_every_branch(site: BuildResult):
    wall = site.html("branches/").select(".dj-wall a.dj-brand")
    assert [resolve("branches/", b["href"]) for b in wall] == [
        "branches/dizhi-xianfeng/", "branches/zhaokuang/", "branches/kantan/"]


@pytest.mark.parametrize("url", ["", "branches/dizhi-xianfeng/", "stories/2025/chong-zou-di-zhi-lu/",
                                 "archive/2025/03/", "about/"])
def test_navigation_holds_only_the_fixed_entries(site: BuildResult, url: str):
    page = site.html(url)
    tabs = {a.get_text(strip=True) for a in page.select("nav.md-tabs a")}
    assert tabs == FIXED_NAV
    # The primary (site) navigation; .md-nav--secondary is the page's own table of contents.
    side = {a.get_text(strip=True) for a in page.select(".md-nav--primary a")} - {""}
    assert side <= FIXED_NAV, side - FIXED_NAV
    nav_text = " ".join(n.get_text(" ") for n in page.select("nav.md-tabs, .md-nav"))
    assert not [t for t in TITLES if t in nav_text]


# 4. Story page ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def story(site: BuildResult):
    return site.html("stories/2025/chong-zou-di-zhi-lu/")


def test_story_title_date_and_kind(site: BuildResult, story):
    url = "stories/2025/chong-zou-di-zhi-lu/"
    article = story.select_one("article.dj-story")
    assert article.h1.get_text(strip=True) == "重走地质路"
    assert story.title.get_text().startswith("重走地质路")
    time = article.select_one(".dj-story__meta time")
    assert time["datetime"] == "2025-03-15"
    assert time.get_text(strip=True) == "2025年3月15日"
    kind = article.select_one(".dj-story__kind a")
    assert kind.get_text(strip=True) == "主题党日"
    assert resolve(url, kind["href"]) == "kinds/zhuti-dangri/"
    assert article.select_one(".dj-badge") is not None  # joint story


def test_story_tags_link_to_tag_pages(site: BuildResult, story):
    url = "stories/2025/chong-zou-di-zhi-lu/"
    tags = {a.get_text(strip=True): resolve(url, a["href"]) for a in story.select(".dj-tags a.dj-tag")}
    assert tags == {"#红色教育": "tags/hong-se-jiao-yu/", "#野外一线": "tags/ye-wai-yi-xian/"}
    assert all(target_exists(site, t) for t in tags.values())


def test_story_credits(story):
    credits = [s.get_text(strip=True) for s in story.select(".dj-credits span")]
    assert credits == ["撰稿：张三", "摄影：李四", "来源：院党委办公室"]


def test_story_without_credits_has_no_credit_line(site: BuildResult):
    assert site.html("stories/2025/march-study/").select_one(".dj-credits") is None


def test_story_length_counts_chinese_characters(story):
    meta = story.select_one(".dj-story__meta").get_text(" ", strip=True)
    assert f"全文约 {BODY_CHARS} 字" in meta
    assert "阅读约 1 分钟" in meta


def test_story_body_is_rendered(story):
    body = story.select_one(".dj-story__body")
    assert body.h2.get_text(strip=True) == "活动现场"
    assert body.strong.get_text(strip=True) == "重温入党誓词"


def test_story_prev_next_within_each_branch(site: BuildResult, story):
    url = "stories/2025/chong-zou-di-zhi-lu/"
    around = story.select("nav.dj-around")
    assert len(around) == 2
    seen = {}
    for nav in around:
        branch = resolve(url, nav.select_one(".dj-around__title a")["href"])
        older = nav.select_one("a.dj-around__older")
        newer = nav.select_one("a.dj-around__newer")
        seen[branch] = (resolve(url, older["href"]), resolve(url, newer["href"]))
        assert target_exists(site, seen[branch][0]) and target_exists(site, seen[branch][1])
    assert seen == {
        "branches/dizhi-xianfeng/": ("stories/2025/march-study/", "stories/2025/wu-yue-shi-jian/"),
        "branches/zhaokuang/": ("stories/2024/qu-nian-de-huo-dong/", "stories/2025/zhao-kuang-yi-xian-dang-ke/"),
    }


def test_newest_and_oldest_story_have_one_neighbour(site: BuildResult):
    newest = site.html("stories/2025/wu-yue-shi-jian/").select_one("nav.dj-around")
    assert newest.select_one(".dj-around__newer") is None
    assert "重走地质路" in newest.select_one(".dj-around__older").get_text()
    oldest = site.html("stories/2025/march-study/").select_one("nav.dj-around")
    assert oldest.select_one(".dj-around__older") is None
    assert "重走地质路" in oldest.select_one(".dj-around__newer").get_text()


def test_story_cover_image_exists(site: BuildResult, story):
    url = "stories/2025/chong-zou-di-zhi-lu/"
    img = story.select_one(".dj-story__cover img")
    assert img is not None
    src = resolve(url, img["src"])
    assert src.startswith("media/") and src.endswith(".jpg")  # a rendition, never the original
    assert (site.site / src).read_bytes()[:2] == b"\xff\xd8"
    assert not (site.site / "stories/2025/img/cover.jpg").exists()
    card_cover = site.html("archive/2025/03/").select_one(".dj-card__cover img")
    assert (site.site / resolve("archive/2025/03/", card_cover["src"])).exists()


# 5. URLs --------------------------------------------------------------------------------------

def test_explicit_slug_is_used(site: BuildResult):
    assert site.exists("stories/2025/march-study/")
    assert not site.exists("stories/2025/san-yue-xue-xi/")
    assert not site.exists("stories/2025/a/")


def test_slug_from_pinyin_of_the_title(site: BuildResult):
    assert site.exists("stories/2025/chong-zou-di-zhi-lu/")  # 重 in 重走 is read chóng
    assert site.exists("stories/2025/zhao-kuang-yi-xian-dang-ke/")
    assert site.exists("stories/2024/qu-nian-de-huo-dong/")
    assert not site.exists("stories/2025/chongzou/")


def test_story_sources_are_not_published_as_markdown(site: BuildResult):
    assert not list(site.site.rglob("*.md"))


def test_duplicate_slug_reported_once_first_one_published(project: SiteProject):
    project.branch("aa", brand="地质先锋")
    project.story("2025/first.md", title="主题党日活动", date="2025-03-01", branch="aa", body="第一篇的正文。")
    project.story("2025/second.md", title="主题党日活动", date="2025-04-01", branch="aa", body="第二篇的正文。")
    project.story("2025/third.md", title="另一篇", slug="zhu-ti-dang-ri-huo-dong", date="2025-05-01", branch="aa")
    result = project.build()
    assert result.ok
    second = result.messages_about("content/stories/2025/second.md")
    third = result.messages_about("content/stories/2025/third.md")
    assert len(second) == 1 and len(third) == 1, result.messages
    assert len(result.messages) == 2
    for message in second + third:
        assert "content/stories/2025/first.md" in message
        assert "stories/2025/zhu-ti-dang-ri-huo-dong/" in message
        assert "错误" in message
    page = result.html("stories/2025/zhu-ti-dang-ri-huo-dong/")
    assert "第一篇的正文" in page.select_one(".dj-story__body").get_text()
    assert story_titles(result.html("branches/aa/")) == ["主题党日活动"]
    assert project.build(strict=True).ok is False


def test_search_page_points_at_the_index_the_build_wrote(project: SiteProject):
    project.branch("aa", brand="地质先锋")
    project.story("2024/old.md", title="往年稿件", slug="old", date="2024-05-01", branch="aa")
    project.story("2025/new.md", title="今年稿件", slug="new", date="2025-05-01", branch="aa")
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert result.html("search/").select_one("#dj-search")["data-index"] == "../searchindex/"
    manifest = json.loads((result.site / "searchindex" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["count"] == 3 and (result.site / "searchindex" / manifest["dir"] / "f.json").is_file()
    docs = search_documents(result.site)
    assert [d["u"] for d in docs] == ["stories/2025/new/", "stories/2024/old/", "branches/aa/"]  # newest first
    assert docs[0]["d"] == "2025年5月1日" and docs[0]["b"] == ["地质先锋"] and docs[0]["k"] == "主题党日"


def test_story_body_is_searchable_by_default_and_left_out_when_full_text_is_off(project: SiteProject):
    project.branch("aa", brand="地质先锋")
    project.story("2025/a.md", title="主题党日", slug="a", date="2025-05-01", branch="aa",
                  description="摘要里有找矿。", body="正文里才有**岩芯**编录。\n\n![钻塔旁合影](img/a.jpg)")
    project.write("content/stories/2025/img/a.jpg", jpeg_bytes())
    result = project.build(strict=True)
    assert result.ok, result.messages
    [story] = [d for d in search_documents(result.site) if d["u"] == "stories/2025/a/"]
    assert "摘要里有找矿。" in story["x"] and "正文里才有岩芯编录。" in story["x"] and "钻塔旁合影" in story["x"]
    project.settings(search_full_text=False)
    result = project.build(strict=True)
    [story] = [d for d in search_documents(result.site) if d["u"] == "stories/2025/a/"]
    assert story["x"] == "摘要里有找矿。"


def test_site_without_branches_or_stories_builds_and_has_no_search_index(project: SiteProject):
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert result.html("search/").select_one("#dj-search")["data-index"] == ""
    assert not (result.site / "searchindex").exists()


def test_no_instant_navigation_and_pages_prefetched_on_tap(project: SiteProject, monkeypatch):
    """Material's instant navigation is off on every page (its start-up rewrote every link and fetched sitemap.xml);
    the published pages carry a speculation rule that prefetches column pages, the preview does not."""
    import json

    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    project.branch("aa", brand="地质先锋")
    project.story("2025/a.md", title="主题党日", slug="a", date="2025-05-01", branch="aa")
    result = project.build(strict=True)

    def features(url: str) -> list[str]:
        return json.loads(result.html(url).select_one("#__config").string)["features"]

    for url in ("", "branches/aa/", "stories/2025/a/", "kinds/zhuti-dangri/", "archive/2025/", "search/"):
        assert not [f for f in features(url) if f.startswith("navigation.instant")], url
        assert "navigation.tabs" in features(url), url
        rule = json.loads(result.html(url).select_one('script[type="speculationrules"]').string)
        assert rule["prefetch"][0]["eagerness"] == "moderate"
        assert {"href_matches": "/*/"} in rule["prefetch"][0]["where"]["and"], url  # pages, not photos or files
    assert result.html("").select_one(".md-progress") is None

    monkeypatch.setenv("DANGJIAN_PREVIEW", "1")
    preview = project.build(strict=True, site_dir=project.root / "preview-site")
    assert preview.html("stories/2025/a/").select_one('script[type="speculationrules"]') is None


def test_learning_and_assessment_pages_can_be_switched_off(project: SiteProject):
    project.branch("aa", brand="地质先锋", pairings=[{"branch": "bb"}])
    project.branch("bb", brand="找矿尖兵", pairings=[{"branch": "aa"}])
    project.story("2025/a.md", title="甲活动", slug="a", date="2025-05-01", branch="aa", tags=["红色教育"])
    project.story("2025/b.md", title="乙活动", slug="b", date="2025-05-02", branch="bb", tags=["红色教育"])
    on = project.build(strict=True)
    assert on.exists("learning/") and on.exists("stats/") and (on.site / "stats" / "2025.csv").exists()
    assert on.html("stories/2025/a/").select(".dj-related")

    project.settings(learning_pages=False, assessment_pages=False)
    off = project.build(strict=True, site_dir=project.root / "site-off")
    assert off.ok, off.messages
    assert not (off.site / "learning").exists() and not (off.site / "stats").exists()
    tabs = [a.get_text(strip=True) for a in off.html("").select(".md-tabs__link")]
    assert "互学互鉴" not in tabs and "考核统计" not in tabs and "支部品牌" in tabs
    branch = off.html("branches/aa/")
    assert not branch.select(".dj-branch-coverage") and not branch.select(".dj-pairings__more")
    assert branch.select(".dj-pairings li")  # the pairing itself is still shown
    assert not off.html("stories/2025/a/").select(".dj-related")
