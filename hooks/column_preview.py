"""`dangjian serve`'s incremental preview: after the first build, a saved story re-renders only the
pages it changed. MkDocs' side of it (the domain says which pages changed: SitePlan.changed_pages).

MkDocs' own `serve` rebuilds the whole site on every save (a minute at 9,000 stories) and its `--dirty`
mode goes by file dates, which misses the listings, neighbours and related lists a story appears on.
Here one MkDocs configuration, file list, navigation and Jinja environment stay in memory; a save
under ``content/stories/`` is loaded through the story cache, planned again, and every page whose
inputs changed (or that is new) goes through MkDocs' own page steps and the column's hooks, as
in a build. Pages that disappeared are deleted. Anything else that changed — mkdocs.yml, column.yml,
templates, hooks, branches, topics, hand-written pages — means a full build, as MkDocs would do.

Run as ``python hooks/column_preview.py -f mkdocs.yml -a 127.0.0.1:8000`` (``dangjian serve`` does).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.dangjian_preview")

STORY_SOURCES = "stories"  # under docs_dir: saves there are incremental, everything else rebuilds
SEARCH_AFTER_IDLE = 1.5  # seconds without a save before the preview's search index is brought up to date


class IncrementalPreview:
    """The preview site: ``build()`` once, then ``update()`` after each save."""

    def __init__(self, config_file: str, site_dir: Path, dev_addr: str | None = None):
        self.config_file = config_file
        self.site_dir = site_dir
        self.dev_addr = dev_addr
        self.config = self._load_config()
        host, port = self.config.dev_addr
        self.mount_path = urlsplit(self.config.site_url or "/").path
        self.serve_url = _serve_url(host, port, self.mount_path)
        self.hooks = _column_hooks(self.config)
        self.hooks.story_cache, self.hooks.plan_memory = self._memories()
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env = None
        self.template_cache = None  # the TemplateCache the full build installed in env
        self.inputs_before: dict[str, tuple] = {}  # the last plan's page inputs, to compare the next one with
        self.stamps: dict[str, tuple[int, int]] = {}  # size and mtime of what a full build depends on
        self.search_thread: threading.Thread | None = None
        self.index_pid = 0  # the forked process writing the search index, while it runs
        self.last: dict[str, float | int | str] = {}  # what the last update did (the benchmark reads it)

    # --------------------------------------------------------------------------- the two ways in

    def rebuild(self) -> None:
        """LiveReloadServer's builder: whatever changed, the served site is right afterwards."""
        if self.files is None or self._global_inputs() != self.stamps:
            self.build()
        else:
            self.update()

    def build(self) -> None:
        """A whole build, as `mkdocs build` makes it, keeping what MkDocs made of it for updates."""
        start = time.perf_counter()
        self._wait_for_search(cancel=True)  # this build writes the whole index itself
        config = self._load_config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.config = config = config.plugins.on_config(config)
        self.stamps = self._global_inputs()  # after on_config: it adds topics/ to the watched paths
        config.plugins.on_pre_build(config=config)
        mkdocs_build.utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
            if file.page is None:
                Page(None, file, config)
            mkdocs_build._populate_page(file.page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        self.template_cache = self.hooks.template_cache  # this env's (another build in the process makes its own)
        files.copy_static_files(inclusion=InclusionLevel.is_in_serve)
        self.files, self.nav, self.env = files, nav, env
        self._build_theme_templates()
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for file in doc_files:
            mkdocs_build._build_page(file.page, config, doc_files, nav, env)
        config.plugins.on_post_build(config=config)
        self.inputs_before = self.site.page_inputs()
        _settle_memory()
        self.last = {"kind": "full", "pages": len(doc_files), "seconds": time.perf_counter() - start}
        log.info("预览：完整构建 %d 个页面，用时 %.1f 秒", len(doc_files), self.last["seconds"])

    def update(self) -> None:
        """Re-plan the column from the story cache and render only the pages whose inputs changed."""
        gc.disable()  # the save's own garbage is freed by reference counting; cycles wait for the idle time
        try:
            self._update()
        except Exception:
            self.files = None  # half updated: the next save builds everything again
            raise
        finally:
            gc.enable()

    def _update(self) -> None:
        start, cpu = time.perf_counter(), time.process_time()
        self._wait_for_search(cancel=True)
        self.template_cache.forget_objects()  # cards drawn from the last plan: a photo may have changed under one
        old = self.site
        config = self.config
        self.hooks.on_config(config)  # fresh column state: settings and a new problem log
        site = self.hooks.refresh_site(config)
        if site.empty_sections != old.empty_sections:  # a nav tab comes or goes: every page's header changes
            self.build()
            return
        self._move_stories(old, site)
        self._move_generated_pages(old, site)  # before the inputs: it joins the hand-written introductions
        site.keep_trails(old)
        inputs = site.page_inputs()
        stale = site.changed_pages(old, self.inputs_before, inputs)
        self._write_files(old.extra_files(), site.extra_files())
        self._write_files(*(self._desk_pages(plan) for plan in (old, site)))
        rendered = self._render(stale)
        if inputs.keys() != self.inputs_before.keys() or "index.md" in stale:
            self._build_theme_templates()  # sitemap.xml lists every page; the 404 shows the latest stories
        site.keep_search_bodies(old)
        self.inputs_before = inputs
        site.write_beside_pages(self.site_dir)
        if old.media.result is not site.media.result:  # renditions of a photo replaced or gone
            for path in old.media.result.site_paths() - site.media.result.site_paths():
                (self.site_dir / path).unlink(missing_ok=True)
        self.last = {"kind": "incremental", "pages": rendered, "seconds": time.perf_counter() - start,
                     "cpu": time.process_time() - cpu}
        log.info("预览：更新 %d 个页面，用时 %.2f 秒（CPU %.2f 秒）", rendered, self.last["seconds"], self.last["cpu"])
        # The search index waits until the saves pause: a staffer saving again and again should not wait for it.
        self.search_thread = threading.Timer(SEARCH_AFTER_IDLE, self._index, args=(site,))
        self.search_thread.daemon = True
        self.search_thread.start()

    # --------------------------------------------------------------------------- steps

    @property
    def site(self):
        return self.hooks.current_site()

    def _render(self, stale: set[str]) -> int:
        config, files = self.config, self.files
        pages = [f.page for uri in sorted(stale) if (f := files.get_file_from_path(uri)) is not None and f.page]
        for page in pages:
            mkdocs_build._populate_page(page, config, files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in pages:
            mkdocs_build._build_page(page, config, doc_files, self.nav, self.env)
        return len(pages)

    def _index(self, site) -> None:
        """The search index, written by a forked copy of this process: at 9,000 stories it takes 12–14 s of
        CPU, and a save arriving meanwhile stops it (the next pause writes it again) instead of waiting."""
        _settle_memory()  # also before the fork: the child shares the frozen objects' pages
        if not hasattr(os, "fork"):
            self._report_index(site.write_search_index(self.site_dir).summary)
            return
        pid = os.fork()
        if pid == 0:  # the child: write, and leave without running the parent's clean-up
            code = 0
            try:
                site.write_search_index(self.site_dir)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        self.index_pid = pid
        _, status = os.waitpid(pid, 0)
        self.index_pid = 0
        if os.WIFEXITED(status):
            self._report_index("已更新" if os.WEXITSTATUS(status) == 0 else "写入失败，下次保存后重写")

    @staticmethod
    def _report_index(summary: str) -> None:
        log.info("站内搜索：%s", summary)

    def _move_stories(self, old, new) -> None:
        """Stories that left, moved (a new title, a new date) or arrived: their files follow."""
        was = {s.src_uri: s for s in old.catalog.stories}
        now = {s.src_uri: s for s in new.catalog.stories}
        # The story cache hands an unchanged story out as the same object: only the others are asked
        for src_uri, story in was.items():  # their address (formatted anew each time it is asked)
            if now.get(src_uri) is not story and (src_uri not in now or now[src_uri].dest_uri != story.dest_uri):
                self._remove_page(src_uri, story.dest_uri, also=old.story_outputs(story))
        for src_uri, story in now.items():
            if was.get(src_uri) is not story and (src_uri not in was or was[src_uri].dest_uri != story.dest_uri):
                file = File(src_uri, self.config.docs_dir, self.config.site_dir, self.config.use_directory_urls,
                            dest_uri=story.dest_uri)
                self.files.append(file)
                Page(None, file, self.config)

    def _move_generated_pages(self, old, new) -> None:
        was = {p.src_uri: p for p in old.column.plan.pages}
        handwritten = set(new.column.pages.bodies)  # taken into generated pages at the full build
        now = {p.src_uri: p for p in new.generated_pages(lambda uri: uri in handwritten)}
        for src_uri in was.keys() - now.keys():
            self._remove_page(src_uri, self.files.get_file_from_path(src_uri).dest_uri)
        for src_uri, page in now.items():
            file = self.files.get_file_from_path(src_uri)
            if file is None:
                file = File.generated(self.config, src_uri, content=page.markdown)
                self.files.append(file)
                Page(None, file, self.config)
            elif file.content_string != page.markdown:
                file.content_string = page.markdown

    def _remove_page(self, src_uri: str, dest_uri: str, also: tuple[str, ...] = ()) -> None:
        file = self.files.get_file_from_path(src_uri)
        if file is not None:
            self.files.remove(file)
        for dest in (dest_uri, *also):
            target = self.site_dir / dest
            target.unlink(missing_ok=True)
            _prune_empty(target.parent, self.site_dir)

    def _write_files(self, was: dict[str, str | bytes], now: dict[str, str | bytes]) -> None:
        for path in was.keys() - now.keys():
            (self.site_dir / path).unlink(missing_ok=True)
        for path, content in now.items():
            if was.get(path) != content:
                target = self.site_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                data = content.encode("utf-8") if isinstance(content, str) else content
                target.write_bytes(data)

    def _desk_pages(self, site) -> dict[str, str]:
        desk_url = self.hooks.desk_url()
        if not desk_url:
            return {}
        taken = {f.dest_uri for f in self.files.documentation_pages()}
        return {dest: page for dest, page in site.desk_pages(desk_url).items() if dest not in taken}

    def _build_theme_templates(self) -> None:
        for template in self.config.theme.static_templates:
            mkdocs_build._build_theme_template(template, self.env, self.files, self.config, self.nav)

    def _wait_for_search(self, *, cancel: bool = False) -> None:
        """Before the site changes again: with ``cancel`` a pending index is dropped and one being written
        is stopped (the next one replaces it); without, it is waited for."""
        if self.search_thread is not None:
            if cancel:
                self.search_thread.cancel()
                if self.index_pid:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.index_pid, signal.SIGKILL)
            self.search_thread.join()
            self.search_thread = None

    # --------------------------------------------------------------------------- inputs

    def _load_config(self) -> MkDocsConfig:
        config = load_config(config_file=self.config_file, site_dir=str(self.site_dir),
                             **({"dev_addr": self.dev_addr} if self.dev_addr else {}))
        if hasattr(self, "serve_url"):
            config.site_url = self.serve_url
        return config

    def _memories(self):
        from dangjian_column.content.storycache import StoryCache
        from dangjian_column.pages.memory import PlanMemory
        return StoryCache(), PlanMemory()

    def _global_inputs(self) -> dict[str, tuple[int, int]]:
        """Size and mtime of every input whose change calls for a full build (all but content/stories/)."""
        root = Path(self.config.config_file_path).resolve().parent
        docs = Path(self.config.docs_dir)
        stamps: dict[str, tuple[int, int]] = {}
        roots = [root / "mkdocs.yml", root / "column.yml", *(Path(w) for w in self.config.watch),
                 *(Path(d) for d in self.config.theme.dirs[:1])]
        for top in [*roots, docs]:
            for path in _walk(top, skip=docs / STORY_SOURCES):
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                stamps[path] = (stat.st_size, stat.st_mtime_ns)
        return stamps


def _settle_memory() -> None:
    """Collect cycles now, while the staffer reads, then freeze what is left: Python's full collections
    would otherwise walk the million objects of the kept site on each save (0.8 s of CPU at 9,000 stories)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _walk(top: Path, skip: Path):
    if top.is_file():
        yield str(top)
        return
    for parent, folders, files in os.walk(top):
        folders[:] = [f for f in folders if os.path.join(parent, f) != str(skip)
                      and f != "__pycache__" and not f.endswith(".egg-info") and not f.startswith(".")]
        for name in files:
            yield os.path.join(parent, name)


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _column_hooks(config: MkDocsConfig):
    """The column's hook module as MkDocs loaded it (one instance per process: its state is the build's)."""
    for module in config.hooks.values():
        if hasattr(module, "current_site"):
            return module
    raise SystemExit("mkdocs.yml 的 hooks: 里没有 hooks/column_hooks.py，无法预览。")


def serve(config_file: str, dev_addr: str | None) -> int:
    site_dir = Path(tempfile.mkdtemp(prefix="dangjian-preview-"))
    try:
        preview = IncrementalPreview(config_file, site_dir, dev_addr)
        preview.build()
        host, port = preview.config.dev_addr
        server = LiveReloadServer(builder=preview.rebuild, host=host, port=port, root=str(site_dir),
                                  mount_path=preview.mount_path)

        def error_page(code: int) -> bytes | None:
            page = site_dir / f"{code}.html"
            return page.read_bytes() if code in (404, 500) and page.is_file() else None

        server.error_handler = error_page
        _watch(server, [preview.config.docs_dir, preview.config.config_file_path, *preview.config.watch,
                        *preview.config.theme.dirs[:1]])
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("预览已停止。")
        finally:
            server.shutdown()
        return 0
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


class _ChangesOnly(watchdog.observers.Observer):
    """The system's file events (inotify on Linux), only those that change a file: opening and reading
    are events too, and every rebuild reads the sources, so it would trigger the next one for ever."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, **kwargs):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=_CHANGES, **kwargs)


_CHANGES = [watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileDeletedEvent,
            watchdog.events.FileMovedEvent, watchdog.events.DirCreatedEvent, watchdog.events.DirDeletedEvent,
            watchdog.events.DirMovedEvent]


def _watch(server: LiveReloadServer, paths: list[str]) -> None:
    """File events instead of MkDocs' polling, which stats every file twice a second — 10,000 files at
    9,000 stories, a constant load, and up to half a second before a save is seen."""
    server.observer = _ChangesOnly()
    try:
        for path in paths:
            server.watch(path)
    except OSError:  # e.g. the inotify watch limit: poll as MkDocs does
        server._watch_refs.clear()
        server._watched_paths.clear()
        server.observer = watchdog.observers.polling.PollingObserver(timeout=0.5)
        for path in paths:
            server.watch(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="党建品牌专栏的增量预览（dangjian serve 调用）")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    parser.add_argument("-a", "--dev-addr", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    signal.signal(signal.SIGTERM, _stop)  # `dangjian serve` stops it so: the temporary site folder goes too
    return serve(args.config_file, args.dev_addr)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
