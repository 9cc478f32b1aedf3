"""RSS 2.0 (via feedgen) and JSON Feed 1.1 files of the latest stories, site-wide and per branch."""

from __future__ import annotations

import datetime as dt
import html
import json
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from dangjian_column.config.publishing import absolute_base, absolute_url
from dangjian_column.content.catalog import Catalog
from dangjian_column.model import Story
from dangjian_column.pages import urls

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
LANGUAGE = "zh-CN"
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
               ".gif": "image/gif"}


@dataclass(frozen=True)
class FeedScope:
    """One feed: the site-wide one, a branch's or a topic's, with where it lives and what it lists."""

    path: str  # site folder of the feed files, "", "branches/<slug>/" or "topics/<slug>/"
    title: str
    description: str
    home: str  # site path of the page the feed mirrors
    stories: list[Story]


@dataclass(frozen=True)
class FeedItem:
    """A story as both feed formats need it: absolute URLs, aware date, names resolved."""

    story: Story
    url: str
    image: str | None
    author: str
    published: dt.datetime
    branches: tuple[tuple[str, str], ...]  # (slug, name)

    @property
    def branch_names(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.branches)


def build_feeds(catalog: Catalog, base_url: str, cover_url: Callable[[Story], str | None],
                count: int) -> dict[str, bytes]:
    """Site path -> file bytes: ``feed.xml``/``feed.json``, ``branches/<slug>/`` and ``topics/<slug>/feed.xml|json``.

    ``cover_url`` returns the cover's absolute URL or site path (made absolute here), or None.
    """
    base = absolute_base(base_url)
    files: dict[str, bytes] = {}
    for scope in _scopes(catalog):
        items = [_item(catalog, base, cover_url, s) for s in scope.stories[:count]]
        files[urls.rss_url(scope.path)] = _rss(scope, items, base)
        files[urls.json_feed_url(scope.path)] = _json_feed(scope, items, base)
    return files


def _scopes(catalog: Catalog) -> list[FeedScope]:
    title = catalog.settings.title
    scopes = [FeedScope(urls.HOME, title, f"{catalog.settings.organisation}{title}的最新活动稿件。", urls.HOME,
                        catalog.stories)]
    for slug, branch in catalog.branches.items():
        scopes.append(FeedScope(
            path=branch.url, title=f"{branch.brand} · {branch.name} · {title}",
            description=branch.slogan or f"{branch.name}的最新活动稿件。", home=branch.url,
            stories=catalog.by_branch.get(slug, []),
        ))
    for slug, topic in catalog.topics.items():  # 专题: topics/<slug>/feed.xml|json, in the topic's own order
        scopes.append(FeedScope(
            path=topic.url, title=f"{topic.title} · {title}",
            description=topic.description or f"{topic.title}的稿件。", home=topic.url,
            stories=catalog.by_topic.get(slug, []),
        ))
    return scopes


def _item(catalog: Catalog, base: str, cover_url: Callable[[Story], str | None], story: Story) -> FeedItem:
    branches = tuple((s, catalog.branches[s].name) for s in story.branches if s in catalog.branches)
    cover = cover_url(story) if story.cover else None
    # Stories carry a date only; midnight in the column's time zone keeps the day right for readers there.
    published = dt.datetime.combine(story.date, dt.time(0, 0), zoneinfo.ZoneInfo(catalog.settings.timezone))
    return FeedItem(story=story, url=base + story.url, image=absolute_url(base, cover) if cover else None,
                    author=story.author or "、".join(name for _, name in branches), published=published,
                    branches=branches)


def _rss(scope: FeedScope, items: list[FeedItem], base: str) -> bytes:
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.load_extension("media")
    fg.title(scope.title)
    # feedgen makes the channel <link> from the last link given, so the page comes after the self link.
    fg.link(href=base + urls.rss_url(scope.path), rel="self")
    fg.link(href=base + scope.home, rel="alternate")
    # RSS readers render <description> as HTML; slogans and summaries are plain text staff typed.
    fg.description(html.escape(scope.description, quote=False))
    fg.language(LANGUAGE)
    fg.generator("dangjian-column")
    # The newest story's date, not "now": an unchanged column builds byte-identical feeds.
    fg.lastBuildDate(items[0].published if items else dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    for item in items:
        _rss_entry(fg, item)
    return fg.rss_str(pretty=True)


def _rss_entry(fg: FeedGenerator, item: FeedItem) -> None:
    entry = fg.add_entry(order="append")
    entry.title(item.story.title)
    entry.link(href=item.url)
    entry.guid(item.url, permalink=True)
    entry.description(html.escape(item.story.description, quote=False))
    entry.pubDate(item.published)
    entry.dc.dc_creator(item.author)  # RSS <author> must be an e-mail address; staff have names
    for name in item.branch_names:
        entry.category(term=name)
    if item.image:
        mime = _image_type(item.image)
        entry.enclosure(item.image, "0", mime)
        entry.media.content({"url": item.image, "medium": "image", "type": mime})


def _image_type(url: str) -> str:
    suffix = url[url.rfind("."):].lower() if "." in url.rsplit("/", 1)[-1] else ""
    return IMAGE_TYPES.get(suffix, "image/jpeg")


def _json_feed(scope: FeedScope, items: list[FeedItem], base: str) -> bytes:
    feed = {
        "version": JSON_FEED_VERSION,
        "title": scope.title,
        "home_page_url": base + scope.home,
        "feed_url": base + urls.json_feed_url(scope.path),
        "description": scope.description,
        "language": LANGUAGE,
        "items": [_json_item(item) for item in items],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2).encode("utf-8")


def _json_item(item: FeedItem) -> dict:
    story = item.story
    data = {
        "id": item.url,
        "url": item.url,
        "title": story.title,
        "summary": story.description,
        "content_text": story.description,  # JSON Feed needs content_html or content_text; text cannot inject
        "date_published": item.published.isoformat(),
        "authors": [{"name": item.author}],
        "tags": list(item.branch_names),
        "language": LANGUAGE,
        "_dangjian": {
            "branches": [{"slug": slug, "name": name} for slug, name in item.branches],
            "kind": {"key": story.kind.key, "label": story.kind.label},
            "joint": story.is_joint,
        },
    }
    if item.image:
        data["image"] = item.image
    return data
