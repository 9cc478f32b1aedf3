"""专题: ``topics/<slug>/index.md`` becomes a topic page (banner, introduction, chosen stories, paginated),
with its own RSS/JSON feed and widget, listed on home and in the 专题 index; story pages link to their topics."""

from __future__ import annotations

import io
import json

import feedparser
import pytest
from conftest import BuildResult, SiteProject, front_matter, resolve, story_titles
from dangjian_column.commands.cli import main
from PIL import Image

TOPIC = "topics/dangji-xuexi/"
FIRST, QUIZ, PARTY_DAY, OUTSIDE, WITHDRAWN, DRAFT = (
    "党纪学习第一课", "党纪知识竞赛", "支部主题党日", "范围外的党纪活动", "已撤下的党纪稿件", "尚未审核的党纪稿件")
TOPIC_ORDER = [PARTY_DAY, QUIZ, FIRST]  # the explicit list in its order, then the selected ones newest first


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def write_topic(project: SiteProject, stories: list[str]) -> None:
    project.write(f"{TOPIC}banner.jpg", jpeg())
    project.write(f"{TOPIC}index.md", front_matter({
        "title": "党纪学习教育专题", "description": "各支部党纪学习教育活动汇编。", "banner": "banner.jpg",
        "start": "2026-04-01", "end": "2026-12-31", "kinds": ["党纪学习教育"], "tags": ["党纪学习"],
        "stories": stories,
    }) + "专题介绍：学纪、知纪、明纪、守纪。\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[SiteProject, BuildResult]:
    project = SiteProject.create(tmp_path_factory.mktemp("topics") / "project")
    project.settings(page_size=2)
    project.branch("aa", brand="地质先锋")
    project.branch("bb", brand="探矿尖兵")
    project.story("2026/first.md", title=FIRST, slug="first", date="2026-04-10", branch="aa", kind="党纪学习教育")
    project.story("2026/quiz.md", title=QUIZ, slug="quiz", date="2026-05-10", branch="bb", tags=["党纪学习"])
    project.story("2026/party-day.md", title=PARTY_DAY, slug="party-day", date="2026-06-10", branch="aa")
    project.story("2025/outside.md", title=OUTSIDE, slug="outside", date="2025-12-01", branch="aa",
                  kind="党纪学习教育")
    project.story("2026/withdrawn.md", title=WITHDRAWN, slug="withdrawn", date="2026-04-20", branch="aa",
                  kind="党纪学习教育", status="撤稿")
    project.story("2026/draft.md", title=DRAFT, slug="draft", date="2026-04-21", branch="aa",
                  kind="党纪学习教育", status="待审")
    write_topic(project, ["content/stories/2026/party-day.md",
                          "https://www.example.gov.cn/dangjian/stories/2026/quiz/", "stories/2026/draft.md"])
    return project, project.build(strict=True)


def test_strict_build_is_clean(built):
    _, result = built
    assert result.ok and result.messages == []
    assert any(i.startswith("topics/dangji-xuexi/index.md") and "尚未发布" in i for i in result.infos)


def test_topic_page_shows_banner_introduction_and_stories_in_order(built):
    _, result = built
    page1, page2 = result.html(TOPIC), result.html(f"{TOPIC}page/2/")
    assert page1.h1.get_text(strip=True) == "党纪学习教育专题"
    assert "学纪、知纪、明纪、守纪" in page1.get_text() and "学纪、知纪" not in page2.get_text()
    banner = page1.select_one(".dj-topic-page__banner img")
    assert banner is not None and banner["alt"] == "党纪学习教育专题题图"
    assert "/media/" in banner["src"] and (result.site / resolve(TOPIC, banner["src"])).is_file()
    assert not (result.site / TOPIC / "banner.jpg").exists()  # the original (EXIF and all) is never copied
    assert story_titles(page1) + story_titles(page2) == TOPIC_ORDER
    assert "2026年4月1日—2026年12月31日" in page1.get_text()


def test_topic_feeds_and_widget_hold_the_topic_stories(built):
    _, result = built
    rss = feedparser.parse((result.site / TOPIC / "feed.xml").read_bytes())
    assert not rss.bozo and [e.title for e in rss.entries] == TOPIC_ORDER
    assert rss.feed.link == f"https://www.example.gov.cn/dangjian/{TOPIC}"
    feed = json.loads((result.site / TOPIC / "feed.json").read_text(encoding="utf-8"))
    assert [item["title"] for item in feed["items"]] == TOPIC_ORDER
    widget = json.loads((result.site / "widget/topics/dangji-xuexi/latest.json").read_text(encoding="utf-8"))
    assert [item["title"] for item in widget["items"]] == TOPIC_ORDER
    assert widget["more_url"] == f"https://www.example.gov.cn/dangjian/{TOPIC}"
    html = (result.site / "widget/topics/dangji-xuexi/latest.html").read_text(encoding="utf-8")
    assert QUIZ in html and WITHDRAWN not in html


def test_topic_is_listed_on_home_and_in_the_topics_index_tab(built):
    _, result = built
    home = result.html("")
    section = home.find("h2", string="专题").find_parent("section")
    assert [resolve("", a["href"]) for a in section.select("a.dj-topic")] == [TOPIC]
    tab = [a for a in home.select(".md-tabs a") if a.get_text(strip=True) == "专题"]
    assert tab and resolve("", tab[0]["href"]) == "topics/"
    index = result.html("topics/")
    cards = index.select("a.dj-topic")
    assert [resolve("topics/", a["href"]) for a in cards] == [TOPIC]
    assert "3 篇稿件" in cards[0].get_text()


def test_story_pages_link_to_their_topics(built):
    _, result = built
    for slug in ("first", "quiz", "party-day"):
        line = result.html(f"stories/2026/{slug}/").select_one(".dj-story__topics")
        assert line is not None and [resolve(f"stories/2026/{slug}/", a["href"]) for a in line.select("a")] == [TOPIC]
    assert result.html("stories/2025/outside/").select_one(".dj-story__topics") is None


def test_unknown_story_reference_is_a_warning_naming_the_line(tmp_path, capsys):
    project = SiteProject.create(tmp_path / "project")
    project.branch("aa")
    project.story("2026/first.md", title=FIRST, slug="first", date="2026-04-10", branch="aa", kind="党纪学习教育")
    write_topic(project, ["stories/2026/first/", "content/stories/2026/nope.md"])
    assert main(["--root", str(project.root), "check", "--strict"]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("topics/dangji-xuexi/index.md:")]
    assert len(lines) == 1 and "警告" in lines[0] and "content/stories/2026/nope.md" in lines[0]
    line_no = int(lines[0].split(":")[1])
    text = (project.root / TOPIC / "index.md").read_text(encoding="utf-8").splitlines()
    assert "nope.md" in text[line_no - 1]


def test_no_topics_means_no_tab_and_no_blank_index(tmp_path):
    project = SiteProject.create(tmp_path / "project")
    project.branch("aa")
    project.story("2026/first.md", title=FIRST, slug="first", date="2026-04-10", branch="aa")
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert not result.exists("topics/")
    assert not [a for a in result.html("").select(".md-tabs a") if a.get_text(strip=True) == "专题"]


def test_topic_texts_go_through_the_wording_check(tmp_path, capsys):
    project = SiteProject.create(tmp_path / "project")
    project.branch("aa")
    project.write("terminology.yml", "rules:\n  - wrong: 习近平思想\n    right: 习近平新时代中国特色社会主义思想\n"
                  "    severity: error\n")
    project.write(f"{TOPIC}index.md", front_matter({"title": "学习习近平思想专题", "tags": ["学习"]}) + "导语。\n")
    main(["--root", str(project.root), "check"])
    out = capsys.readouterr().out
    hits = [line for line in out.splitlines() if line.startswith("topics/dangji-xuexi/index.md:2:")]
    assert hits and "习近平新时代中国特色社会主义思想" in hits[0]
