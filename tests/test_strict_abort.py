"""`build --strict` with a warning stops before the search index and says, in Chinese, that the old site stays.

MkDocs counts warnings during the build but aborts only after on_post_build, where the search index was made
(the slowest step at 9,000 stories) for a site that was then thrown away; `dangjian build` ended on
MkDocs' English "Aborted with 1 warnings in strict mode!" alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SiteProject

KEPT = "保留了上一次成功构建的 site/"


def good_project(project: SiteProject) -> SiteProject:
    project.branch("aa", brand="地质先锋")
    project.story("2025/a.md", title="岩芯库主题党日", slug="first", date="2025-03-01", branch="aa")
    return project


def with_a_warning(project: SiteProject) -> SiteProject:
    project.story("2025/b.md", title="写错支部的稿件", slug="second", date="2025-04-01", branch="nowhere")
    return project


def dangjian(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(root), *args], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_strict_build_with_a_warning_stops_before_the_search_index(project: SiteProject, tmp_path: Path):
    with_a_warning(good_project(project))
    result = project.build(strict=True, site_dir=tmp_path / "out")
    assert result.ok is False
    assert any("content/stories/2025/b.md" in m for m in result.messages)
    assert (result.site / "stories/2025/first/index.html").is_file()  # the pages were built ...
    assert not (result.site / "searchindex").exists()  # ... but the search index was not made for an aborted build
    assert any("站内搜索" in i and "--strict" in i for i in result.infos), result.infos


def test_plain_build_with_a_warning_still_indexes(project: SiteProject, tmp_path: Path):
    with_a_warning(good_project(project))
    result = project.build(site_dir=tmp_path / "out")
    assert result.ok
    assert (result.site / "searchindex" / "manifest.json").is_file()


def test_dangjian_build_strict_says_in_chinese_that_the_old_site_was_kept(project: SiteProject):
    good_project(project)
    first = dangjian(project.root, "build")
    assert first.returncode == 0, first.stderr[-3000:]
    home = project.root / "site" / "index.html"
    before = home.read_bytes(), home.stat().st_mtime_ns

    with_a_warning(project)
    failed = dangjian(project.root, "build", "--strict")
    assert failed.returncode == 1
    assert "content/stories/2025/b.md" in failed.stderr
    last = failed.stderr.strip().splitlines()[-1]
    assert KEPT in last, failed.stderr[-2000:]
    assert (home.read_bytes(), home.stat().st_mtime_ns) == before
    assert not (project.root / "site" / "stories/2025/second").exists()


def test_dangjian_build_strict_without_a_previous_site_says_none_was_made(project: SiteProject):
    with_a_warning(good_project(project))
    failed = dangjian(project.root, "build", "--strict")
    assert failed.returncode == 1
    last = failed.stderr.strip().splitlines()[-1]
    assert "site/" in last and "没有生成" in last and KEPT not in last, failed.stderr[-2000:]
    assert not (project.root / "site").exists()
