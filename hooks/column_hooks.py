"""MkDocs hooks: a thin adapter from MkDocs events to the ``dangjian_column`` domain package.

State lives in one ``_Build`` object made afresh in ``on_config``: ``mkdocs serve`` does not reload
this module between rebuilds, so nothing may carry over from one build to the next.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from dangjian_column.config.publishing import check_base_url, publishing_settings_from
from dangjian_column.config.settings import load_settings
from dangjian_column.content.photos import alt_text, is_image
from dangjian_column.content.sourcefile import read_document
from dangjian_column.content.status import preview_from_env
from dangjian_column.content.video import video_html
from dangjian_column.imaging import image_settings_from, publish
from dangjian_column.imaging.media import MediaLibrary, build_media, forget_failed, rewrite_body_images
from dangjian_column.lint.sanitize import clean_html, policy_from
from dangjian_column.pages.galleries import photo_alt
from dangjian_column.pages.planner import intro_markdown, plan_column
from dangjian_column.pages.plans import PagePlan
from dangjian_column.problems import ProblemLog
from dangjian_column.publishing.publication import Publication
from dangjian_column.publishing.search import index_column
from dangjian_column.site import Column, branch_assets, check_page_encoding, is_story_path, load_column
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.dangjian_column")

_HIDE_ON_GENERATED = ["navigation", "toc"]


class _Build:
    def __init__(self, config: MkDocsConfig):
        self.root = Path(config.config_file_path).parent
        self.docs_dir = Path(config.docs_dir)
        self.problems = ProblemLog()
        self.settings = load_settings(self.root, self.problems)
        # Preview shows unapproved stories with a banner: the default under `mkdocs serve`, never otherwise.
        self.preview = preview_from_env(default=_command == "serve")
        self.column: Column | None = None
        self.media = MediaLibrary()
        self.publication: Publication | None = None
        self.html_policy = policy_from(self.settings.sections.get("html"))
        self.wechat: dict[str, str] = {}  # site path -> export page, written after the build
        self.generated: dict[str, PagePlan] = {}
        self.search_bodies: dict[str, str] = {}  # story src_uri or branch url -> its sanitised body HTML


_build: _Build | None = None
_command = "build"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    if not config.use_directory_urls:
        raise PluginError("党建品牌专栏需要 use_directory_urls: true（稿件网址形如 stories/2025/xxx/）。")
    problem = check_base_url(config.site_url or "")
    if problem:
        raise PluginError(problem)
    _build = _Build(config)
    config.extra["preview"] = _build.preview  # templates: the preview notice, noindex, no feed links
    _drop_switched_off_nav(config, _build.settings)
    _quiet_excluded_image_links()
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _state()
    build.column = column = load_column(build.root, build.docs_dir, settings=build.settings,
                                        problems=build.problems, preview=build.preview, plan=False)
    images = image_settings_from(build.settings.sections.get("images"), build.problems)
    build.media = build_media(column.catalog, build.root, build.docs_dir, images, build.problems)
    forget_failed(column.catalog, build.media)  # pages are planned with the photos that made it
    column.plan = plan_column(column.catalog)
    _route_stories(files, config, column)
    _drop_unreadable_pages(files, build)
    _add_branch_assets(files, config, build)
    _add_generated_pages(files, config, build)
    _keep_originals_out(files, build)
    log.info(build.media.result.summary())
    publishing = publishing_settings_from(build.settings.sections.get("publishing"), build.problems)
    build.publication = Publication(column.catalog, build.media, config.site_url, publishing)
    for site_path, data in build.publication.outward_files().items():  # feeds and the home-page widget
        files.append(File.generated(config, site_path, content=data))
    _report(build.problems)
    return files


def on_env(env, config: MkDocsConfig, files: Files):
    env.globals["dj_picture"] = _picture
    env.globals["dj_large"] = lambda path, base_url: _state().media.large_url(path, base_url)
    env.globals["dj_video"] = _video
    return env


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    story = _state().column.published_story(page.file.src_uri)
    # The domain already parsed the front matter; hand MkDocs the body so it is not parsed twice.
    return story.body if story else None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _state()
    story = build.column.published_story(page.file.src_uri)
    if story is not None:
        page.meta.update(story.extra_meta)
        # Material prints page.meta title and description into <title>, <meta> and the header unescaped.
        page.meta.update(title=html.escape(story.title), description=html.escape(story.description),
                         template="column/story.html")
        page.meta.setdefault("hide", ["navigation"])
        return markdown
    plan = build.generated.get(page.file.src_uri)
    if plan is not None:
        page.meta.update(title=html.escape(plan.title), template=plan.template, hide=_HIDE_ON_GENERATED)
    return markdown


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _state()
    story = build.column.published_story(page.file.src_uri)
    content = clean_html(content, build.html_policy, describe=False).html  # pasted HTML never runs script
    if story is not None:
        path, export = build.publication.wechat_export(story, content)
        build.wechat[path] = export
    if story is not None:
        def fallback_alt(path: str, n: int) -> str:
            return photo_alt(story, path)
    else:
        def fallback_alt(path: str, n: int) -> str:
            return alt_text("", html.unescape(page.title or ""), n)
    content = rewrite_body_images(content, page.url, get_relative_url(".", page.url), build.media, fallback_alt)
    _keep_for_search(build, page, story, content)
    return content


def _keep_for_search(build: _Build, page: Page, story, content: str) -> None:
    """The search index reads the body after the build; the very string MkDocs keeps on the page, so no copy."""
    if story is not None:
        build.search_bodies[story.src_uri] = content
        return
    plan = build.generated.get(page.file.src_uri)
    if plan is not None and plan.markdown and plan.context.get("kind") == "branch":  # the brand story
        build.search_bodies[plan.context["branch"].url] = content


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    build = _state()
    src_uri = page.file.src_uri
    plan = build.generated.get(src_uri)
    publication = build.publication
    if plan is not None:
        context["column"] = plan.context
        branch = plan.context.get("branch") if plan.context.get("kind") == "branch" else None
        if branch is not None:
            context["column"] = {**plan.context, "social": publication.branch_social(branch)}
    elif src_uri in build.column.plan.story_context:
        story = build.column.published_story(src_uri)
        context["column"] = {**build.column.plan.story_context[src_uri], "social": publication.story_social(story)}
    return context


def on_post_build(config: MkDocsConfig) -> None:
    build = _state()
    site_dir = Path(config.site_dir)
    publish(build.media.result, site_dir)  # renditions hard-linked from the cache
    for site_path, page in build.wechat.items():  # WeChat exports: standalone pages, no theme
        target = site_dir / site_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    result = index_column(site_dir, build.column.catalog, build.search_bodies,
                          lambda path: build.media.thumb_url(path, 480))
    log.info("站内搜索：%s", result.summary)


def _drop_switched_off_nav(config: MkDocsConfig, settings) -> None:
    """column.yml may switch the 互学互鉴 or 考核统计 pages off; their nav tabs go with them."""
    off = [prefix for prefix, on in (("learning/", settings.learning_pages), ("stats/", settings.assessment_pages))
           if not on]
    if off and config.nav:
        config.nav = [item for item in config.nav
                      if not (isinstance(item, dict) and any(str(v).startswith(tuple(off)) for v in item.values()))]


def _picture(path: str, alt: str, base_url: str, use: str = "body", lazy: bool = True, extra: str = "",
             css_class: str = "") -> Markup:
    """Templates: ``{{ dj_picture(path, alt, base_url, "card") }}``; empty when the image failed."""
    return Markup(_state().media.picture(path, alt, base_url, use, lazy=lazy, extra=extra, css_class=css_class))


def _video(video, cover: str, base_url: str) -> Markup:
    """Templates: the story's video, with its cover as poster; empty when it has none."""
    if video is None:
        return Markup("")
    poster = _state().media.thumb_url(cover, 960) if cover else ""
    return Markup(video_html(video, f"{base_url}/{poster}" if poster else None, lambda p: f"{base_url}/{p}"))


def _keep_originals_out(files: Files, build: _Build) -> None:
    """Original photos are never copied (size, GPS): pages link to the pipeline's renditions instead.

    That covers every image of the content (stories, branches, hand-written pages), published or not;
    theme files (the emblem, Material's icons) are not content. Excluded, not removed, so MkDocs still
    resolves the Markdown image links that point at them.
    """
    content = (str(build.docs_dir), str(build.root / "branches"))
    for file in files:
        if not file.is_documentation_page() and is_image(file.src_uri) and file.abs_src_path \
                and file.abs_src_path.startswith(content):
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


def _route_stories(files: Files, config: MkDocsConfig, column: Column) -> None:
    """Published stories move to their slug URL; drafts, future and broken ones leave the build."""
    for file in list(files.documentation_pages()):
        if not is_story_path(file.src_uri):
            continue
        files.remove(file)
        story = column.published_story(file.src_uri)
        if story is not None:
            files.append(File(file.src_uri, file.src_dir, config.site_dir, config.use_directory_urls,
                              dest_uri=story.dest_uri))


def _drop_unreadable_pages(files: Files, build: _Build) -> None:
    for file in list(files.documentation_pages()):
        if file.abs_src_path and not is_story_path(file.src_uri):
            rel = Path(file.abs_src_path).relative_to(build.root).as_posix()
            if not check_page_encoding(Path(file.abs_src_path), rel, build.problems):
                files.remove(file)


def _add_branch_assets(files: Files, config: MkDocsConfig, build: _Build) -> None:
    for slug in build.column.catalog.branches:
        for rel in branch_assets(build.root, slug):
            files.append(File(rel, str(build.root), config.site_dir, config.use_directory_urls))


def _add_generated_pages(files: Files, config: MkDocsConfig, build: _Build) -> None:
    for plan in build.column.plan.pages:
        handwritten = files.get_file_from_path(plan.src_uri)
        if handwritten is not None:  # a hand-written page at a generated path becomes its introduction
            files.remove(handwritten)
            rel = Path(handwritten.abs_src_path).relative_to(build.root).as_posix()
            doc = read_document(Path(handwritten.abs_src_path), rel, build.problems,
                                front_matter_required=False)
            if doc is not None:
                plan.markdown = f"{intro_markdown(doc.body)}\n\n{plan.markdown}".strip()
        build.generated[plan.src_uri] = plan
        files.append(File.generated(config, plan.src_uri, content=plan.markdown))
    for site_path, content in build.column.plan.downloads.items():  # CSV/JSON for the assessment office
        files.append(File.generated(config, site_path, content=content))


def _report(problems: ProblemLog) -> None:
    # Warnings make `mkdocs build --strict` fail; info lines (drafts, future dates) never do.
    for problem in problems:
        if problem.level == "info":
            log.info(problem.format())
        else:
            log.warning(problem.format())
