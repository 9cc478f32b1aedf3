"""MkDocs hooks: a thin adapter from MkDocs events to the ``dangjian_column`` domain package.

State lives in one ``_Build`` object made afresh in ``on_config``: ``mkdocs serve`` does not reload
this module between rebuilds, so nothing may carry over from one build to the next.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path

import column_markdown  # hooks/ is on sys.path while MkDocs loads this file
import column_reuse
from dangjian_column.content.branches import BRANCHES_DIR
from dangjian_column.content.photos import is_image
from dangjian_column.content.storycache import StoryCache
from dangjian_column.content.topics import TOPICS_DIR
from dangjian_column.content.video import video_html
from dangjian_column.desk.admin import DESK_ENV
from dangjian_column.pages import urls
from dangjian_column.pages.memory import PlanMemory
from dangjian_column.pages.template_cache import TemplateCache
from dangjian_column.pages.translations import material_labels
from dangjian_column.site import (
    SitePlan,
    branch_assets,
    is_story_path,
    prepare_site,
    start_site,
)
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, get_relative_url

log = logging.getLogger("mkdocs.hooks.dangjian_column")

_NO_DOCS_SIDEBARS = ["navigation", "toc"]


class _Build:
    def __init__(self, config: MkDocsConfig):
        # resolve(): `mkdocs build -f mkdocs.yml` (or sub/../, or an INHERIT file) leaves config_file_path
        # relative, and every path made from it would break.
        self.root = Path(config.config_file_path).resolve().parent
        self.docs_dir = Path(config.docs_dir)
        self.start = start_site(self.root, config.site_url or "", serving=_command == "serve")
        self.site: SitePlan | None = None  # made in on_files, when MkDocs has the file list


_build: _Build | None = None
_command = "build"
template_cache: TemplateCache | None = None  # this build's (the preview empties its dj_same part before each update)
# The incremental preview (column_preview.py) keeps parsed stories and the last plan's cards and contexts
# here between its rebuilds; None in a build.
story_cache: StoryCache | None = None
plan_memory: PlanMemory | None = None


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    column_reuse.stop()
    if not config.use_directory_urls:
        raise PluginError("党建品牌专栏需要 use_directory_urls: true（稿件网址形如 stories/2025/xxx/）。")
    _build = _Build(config)
    if _build.start.base_url_problem:
        raise PluginError(_build.start.base_url_problem)
    settings = _build.start.settings
    config.extra["preview"] = _build.start.preview  # templates: the preview notice, noindex, no feed links
    config.extra["dj_identity"] = settings.identity  # templates: header emblem, banner, footer lines (none invented)
    config.extra["dj_title"] = settings.title
    _drop_nav(config, _build.start.switched_off)
    _quiet_excluded_image_links()
    column_markdown.share_converter()
    topics = _build.root / TOPICS_DIR
    if topics.is_dir() and str(topics) not in config.watch:  # MkDocs refuses a watch path that does not exist
        config.watch.append(str(topics))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = refresh_site(config)
    _drop_nav(config, site.empty_sections)
    _route_stories(files, config, site)
    _drop_unreadable_pages(files, site)
    _add_branch_assets(files, config, site)
    _add_generated_pages(files, config, site)
    _keep_originals_out(files, site)
    _add_desk_pages(files, config, site, _state().start.preview)
    column_reuse.start(config, files, site, _command)  # `dangjian build`: unchanged pages come from the last site
    return files


def refresh_site(config: MkDocsConfig) -> SitePlan:
    """The column loaded and planned (on_files; the incremental preview calls it after each save)."""
    build = _state()
    start = build.start
    build.site = site = prepare_site(build.root, build.docs_dir, base_url=config.site_url, preview=start.preview,
                                     settings=start.settings, problems=start.problems, cache=story_cache,
                                     memory=plan_memory)
    log.info(site.media.result.summary())
    _report(site.problems)
    return site


def current_site() -> SitePlan:
    return _site()


def desk_url() -> str:
    return _desk_url(_state().start.preview)


def _desk_url(preview: bool) -> str:
    """The 写稿台's address in `dangjian serve`'s preview; "" in any build, so no build ever links to it."""
    return os.environ.get(DESK_ENV, "") if _command == "serve" and preview else ""


def _add_desk_pages(files: Files, config: MkDocsConfig, site: SitePlan, preview: bool) -> None:
    """/admin/ of the preview leads to the 写稿台; a story kept out by an error gets its problems at its address."""
    desk_url = _desk_url(preview)
    if not desk_url:
        return
    taken = {f.dest_uri for f in files}
    for dest, page in site.desk_pages(desk_url).items():
        if dest not in taken:  # a story's own page wins over its stand-in
            files.append(File.generated(config, dest, content=page))


def on_env(env, config: MkDocsConfig, files: Files):
    env.globals["dj_picture"] = _picture
    env.globals["dj_large"] = lambda path, base_url: _site().media.large_url(path, base_url)
    env.globals["dj_video"] = _video
    env.globals["dj_urls"] = urls  # templates link fixed pages and feeds through pages/urls.py too
    # dj_once: pieces shared by thousands of pages rendered once per build; dj_same: a story card once per depth
    global template_cache
    template_cache = TemplateCache()
    template_cache.install(env)
    env.globals["dj_t"] = material_labels(env, config.theme["language"])  # Material's labels, once each
    return env


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    story = _site().column.published_story(page.file.src_uri)
    # The domain already parsed the front matter; hand MkDocs the body so it is not parsed twice.
    return story.body if story else None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    markdown = _site().page_markdown(page.file.src_uri, markdown)
    meta = _site().page_meta(page.file.src_uri)
    if meta and meta.get("template") != "column/story.html":
        page.meta.update(meta, hide=_NO_DOCS_SIDEBARS)
    else:
        # A story or a hand-written page (关于本栏): no docs sidebar nor 目录, unless its front matter says `hide:`.
        page.meta.update(meta)
        page.meta.setdefault("hide", _NO_DOCS_SIDEBARS)
    return markdown


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _site().render_body(page.file.src_uri, content, page.url, get_relative_url(".", page.url),
                               html.unescape(page.title or ""))


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    site = _site()
    context["dj_trail"] = site.trail(page.file.src_uri, page.url, page.title or "")
    column = site.page_context(page.file.src_uri)
    if column is not None:
        context["column"] = column
    desk_url = _desk_url(_state().start.preview)
    if desk_url and column is not None and column.get("story") is not None:
        context["dj_desk"] = site.desk_panel(page.file.src_uri, desk_url)
    return context


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    if template_name == "404.html":  # the not-found page offers the latest stories
        home = _site().page_context("index.md")
        context["dj_latest"] = home.get("latest", [])[:5] if home else []
    return context


def on_post_build(config: MkDocsConfig) -> None:
    if warnings := _strict_warnings(config):
        # MkDocs aborts right after this event: indexing a site it throws away is waste.
        log.info("严格模式（--strict）下已有 %d 条警告，本次构建将中止：跳过图片发布、公众号导出页和站内搜索索引。",
                 warnings)
        column_reuse.stop()
        return
    if column_reuse.active():
        result = column_reuse.finish(Path(config.site_dir))
        if result is None:
            log.info("站内搜索：内容没有变化，沿用上次构建的索引")
            return
    else:
        result = _site().finish(Path(config.site_dir))
    if result.ok:
        log.info("站内搜索：%s", result.summary)
    else:
        log.warning("站内搜索：%s", result.summary)


def on_build_error(error: Exception) -> None:
    column_reuse.stop()


def _strict_warnings(config: MkDocsConfig) -> int:
    """What MkDocs' strict-mode counter holds so far (it is attached to the "mkdocs" logger during build)."""
    if not config.strict:
        return 0
    counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
    return sum(sum(h.counts.values()) for h in counters)


def _drop_nav(config: MkDocsConfig, off: tuple[str, ...]) -> None:
    """Nav tabs of page groups that are switched off or have nothing to show (SiteStart/SitePlan say which)."""
    if off and config.nav:
        config.nav = [item for item in config.nav
                      if not (isinstance(item, dict) and any(str(v).startswith(off) for v in item.values()))]


def _picture(path: str, alt: str, base_url: str, use: str = "body", lazy: bool = True, extra: str = "",
             css_class: str = "", priority: bool = False) -> Markup:
    """Templates: ``{{ dj_picture(path, alt, base_url, "card") }}``; empty when the image failed."""
    return Markup(_site().media.picture(path, alt, base_url, use, lazy=lazy, extra=extra, css_class=css_class,
                                        priority=priority))


def _video(video, cover: str, base_url: str) -> Markup:
    """Templates: the story's video, with its cover as poster; empty when it has none."""
    if video is None:
        return Markup("")
    poster = _site().media.thumb_url(cover, 960) if cover else ""
    return Markup(video_html(video, f"{base_url}/{poster}" if poster else None, lambda p: f"{base_url}/{p}"))


def _keep_originals_out(files: Files, site: SitePlan) -> None:
    """Original photos are never copied (size, GPS): pages link to the pipeline's renditions instead.

    That covers every image of the content (stories, branches, hand-written pages), published or not;
    theme files (the emblem, Material's icons) are not content. Excluded, not removed, so MkDocs still
    resolves the Markdown image links that point at them.
    """
    content = (str(site.docs_dir), str(site.root / BRANCHES_DIR), str(site.root / TOPICS_DIR))
    marks = set(site.catalog.settings.identity.images)  # the office's emblem and registration marks, as supplied
    for file in files:
        if not file.is_documentation_page() and is_image(file.src_uri) and file.abs_src_path \
                and file.abs_src_path.startswith(content) and file.src_uri not in marks:
            file.inclusion = InclusionLevel.EXCLUDED


class _ExcludedImageLinks(logging.Filter):
    """MkDocs notes every link to an excluded file; for original photos that is by design."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "which is excluded from the built site" not in message:
            return True
        target = message.rsplit("'", 2)[-2] if message.count("'") >= 2 else ""
        return not is_image(target)


def _quiet_excluded_image_links() -> None:
    pages_log = logging.getLogger("mkdocs.structure.pages")
    if not any(isinstance(f, _ExcludedImageLinks) for f in pages_log.filters):
        pages_log.addFilter(_ExcludedImageLinks())


def _state() -> _Build:
    if _build is None:
        raise PluginError("hooks/column_hooks.py: on_config 未运行（请通过 mkdocs.yml 的 hooks: 加载本文件）。")
    return _build


def _site() -> SitePlan:
    return _state().site


def _route_stories(files: Files, config: MkDocsConfig, site: SitePlan) -> None:
    """Published stories move to their slug URL; drafts, future and broken ones leave the build."""
    for file in list(files.documentation_pages()):
        if not is_story_path(file.src_uri):
            continue
        files.remove(file)
        story = site.column.published_story(file.src_uri)
        if story is not None:
            files.append(File(file.src_uri, file.src_dir, config.site_dir, config.use_directory_urls,
                              dest_uri=story.dest_uri))


def _drop_unreadable_pages(files: Files, site: SitePlan) -> None:
    """Hand-written pages the column could not decode (reported when it loaded) are left out."""
    for file in list(files.documentation_pages()):
        if file.src_uri in site.column.pages.unreadable:
            files.remove(file)


def _add_branch_assets(files: Files, config: MkDocsConfig, site: SitePlan) -> None:
    """Branch and topic folders' files (logos, banners, photos) join the build under their own paths."""
    folders = [(slug, BRANCHES_DIR) for slug in site.catalog.branches]
    folders += [(slug, TOPICS_DIR) for slug in site.catalog.topics]
    for slug, base in folders:
        for rel in branch_assets(site.root, slug, base):
            files.append(File(rel, str(site.root), config.site_dir, config.use_directory_urls))


def _add_generated_pages(files: Files, config: MkDocsConfig, site: SitePlan) -> None:
    def take_handwritten(src_uri: str) -> bool:
        file = files.get_file_from_path(src_uri)
        if file is not None:
            files.remove(file)  # it becomes the generated page's introduction
        return file is not None

    for page in site.generated_pages(take_handwritten):
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    for site_path, content in site.extra_files().items():  # stats downloads, feeds, the home-page widget
        files.append(File.generated(config, site_path, content=content))


def _report(problems) -> None:
    # Warnings make `mkdocs build --strict` fail; info lines (drafts, future dates) never do.
    for problem in problems:
        if problem.level == "info":
            log.info(problem.format())
        else:
            log.warning(problem.format())
