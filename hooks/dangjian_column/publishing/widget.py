"""The "latest stories" box for the official home page: a tiny standalone HTML page and the same as JSON.

The page goes into an ``<iframe>`` on another site, so it carries no theme, no script and no font or
image from anywhere but the column itself; every link opens in the top window (``target="_top"``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from html import escape

from dangjian_column.config.publishing import absolute_base, absolute_url
from dangjian_column.content.catalog import Catalog
from dangjian_column.model import Story
from dangjian_column.pages import urls
from dangjian_column.pages.views import date_label


@dataclass(frozen=True)
class WidgetItem:
    title: str
    url: str
    date: str  # ISO
    date_label: str
    summary: str
    image: str | None
    branches: list[dict]  # {"slug", "name", "brand"}
    kind: dict  # {"key", "label"}


@dataclass(frozen=True)
class WidgetScope:
    folder: str  # "widget/" or "widget/<slug>/"
    heading: str
    more_url: str  # absolute: the column home or the branch page


def build_widget(catalog: Catalog, base_url: str, thumb_url: Callable[[Story], str | None],
                 count: int) -> dict[str, bytes]:
    """Site path -> bytes: ``widget/latest.html|json``, ``widget/<branch-slug>/latest.html|json`` and
    ``widget/topics/<topic-slug>/latest.html|json``.

    ``thumb_url`` returns the thumbnail's absolute URL or site path (made absolute here), or None.
    """
    base = absolute_base(base_url)
    files: dict[str, bytes] = {}
    for scope, stories in _scopes(catalog, base):
        items = [_item(catalog, base, thumb_url, s) for s in stories[:count]]
        files[urls.widget_html_url(scope.folder)] = widget_html(scope, items).encode("utf-8")
        files[urls.widget_json_url(scope.folder)] = _widget_json(scope, items)
    return files


def _scopes(catalog: Catalog, base: str) -> list[tuple[WidgetScope, list[Story]]]:
    scopes = [(WidgetScope(urls.widget_folder(), catalog.settings.title, base), catalog.stories)]
    for slug, branch in catalog.branches.items():
        scope = WidgetScope(urls.widget_folder(slug), f"{branch.brand} · {branch.short_name or branch.name}",
                            base + branch.url)
        scopes.append((scope, catalog.by_branch.get(slug, [])))
    for slug, topic in catalog.topics.items():  # under topics/: a topic slug may equal a branch slug
        scopes.append((WidgetScope(urls.topic_widget_folder(slug), topic.title, base + topic.url),
                       catalog.by_topic.get(slug, [])))
    return scopes


def _item(catalog: Catalog, base: str, thumb_url: Callable[[Story], str | None], story: Story) -> WidgetItem:
    thumb = thumb_url(story) if story.cover else None
    branches = [{"slug": b.slug, "name": b.name, "brand": b.brand}
                for b in (catalog.branches.get(s) for s in story.branches) if b is not None]
    return WidgetItem(
        title=story.title, url=base + story.url, date=story.date.isoformat(), date_label=date_label(story),
        summary=story.description, image=absolute_url(base, thumb) if thumb else None, branches=branches,
        kind={"key": story.kind.key, "label": story.kind.label},
    )


def _widget_json(scope: WidgetScope, items: list[WidgetItem]) -> bytes:
    data = {"title": scope.heading, "more_url": scope.more_url, "items": [asdict(item) for item in items]}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


# System fonts only: the official site's pages may not fetch web fonts from anywhere.
_CSS = """
*{box-sizing:border-box;margin:0;padding:0}
body{font:14px/1.5 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
color:#333;background:#fff}
.w{padding:8px 10px}
.h{display:flex;justify-content:space-between;align-items:baseline;border-bottom:2px solid #c8161d;
padding-bottom:4px;margin-bottom:6px}
.h b{color:#c8161d;font-size:16px}
.h a,.more{color:#c8161d;text-decoration:none;font-size:13px}
ul{list-style:none}
li{border-bottom:1px dashed #e5e5e5}
li a{display:flex;gap:8px;padding:6px 0;color:inherit;text-decoration:none}
li a:hover .t{color:#c8161d}
img{width:96px;height:64px;object-fit:cover;flex:none;border-radius:3px;background:#f3f3f3}
.x{min-width:0;flex:1}
.t{display:block;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.m{display:block;color:#888;font-size:12px}
.brand{color:#c8161d}
.noimg .t{white-space:normal}
.empty{color:#888;padding:12px 0}
"""


def widget_html(scope: WidgetScope, items: list[WidgetItem]) -> str:
    rows = "\n".join(_row(item) for item in items) or '<li class="empty">暂无稿件</li>'
    more = escape(scope.more_url)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<base target="_top">
<title>{escape(scope.heading)} · 最新动态</title>
<style>{_CSS}</style>
</head>
<body>
<div class="w">
<div class="h"><b>{escape(scope.heading)}</b><a href="{more}" target="_top">更多 &raquo;</a></div>
<ul>
{rows}
</ul>
</div>
</body>
</html>
"""


def _row(item: WidgetItem) -> str:
    brands = "、".join(b["brand"] for b in item.branches)
    image = (f'<img src="{escape(item.image)}" alt="" loading="lazy" width="96" height="64">'
             if item.image else "")
    css = "" if item.image else ' class="noimg"'
    return (f'<li{css}><a href="{escape(item.url)}" target="_top">{image}<span class="x">'
            f'<span class="t">{escape(item.title)}</span>'
            f'<span class="m"><time datetime="{item.date}">{escape(item.date_label)}</time>'
            f' · <span class="brand">{escape(brands)}</span></span></span></a></li>')
