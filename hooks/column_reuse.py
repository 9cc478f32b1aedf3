"""MkDocs' side of the production rebuild: pages whose inputs did not change are linked from the last good
site instead of rendered (``dangjian_column/pages/reuse.py`` decides which; this module only does it).

Only ``dangjian build`` turns it on (``DANGJIAN_REBUILD_FROM`` names the last good site; plain ``mkdocs build``,
``mkdocs serve`` and the incremental preview never reuse anything). MkDocs 1.6.1's ``build()`` reads every page
(``_populate_page``: source, Markdown, ``on_page_content``) and then renders each (``_build_page``: Jinja); both
are wrapped. For a reused page the wrapper still reads its source and runs ``on_page_markdown`` — its meta is
what the sitemap (``dj_noindex``) and the navigation (its title) read — but neither converts its Markdown nor
renders its template: the page's files (with a story's WeChat export) are hard-linked from the last site, and
its anchors and links to anchors come from the record, so MkDocs' anchor check says what it said then.

The navigation (every page draws it) is compared when the first page is rendered: when it differs, every page
is read and rendered as usual. A page whose reading or rendering logs a warning is not recorded, so the next
build renders it again and the warning appears again (``--strict``). Other MkDocs versions: nothing is reused.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path

import mkdocs
from dangjian_column.pages import reuse
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.pages import log as pages_log

log = logging.getLogger("mkdocs.hooks.dangjian_column")

# Configuration values that differ between two builds of the same site without changing a page.
_NOT_PAGE_INPUTS = {"site_dir", "dev_addr", "strict", "watch", "remote_branch", "remote_name", "plugins", "hooks"}


class _Rebuild:
    def __init__(self, config: MkDocsConfig, files: Files, site, last_site: Path):
        self.config, self.files, self.site = config, files, site
        self.root = site.root
        self.last_site = last_site
        start = time.process_time()
        keys, search_key = reuse.page_keys(site)
        last = reuse.BuildRecord.load(reuse.record_paths(self.root, last_site))
        enabled = os.environ.get(reuse.REUSE_SWITCH, "1") != "0" and list(config.plugins) == list(config.hooks)
        self.plan = reuse.Rebuild(last_site.resolve(), last, _environment_key(config, site.root), keys, search_key,
                                  enabled=enabled)
        self.skipped: set[str] = set()  # read without Markdown: linked at _build_page unless the nav differs
        self.rendered: dict[str, Page] = {}  # pages of the plan rendered in this build, for the record
        self.warned: set[str] = set()
        self.nav_checked = False
        self.warnings = _PageWarnings(config, self.warned)
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.cpu = time.process_time() - start  # keys, the record read: what a cold build pays for the next one

    def close(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)

    def may_skip(self, page: Page) -> bool:
        src_uri = page.file.src_uri
        return (self.plan.active and src_uri in self.plan.keys and page.file.inclusion.is_included()
                and self.plan.reusable(src_uri, page.file.dest_uri, self.site.search_body_key(src_uri))
                and all(self.files.get_file_from_path(t) is not None for t in self.plan.last.pages[src_uri].links))

    def check_navigation(self, nav: Navigation) -> None:
        if self.nav_checked:
            return
        self.nav_checked = True
        self.plan.record.navigation = digest = _navigation_digest(nav)
        if self.plan.active and self.plan.last.navigation != digest:
            log.info("重建：导航有变化，所有页面重新渲染。")
            self.plan.drop_all()

    def finish(self, site_dir: Path):
        """on_post_build: renditions and WeChat pages, the search index (reused or made), then the record."""
        site, plan = self.site, self.plan
        site.write_beside_pages(site_dir)
        for src_uri in plan.reused:
            key = site.search_body_key(src_uri)
            if key is not None:
                site.keep_search_body(key, plan.stored_body(key))
        if plan.search_reusable():
            plan.take_search(site_dir)
            result = None
        else:
            result = site.write_search_index(site_dir)
        start = time.process_time()
        self._record(site_dir)
        log.info(plan.summary(self.cpu + time.process_time() - start))
        return result

    def _record(self, site_dir: Path) -> None:
        site, plan, record = self.site, self.plan, self.plan.record
        record.site_dir = str(self.last_site.resolve())
        record.search_files = reuse.files_under(site_dir, "searchindex")
        for src_uri, page in self.rendered.items():
            if src_uri in self.warned:
                continue
            story = site.column.published_story(src_uri)
            paths = [page.file.dest_uri, *(site.story_outputs(story) if story else ())]
            stamps = [reuse.stamp(site_dir, p) for p in paths]
            if None in stamps:
                continue
            record.pages[src_uri] = reuse.PageRecord(
                plan.keys[src_uri], stamps, sorted(page.present_anchor_ids or ()),
                {f.src_uri: dict(links) for f, links in (page.links_to_anchors or {}).items()})
        for src_uri in record.pages:  # rendered or reused: the next build's index may need its body
            key = site.search_body_key(src_uri)
            body = site.search_body(key) if key is not None else None
            if body is not None:
                record.bodies[key] = (plan.keys[src_uri], body)
        record.save(reuse.record_paths(self.root, self.last_site).pending)


class _PageWarnings(logging.Handler):
    """Notes the page MkDocs was reading or rendering when a warning was logged."""

    def __init__(self, config: MkDocsConfig, warned: set[str]):
        super().__init__(logging.WARNING)
        self.config, self.warned = config, warned

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.config, "_current_page", None)
        if page is not None:
            self.warned.add(page.file.src_uri)


def _environment_key(config: MkDocsConfig, root: Path) -> str:
    values = {k: config[k] for k in config if k not in _NOT_PAGE_INPUTS}
    values["plugins"] = list(config.plugins)
    theme = config.theme  # its repr holds a set, whose order changes from one process to the next
    values["theme"] = [theme.name, theme.dirs, sorted(theme.static_templates), {k: theme[k] for k in sorted(theme)}]
    hooks_dir = Path(__file__).resolve().parent
    inputs = [Path(config.config_file_path), *sorted(hooks_dir.glob("*.py"))]
    if config.theme.custom_dir:
        inputs.append(Path(config.theme.custom_dir))
    return reuse.environment_key(root, values, inputs)


def _navigation_digest(nav: Navigation) -> str:
    """Titles, addresses and nesting of the navigation, as every page's tabs and drawer show them."""
    def walk(items) -> list:
        return [[type(item).__name__, item.title, getattr(item, "url", None), walk(item.children or [])]
                for item in items]
    return hashlib.blake2b(repr(walk(nav.items)).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_active: _Rebuild | None = None


def start(config: MkDocsConfig, files: Files, site, command: str) -> None:
    """on_files, once the column is planned: reuse only in a `dangjian build` (it names the last site)."""
    global _active
    stop()
    last_site = os.environ.get(reuse.REUSE_ENV)
    if not last_site or command != "build" or not _install():
        return
    _active = _Rebuild(config, files, site, Path(last_site))


def stop() -> None:
    global _active
    if _active is not None:
        _active.close()
    _active = None


def finish(site_dir: Path):
    """on_post_build; None when the index was reused, else its IndexResult. Only while ``active()``."""
    try:
        return _active.finish(site_dir)
    finally:
        stop()


def active() -> bool:
    return _active is not None


# --------------------------------------------------------------------------- MkDocs' two page steps

_own_populate = mkdocs_build._populate_page
_own_build = mkdocs_build._build_page


def _populate_page(page: Page, config: MkDocsConfig, files: Files, dirty: bool = False) -> None:
    rebuild = _active
    if rebuild is None or not rebuild.may_skip(page):
        return _own_populate(page, config, files, dirty)
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.content = ""
        was = rebuild.plan.last.pages[page.file.src_uri]
        page.present_anchor_ids = set(was.anchors)
        if pages_log.getEffectiveLevel() > logging.DEBUG:  # as Page.render records them
            page.links_to_anchors = {files.get_file_from_path(t): dict(links) for t, links in was.links.items()}
        rebuild.skipped.add(page.file.src_uri)
    finally:
        config._current_page = None


def _build_page(page: Page, config: MkDocsConfig, doc_files, nav: Navigation, env, dirty: bool = False,
                excluded: bool = False) -> None:
    rebuild = _active
    if rebuild is None:
        return _own_build(page, config, doc_files, nav, env, dirty, excluded)
    rebuild.check_navigation(nav)
    src_uri = page.file.src_uri
    if src_uri in rebuild.skipped:
        if rebuild.plan.active and not excluded:
            rebuild.plan.take_page(src_uri, Path(config.site_dir))
            return None
        rebuild.skipped.discard(src_uri)
        _own_populate(page, config, rebuild.files, dirty)  # the navigation changed: read it after all
    _own_build(page, config, doc_files, nav, env, dirty, excluded)
    rebuild.plan.rendered += 1
    if src_uri in rebuild.plan.keys:
        rebuild.rendered[src_uri] = page
    return None


def _install() -> bool:
    if mkdocs.__version__ != "1.6.1":
        return False
    mkdocs_build._populate_page = _populate_page
    mkdocs_build._build_page = _build_page
    return True
