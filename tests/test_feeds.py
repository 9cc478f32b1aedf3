"""RSS 2.0 and JSON Feed 1.1 files: valid, absolute, per branch, escaped, dated in China time."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest
from dangjian_column.content.catalog import Catalog, build_catalog
from dangjian_column.model import ActivityKind, Branch, ColumnSettings, Story
from dangjian_column.problems import ProblemLog
from dangjian_column.publishing.feeds import build_feeds
from dangjian_column.site import load_column

PROJECT = Path(__file__).resolve().parents[1]
BASE = "https://www.example.gov.cn/dangjian/"
NASTY_TITLE = '<script>alert("x")</script> 党员 & 群众'
KIND = ActivityKind(key="zhuti-dangri", label="主题党日", order=0)

# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) as a JSON Schema; "_" keys are extensions.
_URL = {"type": "string", "pattern": "^https?://"}
_AUTHOR = {"type": "object", "minProperties": 1, "patternProperties": {"^_": {}}, "additionalProperties": False,
           "properties": {"name": {"type": "string"}, "url": _URL, "avatar": _URL}}
JSON_FEED_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "title", "items"],
    "patternProperties": {"^_": {}},
    "additionalProperties": False,
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"}, "home_page_url": _URL, "feed_url": _URL, "description": {"type": "string"},
        "user_comment": {"type": "string"}, "next_url": _URL, "icon": _URL, "favicon": _URL,
        "authors": {"type": "array", "items": _AUTHOR}, "language": {"type": "string"},
        "expired": {"type": "boolean"}, "hubs": {"type": "array"},
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
    },
    "$defs": {"item": {
        "type": "object",
        "required": ["id"],
        "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
        "patternProperties": {"^_": {}},
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"}, "url": _URL, "external_url": _URL, "title": {"type": "string"},
            "content_html": {"type": "string"}, "content_text": {"type": "string"}, "summary": {"type": "string"},
            "image": _URL, "banner_image": _URL,
            "date_published": {"type": "string", "format": "date-time"},
            "date_modified": {"type": "string", "format": "date-time"},
            "authors": {"type": "array", "items": _AUTHOR}, "tags": {"type": "array", "items": {"type": "string"}},
            "language": {"type": "string"}, "attachments": {"type": "array"},
        },
    }},
}


def _story(slug: str, date: str, branches: tuple[str, ...], *, cover: bool = True, author: str = "王晓明",
           title: str = "") -> Story:
    return Story(source_path=f"content/stories/2025/{slug}.md", src_uri=f"stories/2025/{slug}.md",
                 title=title or f"稿件{slug}", date=dt.date.fromisoformat(date), branches=branches, kind=KIND,
                 slug=slug, body="正文。", description=f"{slug} 的摘要。",
                 cover=f"stories/2025/{slug}/cover.jpg" if cover else "", author=author)


def make_catalog() -> Catalog:
    """Two branches; one joint story with markup in its title; one story with no cover and no author."""
    settings = ColumnSettings(title="党建品牌专栏", organisation="省地质调查院党委", page_size=20, latest_count=8,
                              timezone="Asia/Shanghai", reading_speed=400, kinds=(KIND,))
    branches = {slug: Branch(slug=slug, source_path=f"branches/{slug}/index.md", name=f"{brand}党支部",
                             short_name=brand, brand=brand, slogan=f"{brand}口号", body="")
                for slug, brand in (("dizhi", "地质先锋"), ("tankuang", "探矿尖兵"))}
    stories = [
        _story("a1", "2025-06-01", ("dizhi",)),
        _story("t1", "2025-06-02", ("tankuang",)),
        _story("joint", "2025-06-03", ("dizhi", "tankuang"), title=NASTY_TITLE),
        _story("nocover", "2025-06-04", ("dizhi",), cover=False, author=""),
        _story("a0", "2025-05-01", ("dizhi",)),
        _story("t0", "2025-04-01", ("tankuang",)),
    ]
    return build_catalog(settings, branches, stories, dt.date(2025, 12, 31), ProblemLog())


def cover_path(story: Story) -> str | None:
    return story.cover or None


@pytest.fixture(scope="module")
def feeds() -> dict[str, bytes]:
    return build_feeds(make_catalog(), BASE, cover_path, count=20)


def _rss(feeds: dict[str, bytes], path: str):
    parsed = feedparser.parse(feeds[path])
    assert not parsed.bozo, f"{path}: {parsed.bozo_exception}"
    return parsed


def _json(feeds: dict[str, bytes], path: str) -> dict:
    return json.loads(feeds[path].decode("utf-8"))


def test_files_site_wide_and_per_branch(feeds):
    assert set(feeds) == {"feed.xml", "feed.json", "branches/dizhi/feed.xml", "branches/dizhi/feed.json",
                          "branches/tankuang/feed.xml", "branches/tankuang/feed.json"}


def test_rss_parses_cleanly_newest_first(feeds):
    parsed = _rss(feeds, "feed.xml")
    assert parsed.version == "rss20"
    assert parsed.feed.link == BASE
    assert [e.link.rsplit("/", 2)[-2] for e in parsed.entries] == ["nocover", "joint", "t1", "a1", "a0", "t0"]


def test_json_feeds_match_the_json_feed_1_1_schema(feeds):
    validator = jsonschema.Draft202012Validator(JSON_FEED_SCHEMA, format_checker=jsonschema.FormatChecker())
    for path in (p for p in feeds if p.endswith(".json")):
        errors = [e.message for e in validator.iter_errors(_json(feeds, path))]
        assert not errors, f"{path}: {errors}"


def test_count_is_respected():
    small = build_feeds(make_catalog(), BASE, cover_path, count=2)
    assert len(_rss(small, "feed.xml").entries) == 2
    assert len(_json(small, "feed.json")["items"]) == 2
    assert len(_json(small, "branches/dizhi/feed.json")["items"]) == 2


def test_every_url_is_absolute_under_the_base(feeds):
    for path in (p for p in feeds if p.endswith(".xml")):
        parsed = _rss(feeds, path)
        urls = [parsed.feed.link] + [link.href for e in parsed.entries for link in e.links]
        urls += [e.id for e in parsed.entries] + [m["url"] for e in parsed.entries for m in e.get("media_content", [])]
        assert urls and all(u.startswith(BASE) for u in urls), (path, urls)
    for path in (p for p in feeds if p.endswith(".json")):
        data = _json(feeds, path)
        urls = [data["home_page_url"], data["feed_url"]]
        urls += [item[k] for item in data["items"] for k in ("id", "url", "image") if k in item]
        assert all(u.startswith(BASE) for u in urls), (path, urls)
    assert _json(feeds, "branches/dizhi/feed.json")["feed_url"] == BASE + "branches/dizhi/feed.json"


def test_base_url_without_trailing_slash_still_joins_cleanly():
    data = _json(build_feeds(make_catalog(), BASE.rstrip("/"), cover_path, 1), "feed.json")
    assert data["items"][0]["url"] == BASE + "stories/2025/nocover/"


def test_branch_feeds_hold_exactly_that_branchs_stories_joint_included(feeds):
    for slug, expected in (("dizhi", ["nocover", "joint", "a1", "a0"]), ("tankuang", ["joint", "t1", "t0"])):
        rss = [e.link.rsplit("/", 2)[-2] for e in _rss(feeds, f"branches/{slug}/feed.xml").entries]
        items = _json(feeds, f"branches/{slug}/feed.json")["items"]
        assert rss == expected
        assert [i["url"].rsplit("/", 2)[-2] for i in items] == expected
        assert all(slug in [b["slug"] for b in i["_dangjian"]["branches"]] for i in items)


def test_story_fields_cover_summary_author_branches_kind(feeds):
    entry = next(e for e in _rss(feeds, "feed.xml").entries if e.link.endswith("/a1/"))
    assert entry.summary == "a1 的摘要。"
    assert entry.author == "王晓明"
    assert [t.term for t in entry.tags] == ["地质先锋党支部"]
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.href == BASE + "stories/2025/a1/cover.jpg" and enclosure.type == "image/jpeg"
    item = next(i for i in _json(feeds, "feed.json")["items"] if i["url"].endswith("/joint/"))
    assert item["image"] == BASE + "stories/2025/joint/cover.jpg"
    assert item["tags"] == ["地质先锋党支部", "探矿尖兵党支部"]
    assert item["_dangjian"] == {
        "branches": [{"slug": "dizhi", "name": "地质先锋党支部"}, {"slug": "tankuang", "name": "探矿尖兵党支部"}],
        "kind": {"key": "zhuti-dangri", "label": "主题党日"}, "joint": True}


def test_story_without_cover_appears_without_image_and_author_falls_back_to_branch(feeds):
    entry = next(e for e in _rss(feeds, "feed.xml").entries if e.link.endswith("/nocover/"))
    assert not [link for link in entry.links if link.rel == "enclosure"] and not entry.get("media_content")
    assert entry.author == "地质先锋党支部"
    item = next(i for i in _json(feeds, "feed.json")["items"] if i["url"].endswith("/nocover/"))
    assert "image" not in item and item["authors"] == [{"name": "地质先锋党支部"}]


def test_markup_in_titles_round_trips_as_text(feeds):
    assert b"<script>" not in feeds["feed.xml"] and b"&lt;script&gt;" in feeds["feed.xml"]
    entry = next(e for e in _rss(feeds, "feed.xml").entries if e.link.endswith("/joint/"))
    assert entry.title == NASTY_TITLE and entry.title_detail.type == "text/plain"
    item = next(i for i in _json(feeds, "feed.json")["items"] if i["url"].endswith("/joint/"))
    assert item["title"] == NASTY_TITLE and "content_html" not in item


def test_dates_carry_the_china_offset(feeds):
    assert "Wed, 04 Jun 2025 00:00:00 +0800" in feeds["feed.xml"].decode()
    item = _json(feeds, "feed.json")["items"][0]
    assert item["date_published"] == "2025-06-04T00:00:00+08:00"
    published = dt.datetime.fromisoformat(item["date_published"])
    assert published.utcoffset() == dt.timedelta(hours=8)


def test_build_is_repeatable(feeds):
    assert build_feeds(make_catalog(), BASE, cover_path, count=20) == feeds


def test_the_sample_column_feeds_are_valid():
    catalog = load_column(PROJECT, PROJECT / "content").catalog
    feeds = build_feeds(catalog, BASE, cover_path, count=5)
    validator = jsonschema.Draft202012Validator(JSON_FEED_SCHEMA)
    assert catalog.topics  # the sample has a 专题, whose feeds are checked too
    assert len(feeds) == 2 + 2 * len(catalog.branches) + 2 * len(catalog.topics)
    for path, data in feeds.items():
        if path.endswith(".xml"):
            assert len(_rss(feeds, path).entries) == min(5, len(_stories_of(catalog, path)))
        else:
            assert not list(validator.iter_errors(json.loads(data)))


def _stories_of(catalog: Catalog, path: str) -> list[Story]:
    if path.startswith("topics/"):
        return catalog.by_topic[path.split("/")[1]]
    return catalog.by_branch[path.split("/")[1]] if path.startswith("branches/") else catalog.stories
