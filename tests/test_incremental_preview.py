"""The incremental preview (hooks/column_preview.py): after each edit, add, rename, delete and re-date
under a running preview, every file of the served site equals a clean MkDocs build of the same sources."""

from __future__ import annotations

import gzip
import io
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from browser_support import free_port
from conftest import PROJECT, SiteProject
from dangjian_column.content.slugs import slugify
from http_wait import wait_for_text
from PIL import Image

sys.path.insert(0, str(PROJECT / "hooks"))

import column_preview

ADDR = "127.0.0.1:8765"


def _jpeg(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, "JPEG", quality=80)
    return out.getvalue()


def _clean_build(project: SiteProject, serve_url: str, where: Path) -> Path:
    """MkDocs' own build of a copy of the sources (another folder, so another hook module and no cache)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    copy = where / "sources"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project.root, copy, ignore=shutil.ignore_patterns("site", ".cache"))
    site = where / "site"
    shutil.rmtree(site, ignore_errors=True)
    config = load_config(str(copy / "mkdocs.yml"), site_dir=str(site), dev_addr=ADDR)
    config.site_url = serve_url
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=serve_url)
    return site


def _contents(site: Path) -> dict[str, bytes]:
    found = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return found


def _assert_same_site(preview_site: Path, clean_site: Path) -> None:
    served, clean = _contents(preview_site), _contents(clean_site)
    assert sorted(served.keys() - clean.keys()) == [], "files the preview kept that a clean build has not"
    assert sorted(clean.keys() - served.keys()) == [], "files a clean build has that the preview lacks"
    differ = sorted(path for path in clean if served[path] != clean[path])
    assert differ == [], f"files that differ from a clean build: {differ[:10]}"


@pytest.fixture(autouse=True)
def _hooks_left_as_found():
    """MkDocs loads the hook module once per process, and serving sets its command and story cache: the
    tests after these build as `mkdocs build` does, so both go back to a build's."""
    yield
    for module in list(sys.modules.values()):
        if hasattr(module, "current_site") and hasattr(module, "story_cache"):
            module.story_cache = module.plan_memory = None
            module._command = "build"


@pytest.fixture
def column(project: SiteProject) -> SiteProject:
    project.branch("aa", name="区调一支部")
    project.branch("bb", name="找矿二支部")
    # A topic that lists no story but links to one in its introduction: only that link ties it to a.md.
    project.write("topics/lianjian/index.md", "---\ntitle: 联建专题\ntags: [没有稿件的标签]\n---\n\n"
                  "见[三月的活动](../../stories/2025/a.md)。\n")
    # A hand-written introduction over a listing the preview hands back from one save to the next.
    project.write("content/kinds/zhuti-dangri/index.md", "# 主题党日\n\n各支部主题党日的做法。\n")
    project.write("content/stories/2025/a/01.jpg", _jpeg("#a33"))
    project.story("2025/a.md", title="三月主题党日", date="2025-03-01", branch="aa", tags=["红色教育"],
                  cover="a/01.jpg", body="![剖面前重温誓词](a/01.jpg)\n\n重温入党誓词。")
    project.story("2025/b.md", title="四月党课", date="2025-04-01", branch="aa", tags=["党课"],
                  body="见 [三月的活动](a.md)。")
    project.story("2025/c.md", title="五月联学", date="2025-05-01", branch=["aa", "bb"], tags=["红色教育", "党课"])
    for i in range(1, 8):
        project.story(f"2025/d{i}.md", title=f"找矿一线第{i}次活动", date=f"2025-0{i}-15", branch="bb",
                      kind="主题党日" if i % 2 else "三会一课", tags=["找矿"])
    project.story("2024/old.md", title="去年的总结", date="2024-12-20", branch="bb")
    return project


def test_every_edit_under_a_running_preview_matches_a_clean_build(column: SiteProject, tmp_path: Path):
    served = tmp_path / "served"
    served.mkdir()
    preview = column_preview.IncrementalPreview(str(column.root / "mkdocs.yml"), served, ADDR)
    preview.build()
    stories = column.root / "content" / "stories"

    def check(what: str, expect: str = "incremental") -> None:
        preview.rebuild()
        preview._wait_for_search()
        assert preview.last["kind"] == expect, what
        _assert_same_site(served, _clean_build(column, preview.serve_url, tmp_path / "clean"))

    story = stories / "2025/c.md"
    story.write_text(story.read_text(encoding="utf-8").replace("活动正文。", "活动正文，新增一段。"), encoding="utf-8")
    check("body edited")
    rendered_for_body = preview.last["pages"]

    story.write_text(story.read_text(encoding="utf-8").replace("五月联学", "五月联学联建"), encoding="utf-8")
    check("title edited: new URL, and the neighbours' prev/next links show the new title")

    column.story("2025/new.md", title="新来的稿件", date="2025-08-01", branch="bb", tags=["新标签"])
    check("story added, with a new tag")

    (stories / "2025/d3.md").rename(stories / "2025/d3-renamed.md")
    check("story file renamed")

    (stories / "2025/d5.md").unlink()
    check("story deleted")

    old = stories / "2024/old.md"
    old.write_text(old.read_text(encoding="utf-8").replace("2024-12-20", "2025-01-02"), encoding="utf-8")
    check("story re-dated into another year (it also warns: the 2024 folder)")

    target = stories / "2025/a.md"
    target.write_text(target.read_text(encoding="utf-8").replace("三月主题党日", "三月主题党日活动"), encoding="utf-8")
    check("a linked story's title (so its URL) changed: the linking story's link follows")

    story.write_text(story.read_text(encoding="utf-8").replace("kind: 主题党日", "kind: 不存在的类型"), encoding="utf-8")
    check("an error keeps a published story out")

    column.write("content/stories/2025/a/02.jpg", _jpeg("#3a3"))
    check("a photo added to a story's folder joins its gallery")

    column.write("content/stories/2025/a/01.jpg", _jpeg("#33a"))
    check("the cover replaced under the same name: its card and pages take the new renditions")

    column.branch("bb", name="找矿第二支部")
    check("a branch profile changed: a full build, the branches read again", expect="full")

    column.settings(page_size=3)
    check("column.yml changed: a full build", expect="full")
    assert 0 < rendered_for_body < len(preview.inputs_before), "a body edit re-rendered only some pages"


def test_a_save_while_the_search_index_is_written_stops_it_and_the_next_index_is_right(
        column: SiteProject, tmp_path: Path, monkeypatch):
    """A staffer saves again while the last save's index is still being written (12–14 s of CPU at 9,000
    stories): the save does not wait for it, and the index written after it is a clean build's."""
    from dangjian_column.site import SitePlan

    slow = 30.0
    own = SitePlan.write_search_index

    def slow_index(self, site_dir):
        time.sleep(slow)  # in the forked writer: long enough that the next save finds it running
        return own(self, site_dir)

    served = tmp_path / "served"
    served.mkdir()
    preview = column_preview.IncrementalPreview(str(column.root / "mkdocs.yml"), served, ADDR)
    preview.build()
    monkeypatch.setattr(column_preview, "SEARCH_AFTER_IDLE", 0.0)
    monkeypatch.setattr(SitePlan, "write_search_index", slow_index)
    story = column.root / "content/stories/2025/c.md"
    story.write_text(story.read_text(encoding="utf-8").replace("活动正文。", "活动正文，第一次。"), encoding="utf-8")
    preview.rebuild()
    deadline = time.monotonic() + 10
    while not preview.index_pid and time.monotonic() < deadline:
        time.sleep(0.05)
    assert preview.index_pid, "the index writer started"
    story.write_text(story.read_text(encoding="utf-8").replace("第一次", "第二次"), encoding="utf-8")
    started = time.monotonic()
    monkeypatch.setattr(SitePlan, "write_search_index", own)  # the next writer (a new fork) is not slowed
    preview.rebuild()
    assert time.monotonic() - started < slow / 2, "the save stopped the writer instead of waiting for it"
    preview._wait_for_search()
    _assert_same_site(served, _clean_build(column, preview.serve_url, tmp_path / "clean"))


def test_a_save_that_changes_nothing_renders_nothing(column: SiteProject, tmp_path: Path):
    served = tmp_path / "served"
    served.mkdir()
    preview = column_preview.IncrementalPreview(str(column.root / "mkdocs.yml"), served, ADDR)
    preview.build()
    story = column.root / "content/stories/2025/b.md"
    story.write_text(story.read_text(encoding="utf-8"), encoding="utf-8")  # saved again, as an editor does
    preview.rebuild()
    assert preview.last == {**preview.last, "kind": "incremental", "pages": 0}


def test_fingerprints_are_the_same_for_the_same_sources(column: SiteProject):
    from dangjian_column.site import prepare_site

    first = prepare_site(column.root, column.root / "content", preview=True).fingerprints()
    second = prepare_site(column.root, column.root / "content", preview=True).fingerprints()
    assert first == second and len(first) > 20  # every page kind has a rule: none falls back to "always render"


def test_a_story_saved_under_dangjian_serve_shows_in_the_served_page_and_the_preview_then_rests(column: SiteProject):
    """The path staff take: `dangjian serve`, save a story, the page shows it; and nothing rebuilds after
    that on its own (a rebuild reads the sources, and reading must not count as a change)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "dangjian_column", "--root", str(column.root), "serve",
                                "--addr", f"127.0.0.1:{port}"], stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{port}/dangjian/stories/2025/{slugify('四月党课')}/"
        wait_for_text(url, "见", timeout=180, interval=0.2)
        story = column.root / "content/stories/2025/b.md"
        story.write_text(story.read_text(encoding="utf-8").replace("见 [", "另见 ["), encoding="utf-8")
        wait_for_text(url, "另见", timeout=60, interval=0.2)
        time.sleep(4)  # the search index comes 1.5 s after the save; then nothing more
        updates = [line for line in lines if "预览：更新" in line or "预览：完整构建" in line]
        assert len(updates) == 2, updates  # the first build and this save's update, no loop of rebuilds
        assert "预览：更新" in updates[1]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

