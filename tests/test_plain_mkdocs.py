"""Plain MkDocs, typed the way people type it: `mkdocs build` with a relative -f, from any folder, INHERIT.

The hooks took the project folder from ``config_file_path`` as given, so a relative path (even
``-f mkdocs.yml``) ended in a traceback. Each case runs the real ``mkdocs`` command in a subprocess
with the cwd a user would have.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import jpeg_bytes
from conftest import SiteProject

PROD_URL = "https://prod.example.gov.cn/dangjian/"


def small_project(project: SiteProject) -> SiteProject:
    project.branch("aa", brand="地质先锋")
    project.write("content/stories/2025/a/cover.jpg", jpeg_bytes())
    project.story("2025/a.md", title="第一篇稿件", slug="first", date="2025-03-01", branch="aa", cover="a/cover.jpg")
    (project.root / "sub").mkdir()
    (project.root / "mkdocs.prod.yml").write_text(f"INHERIT: mkdocs.yml\nsite_url: {PROD_URL}\n", encoding="utf-8")
    return project


def mkdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | {"NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize(("where", "config"), [
    ("project", None),  # plain `mkdocs build` in the project folder
    ("project", "mkdocs.yml"),
    ("project", "sub/../mkdocs.yml"),
    ("parent", "project/mkdocs.yml"),  # from another folder
])
def test_mkdocs_build_with_a_relative_config_path(tmp_path: Path, where: str, config: str | None):
    project = small_project(SiteProject.create(tmp_path / "project"))
    cwd = project.root if where == "project" else project.root.parent
    done = mkdocs(cwd, *(["-f", config] if config else []))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    site = project.root / "site"  # site_dir is relative to the config file, whatever the cwd
    assert (site / "stories/2025/first/index.html").is_file()
    assert (site / "branches/aa/index.html").is_file()
    assert any((site / "media").rglob("*.webp")), "the cover's renditions are published"


def test_a_per_environment_config_inheriting_mkdocs_yml(tmp_path: Path):
    project = small_project(SiteProject.create(tmp_path / "project"))
    done = mkdocs(project.root, "-f", "mkdocs.prod.yml", "--strict")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    site = project.root / "site"
    assert (site / "stories/2025/first/index.html").is_file()
    assert f"{PROD_URL}stories/2025/first/" in (site / "feed.xml").read_text(encoding="utf-8")
