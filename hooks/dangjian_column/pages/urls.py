"""Every URL of the site, in one place, relative to the site root ("" is the column home).

A URL that is live is linked from the official site, WeChat posts and bookmarks, so each rule here is
a promise: change one only with a redirect. Folder URLs end in ``/`` (MkDocs ``use_directory_urls``);
a generated page's virtual source file is ``source_uri(url)``.

This module imports nothing from the package, so the model (``Story.url``, ``Branch.url``), the page
planner, the publishing outputs and the image pipeline can all use it without import cycles.
"""

from __future__ import annotations

HOME = ""
STORIES = "stories/"
BRANCHES = "branches/"
KINDS = "kinds/"
ARCHIVE = "archive/"
TAGS = "tags/"
SEARCH = "search/"
LEARNING = "learning/"
PAIRINGS = "learning/pairings/"
HIGHLIGHTS = "learning/highlights/"
EXPERIENCES = "learning/experiences/"
STATS = "stats/"
TOPICS = "topics/"
WIDGET = "widget/"
MEDIA = "media/"
PAGEFIND = "pagefind/"


def source_uri(url: str) -> str:
    """The virtual Markdown file MkDocs renders to ``url``: ``"tags/x/"`` -> ``"tags/x/index.md"``."""
    return f"{url}index.md"


def index_file(url: str) -> str:
    """The file a web server sends for ``url``: ``"stories/2025/x/wechat/"`` -> ``…/wechat/index.html``."""
    return f"{url}index.html"


# --------------------------------------------------------------------------- content pages


def story_url(year: int, slug: str) -> str:
    return f"{STORIES}{year}/{slug}/"


def wechat_url(story: str) -> str:
    """The WeChat export of the story at ``story`` (its URL)."""
    return f"{story}wechat/"


def branch_url(slug: str) -> str:
    return f"{BRANCHES}{slug}/"


def branch_photos_url(slug: str) -> str:
    """The branch's photo wall (照片墙)."""
    return f"{branch_url(slug)}photos/"


def topic_url(slug: str) -> str:
    return f"{TOPICS}{slug}/"


def kind_url(key: str) -> str:
    return f"{KINDS}{key}/"


def archive_year_url(year: int) -> str:
    return f"{ARCHIVE}{year}/"


def archive_month_url(year: int, month: int) -> str:
    return f"{ARCHIVE}{year}/{month:02d}/"


def tag_url(slug: str) -> str:
    """``slug`` is the tag's slug from the catalog (``Catalog.tag_slugs``), never recomputed here."""
    return f"{TAGS}{slug}/"


def page_url(base: str, number: int) -> str:
    """Page ``number`` of the listing at ``base``: page 1 is ``base`` itself."""
    return base if number == 1 else f"{base}page/{number}/"


# --------------------------------------------------------------------------- 考核统计


def stats_year_url(year: int) -> str:
    return f"{STATS}{year}/"


def stats_by_total_url(year: int) -> str:
    return f"{STATS}{year}/by-total/"


def stats_stories_url(year: int) -> str:
    return f"{STATS}{year}/stories/"


def stats_csv_url(year: int) -> str:
    return f"{STATS}{year}.csv"


def stats_json_url(year: int) -> str:
    return f"{STATS}{year}.json"


# --------------------------------------------------------------------------- outward files


def rss_url(scope: str) -> str:
    """``scope`` is "" (the whole column), a branch URL or a topic URL."""
    return f"{scope}feed.xml"


def json_feed_url(scope: str) -> str:
    return f"{scope}feed.json"


def widget_folder(branch_slug: str = "") -> str:
    """``widget/`` for the whole column, ``widget/<slug>/`` for one branch."""
    return f"{WIDGET}{branch_slug}/" if branch_slug else WIDGET


def topic_widget_folder(topic_slug: str) -> str:
    return f"{WIDGET}{TOPICS}{topic_slug}/"


def widget_html_url(folder: str) -> str:
    return f"{folder}latest.html"


def widget_json_url(folder: str) -> str:
    return f"{folder}latest.json"


def rendition_url(key: str, width: int, extension: str) -> str:
    """A processed image, named by its content hash (``key``), so it can be cached forever."""
    return f"{MEDIA}{key[:2]}/{key}-{width}.{extension}"
