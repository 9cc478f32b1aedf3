"""What the column publishes beyond its pages: feeds, the home-page widget, sharing meta, WeChat exports.

Joins the catalog, the processed images and the public base URL; the formats themselves live in
feeds.py, widget.py, social.py and wechat.py. A preview build publishes none of the outward files:
they would carry unapproved stories to the official site and to subscribers.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from dangjian_column.config.publishing import PublishingSettings, absolute_url
from dangjian_column.content.catalog import Catalog
from dangjian_column.imaging import Rendition
from dangjian_column.imaging.media import MediaLibrary
from dangjian_column.model import Branch, Story
from dangjian_column.pages import urls
from dangjian_column.publishing.feeds import build_feeds
from dangjian_column.publishing.social import social_meta
from dangjian_column.publishing.wechat import export_article, wechat_page
from dangjian_column.publishing.widget import build_widget

FEED_IMAGE_WIDTH = 960
THUMB_WIDTH = 480
WECHAT_IMAGE_WIDTH = 960


def credit_lines(story: Story) -> tuple[str, ...]:
    """The story page's two footer lines for the WeChat article: who wrote and photographed it, who edited
    and who approved it (the line Chinese news articles end with). The source has its own line there."""
    def line(*parts: tuple[str, str]) -> str:
        return "\u3000".join(f"{label}：{value}" for label, value in parts if value)
    return tuple(filter(None, (line(("撰稿", story.author), ("摄影", story.photographer)),
                               line(("责任编辑", story.editor), ("审核", "、".join(story.reviewers))))))


@dataclass
class Publication:
    catalog: Catalog
    media: MediaLibrary
    base_url: str  # the public address, e.g. https://www.example.gov.cn/dangjian/
    settings: PublishingSettings

    def outward_files(self) -> dict[str, bytes]:
        """feed.xml/json and widget/… (site-wide and per branch); none in a preview build."""
        if self.catalog.preview:
            return {}
        files = build_feeds(self.catalog, self.base_url, self._image(FEED_IMAGE_WIDTH), self.settings.feed_count)
        files.update(build_widget(self.catalog, self.base_url, self._image(THUMB_WIDTH), self.settings.widget_count))
        return files

    def _image(self, width: int):
        return lambda story: self.media.thumb_url(story.cover, width) or None if story.cover else None

    def absolute(self, site_path: str) -> str:
        return absolute_url(self.base_url, site_path)

    def story_social(self, story: Story) -> list[tuple[str, str, str]]:
        cover = self.media.thumb_url(story.cover, FEED_IMAGE_WIDTH) if story.cover else ""
        return social_meta(story.title, story.description, self.absolute(story.url),
                           self.absolute(cover) if cover else None, self.catalog.settings.title)

    def branch_social(self, branch: Branch) -> list[tuple[str, str, str]]:
        logo = self.media.thumb_url(branch.logo, 320) if branch.logo else ""
        return social_meta(f"{branch.brand} · {branch.name}", branch.slogan or branch.name, self.absolute(branch.url),
                           self.absolute(logo) if logo else None, self.catalog.settings.title, kind="website")

    def wechat_path(self, story: Story) -> str:
        return urls.index_file(urls.wechat_url(story.url))

    def wechat_export(self, story: Story, body_html: str) -> tuple[str, str]:
        """(site path, page) of the story's WeChat export: ``stories/<year>/<slug>/wechat/index.html``."""
        branch = self.catalog.branches[story.branches[0]]
        logo = self.media.thumb_url(branch.logo, 320) if branch.logo else ""
        header = {"brand": branch.brand, "branch": branch.name, "slogan": branch.slogan,
                  "logo_url": self.absolute(logo) if logo else None}
        source = story.source or "、".join(self.catalog.branches[s].name for s in story.branches)

        def rendition(src: str) -> Rendition | None:
            site_path = posixpath.normpath(posixpath.join(story.url, src.split("#", 1)[0].split("?", 1)[0]))
            return self.media.thumb(site_path, WECHAT_IMAGE_WIDTH)

        def image_url(src: str) -> str | None:
            found = rendition(src)
            return self.absolute(found.site_path) if found else None

        def image_size(src: str) -> tuple[int, int] | None:
            found = rendition(src)
            return (found.width, found.height) if found else None

        if story.cover:  # WeChat articles open with their cover picture
            cover = posixpath.relpath(story.cover, story.url.rstrip("/"))
            body_html = f'<p><img src="{cover}" alt=""></p>{body_html}'
        article = export_article(body_html, title=story.title, brand_header=header, source_line=source,
                                 page_url_abs=self.absolute(story.url), image_url=image_url,
                                 width=self.settings.wechat_width, image_size=image_size, credits=credit_lines(story))
        return self.wechat_path(story), wechat_page(article, title=story.title, back_url="../")
