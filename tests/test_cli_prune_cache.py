"""`dangjian prune-cache`: drops renditions nothing uses any more, keeps those of every story (published or not)."""

from __future__ import annotations

from pathlib import Path

from browser_support import jpeg_bytes
from conftest import SiteProject
from dangjian_column.commands.cli import main


def media_files(root: Path) -> set[str]:
    return {p.name for p in (root / ".cache/images/media").rglob("*") if p.is_file()}


def test_prune_keeps_what_stories_use_and_drops_the_rest(project: SiteProject):
    project.branch("aa")
    project.write("content/stories/2025/a/cover.jpg", jpeg_bytes(800, 600))
    project.write("content/stories/2025/b/cover.jpg", jpeg_bytes(800, 600, color=(20, 90, 200)))
    project.story("2025/a.md", title="已发布", date="2025-03-01", branch="aa", slug="a", cover="a/cover.jpg")
    project.story("2025/b.md", title="待审", date="2025-03-02", branch="aa", slug="b", cover="b/cover.jpg",
                  status="待审")
    project.settings(images={"webp_quality": 70})
    assert project.build().ok
    first = media_files(project.root)
    project.settings(images={"webp_quality": 60})  # new WebP files; the q70 ones are now unused
    assert project.build().ok
    second = media_files(project.root)
    assert first - second == set() and len(second) > len(first)

    assert main(["--root", str(project.root), "prune-cache"]) == 0
    after = media_files(project.root)
    stale_webp = {n for n in first if n.endswith(".webp")}
    assert stale_webp and stale_webp.isdisjoint(after)  # the q70 WebP files are gone
    assert second - stale_webp <= after  # everything the current settings use is kept
    # the 待审 story counts too (preview builds show it): its cover's 160 + 320 (search thumbnails) + 480 + 720 +
    # 800 px × WebP + JPEG are made and kept
    assert len(after - second) == 10
    assert main(["--root", str(project.root), "prune-cache"]) == 0
    assert media_files(project.root) == after
    assert project.build().ok and "新处理 0 张" in "\n".join(project.build().infos)
