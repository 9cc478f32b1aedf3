"""Builds leave the sources alone, share no state, and a failed CLI build never replaces a good site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from browser_support import jpeg_bytes, png_bytes
from conftest import SiteProject, story_titles


def snapshot(*folders: Path) -> dict[str, tuple]:
    """Every file and folder under ``folders``: path -> (bytes, mtime_ns) for files, "dir" for folders."""
    state: dict[str, tuple] = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in dirnames:
                state[os.path.join(dirpath, name)] = ("dir",)
            for name in filenames:
                path = Path(dirpath, name)
                state[str(path)] = (path.read_bytes(), path.stat().st_mtime_ns)
    return state


def all_site_text(site: Path) -> str:
    parts = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    parts += [p.read_text(encoding="utf-8") for p in site.glob("searchindex/*/d/*.json")]
    return "\n".join(parts)


def good_project(project: SiteProject) -> SiteProject:
    project.branch("aa", brand="地质先锋", logo="logo.png")
    project.write("branches/aa/logo.png", png_bytes())
    project.branch("bb", brand="找矿尖兵")
    project.write("content/stories/2025/img/cover.jpg", jpeg_bytes())
    project.story("2025/a.md", title="第一篇稿件", slug="first", date="2025-03-01", branch=["aa", "bb"],
                  cover="img/cover.jpg", tags=["红色教育"])
    project.story("2025/b.md", title="第二篇稿件", slug="second", date="2025-04-01", branch="bb")
    project.story("2025/draft.md", title="草稿稿件", slug="draft", date="2025-04-02", branch="bb", draft=True)
    return project


# 8. The build never writes into content/ or branches/ ------------------------------------------

def test_builds_do_not_touch_sources(project: SiteProject):
    good_project(project)
    sources = (project.root / "content", project.root / "branches")
    before = snapshot(*sources)
    assert len(before) > 8
    assert project.build(strict=True).ok
    assert snapshot(*sources) == before

    project.story("2025/bad.md", title="坏稿件", date="2025-02-30", branch="aa")
    project.write("branches/cc/note.txt", "没有档案的支部文件夹")
    before = snapshot(*sources)
    assert project.build(strict=True).ok is False
    assert project.build().ok
    assert snapshot(*sources) == before


# 9. No state leaks between builds in one process ----------------------------------------------

def test_second_build_reflects_exactly_the_new_content(project: SiteProject):
    good_project(project)
    first = project.build(strict=True)
    assert first.ok, first.messages
    assert story_titles(first.html("branches/bb/")) == ["第二篇稿件", "第一篇稿件"]

    (project.root / "content/stories/2025/b.md").unlink()
    project.story("2025/c.md", title="新增的稿件", slug="third", date="2025-05-01", branch="bb")
    project.branch("aa", brand="改名后的品牌", logo="logo.png")
    project.settings(title="改名后的专栏")

    second = project.build(strict=True)
    assert second.ok, second.messages
    assert second.site == first.site
    assert story_titles(second.html("branches/bb/")) == ["新增的稿件", "第一篇稿件"]
    assert second.exists("stories/2025/third/")
    assert not second.exists("stories/2025/second/")
    assert not second.exists("archive/2025/04/")
    text = all_site_text(second.site)
    assert "第二篇稿件" not in text
    assert "地质先锋" not in text
    assert "新增的稿件" in text and "改名后的品牌" in text
    home = second.html("")
    assert [b.get_text(strip=True) for b in home.select(".dj-brandlet strong")] == ["改名后的品牌", "找矿尖兵"]
    assert home.select_one("h1").get_text(strip=True) == "改名后的专栏"
    assert home.select_one(".dj-masthead__title").get_text(strip=True) == "改名后的专栏"
    chips = second.html("stories/2025/first/").select(".dj-story__branches strong")
    assert [c.get_text(strip=True) for c in chips] == ["改名后的品牌", "找矿尖兵"]
    assert second.messages == []
    drafts = [i for i in second.infos if "草稿" in i]
    assert len(drafts) == 1  # problems of the first build are not reported again


def test_another_project_in_the_same_process_shares_nothing(tmp_path: Path):
    one = good_project(SiteProject.create(tmp_path / "one"))
    assert one.build(strict=True).ok
    other = SiteProject.create(tmp_path / "other")
    other.branch("zz", brand="另一个品牌")
    other.story("2024/x.md", title="另一个项目的稿件", slug="x", date="2024-06-01", branch="zz")
    result = other.build(strict=True)
    assert result.ok, result.messages
    text = all_site_text(result.site)
    assert "第一篇稿件" not in text and "地质先锋" not in text and "红色教育" not in text
    assert not result.exists("branches/aa/") and not result.exists("stories/2025/first/")
    assert story_titles(result.html("archive/")) == [] and story_titles(result.html("archive/2024/")) == [
        "另一个项目的稿件"]


# 10. Atomic build via the CLI -----------------------------------------------------------------

def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(root), *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site"))


def test_cli_strict_build_is_atomic(project: SiteProject):
    good_project(project)
    site = project.root / "site"
    done = run_cli(project.root, "build", "--strict")
    assert done.returncode == 0, done.stderr
    assert (site / "stories/2025/first/index.html").is_file()
    assert (site / "searchindex" / "manifest.json").is_file()
    assert leftovers(project.root) == []
    before = snapshot(site)

    project.story("2025/a.md", title="第一篇稿件", slug="first", date="2025-03-01", branch="nowhere")
    failed = run_cli(project.root, "build", "--strict")
    assert failed.returncode != 0
    assert "content/stories/2025/a.md" in failed.stderr
    assert snapshot(site) == before
    assert leftovers(project.root) == []

    checked = run_cli(project.root, "check")
    assert checked.returncode == 1
    assert "content/stories/2025/a.md:" in checked.stdout and "nowhere" in checked.stdout

    project.story("2025/a.md", title="修好的稿件", slug="fixed", date="2025-03-01", branch="aa")
    fixed = run_cli(project.root, "build", "--strict")
    assert fixed.returncode == 0, fixed.stderr
    assert (site / "stories/2025/fixed/index.html").is_file()
    assert not (site / "stories/2025/first").exists()
    assert leftovers(project.root) == []


def test_build_site_into_a_custom_folder(project: SiteProject, tmp_path: Path):
    from dangjian_column.commands.sitebuild import build_site

    good_project(project)
    out = tmp_path / "published" / "site"
    assert build_site(project.root, out, strict=True) == 0
    assert (out / "index.html").is_file()
    assert not (project.root / "site").exists()
    assert leftovers(out.parent) == []
