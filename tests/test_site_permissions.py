"""`dangjian build` leaves a site another user can read: the website team's nginx workers are not the builder.

The staging folder comes from tempfile.mkdtemp (0700); swapped in as site/, it made every URL a 403
for an unprivileged nginx, again after each scheduled rebuild. The built tree must get the modes a
plain mkdir and open would give under the builder's umask. (The real nginx, running as nobody, is
tests/test_deploy_nginx.py.)
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import jpeg_bytes
from conftest import SiteProject


def small_project(project: SiteProject) -> SiteProject:
    project.branch("aa", brand="地质先锋")
    project.write("content/stories/2025/a/cover.jpg", jpeg_bytes())
    project.story("2025/a.md", title="第一篇稿件", slug="first", date="2025-03-01", branch="aa", cover="a/cover.jpg")
    return project


def dangjian_build(root: Path, umask: int) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(root), "build"], env=env,
                          umask=umask, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]


def modes(site: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(site.stat().st_mode)}
    for path in site.rglob("*"):
        found[path.relative_to(site).as_posix()] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_a_build_and_a_rebuild_leave_the_site_readable_by_others(project: SiteProject):
    small_project(project)
    site = project.root / "site"
    for _build in ("first build", "scheduled rebuild"):
        dangjian_build(project.root, 0o022)
        found = modes(site)
        # The site itself, its pages, the image renditions (hard-linked from the cache) and the search index.
        assert {".", "index.html", "stories/2025/first/index.html"} <= set(found)
        assert any(p.startswith("media/") for p in found) and any(p.startswith("searchindex/") for p in found)
        folders = {p: m for p, m in found.items() if (site / p).is_dir()}
        assert {p: oct(m) for p, m in folders.items() if m != 0o755} == {}
        unreadable = {p: oct(m) for p, m in found.items() if not (site / p).is_dir() and m & 0o044 != 0o044}
        assert unreadable == {}


@pytest.mark.parametrize("umask", [0o027])
def test_the_site_folder_honours_the_umask_like_mkdir(project: SiteProject, umask: int):
    small_project(project)
    dangjian_build(project.root, umask)
    site = project.root / "site"
    assert oct(stat.S_IMODE(site.stat().st_mode)) == oct(0o777 & ~umask)
    assert oct(stat.S_IMODE((site / "stories").stat().st_mode)) == oct(0o777 & ~umask)
