"""当前位置 (breadcrumb): the trail from the column home to a page, from the pages' own URLs and titles.

Every page but the home gets one. Ancestors are the URL's parent folders that are pages of the column;
a story (``stories/<year>/<slug>/``) sits under its year of the archive, as readers browse it.
"""

from __future__ import annotations

from dataclasses import dataclass

HOME_LABEL = "首页"
# Folders that are not pages themselves but stand for one: a story's year is its year in the archive.
_ALIASES = {"stories": "archive"}


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str  # site-relative ("" for the home page)


def page_url(src_uri: str) -> str:
    """``branches/x/index.md`` → ``branches/x/``, ``about.md`` → ``about/`` (use_directory_urls)."""
    path = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
    if path == "index":
        return ""
    if path.endswith("/index"):
        return path[: -len("index")]
    return path + "/"


def trail(url: str, title: str, titles: dict[str, str]) -> list[Crumb]:
    """Home, then each ancestor with a title in ``titles`` (site URL → title), then the page itself."""
    if not url:
        return []
    parts = [p for p in url.split("/") if p]
    crumbs = [Crumb(HOME_LABEL, "")]
    for depth in range(1, len(parts)):
        ancestor = [_ALIASES.get(parts[0], parts[0]), *parts[1:depth]]
        ancestor_url = "/".join(ancestor) + "/"
        if ancestor_url in titles and ancestor_url != url and all(c.url != ancestor_url for c in crumbs):
            crumbs.append(Crumb(titles[ancestor_url], ancestor_url))
    crumbs.append(Crumb(title, url))
    return crumbs
