"""`dangjian build` after `dangjian build`: pages whose inputs did not change are linked from the last good site
(pages/reuse.py, hooks/column_reuse.py), and the site is still exactly what a clean build makes (issue 13).

One sample project (the repository's content, branches, topics and a copy of the templates) is built with
`dangjian build`'s own function (a real `mkdocs build` in a child process, then the swap); after each change the
result is compared, every file byte for byte and the same set of files, with a plain `mkdocs build` of the same
sources into a fresh folder. The build's log says how many pages it reused and rendered.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, SiteProject
from dangjian_column.commands.sitebuild import build_site
from dangjian_column.pages import reuse
from generate_corpus import write_project_config

REUSED = re.compile(r"增量重建：沿用上次构建的 (\d+) 个页面，重新渲染 (\d+) 个")
FULL = re.compile(r"完整构建：渲染 (\d+) 个页面")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> SiteProject:
    root = tmp_path_factory.mktemp("rebuild") / "project"
    root.mkdir()
    write_project_config(root)
    for folder in ("content", "branches", "topics", "site_templates"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copy(PROJECT / "terminology.yml", root / "terminology.yml")
    config = root / "mkdocs.yml"  # the templates of this project, so the test may edit one
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"custom_dir: .*", "custom_dir: site_templates", text), encoding="utf-8")
    return SiteProject(root)


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_as_clean(project: SiteProject, tmp_path: Path, name: str) -> None:
    clean = project.build(site_dir=tmp_path / f"clean-{name}")
    assert clean.ok
    built, expected = tree(project.root / "site"), tree(clean.site)
    assert sorted(built) == sorted(expected), f"{name}: files differ: " \
        f"{sorted(set(built) ^ set(expected))[:10]}"
    differ = [path for path in expected if built[path] != expected[path]]
    assert not differ, f"{name}: {len(differ)} files differ from a clean build, e.g. {differ[:5]}"


def rebuild(project: SiteProject, capfd) -> tuple[int, int]:
    """`dangjian build`; (pages reused, pages rendered) from its log."""
    capfd.readouterr()
    assert build_site(project.root, project.root / "site") == 0
    out = capfd.readouterr()
    log = out.out + out.err
    if found := REUSED.search(log):
        return int(found.group(1)), int(found.group(2))
    found = FULL.search(log)
    assert found, log[-2000:]
    return 0, int(found.group(1))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def some_story(project: SiteProject) -> Path:
    return sorted((project.root / "content" / "stories").glob("*/*.md"))[3]


def test_rebuilds_match_a_clean_build(sample, tmp_path, capfd):
    project = sample
    sources = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}

    reused, rendered = rebuild(project, capfd)
    assert reused == 0  # the first build has nothing to take from
    total = rendered
    assert_same_as_clean(project, tmp_path, "first")

    # nothing changed: only the hand-written pages (about.md: not planned by the column) are rendered again
    reused, rendered = rebuild(project, capfd)
    assert rendered <= 3 and reused >= total - 3, (reused, rendered)
    assert_same_as_clean(project, tmp_path, "no-change")
    search = sorted(p.name for p in (project.root / "site" / "searchindex").iterdir())

    # the build never wrote into the sources, nor into .cache anything but its own records and renditions
    for path, data in sources.items():
        assert path.read_bytes() == data, path

    # one story's body: its page, its WeChat export and the search index change; listings do not
    story = some_story(project)
    story.write_text(story.read_text(encoding="utf-8") + "\n新增的一段正文：重建测试。\n", encoding="utf-8")
    reused, rendered = rebuild(project, capfd)
    assert 1 <= rendered < total // 4, (reused, rendered)
    assert_same_as_clean(project, tmp_path, "body")
    assert sorted(p.name for p in (project.root / "site" / "searchindex").iterdir()) != search

    # a title: the story's cards, neighbours, related lists and listings change with it
    story_yaml = yaml.safe_load(story.read_text(encoding="utf-8").split("---")[1])
    edit(story, f"title: {story_yaml['title']}", f"title: {story_yaml['title']}（修订）")
    reused, rendered = rebuild(project, capfd)
    assert rendered > 1, (reused, rendered)
    assert_same_as_clean(project, tmp_path, "title")

    # a branch's brand
    branch = sorted((project.root / "branches").glob("*/index.md"))[0]
    brand = yaml.safe_load(branch.read_text(encoding="utf-8").split("---")[1])["brand"]
    edit(branch, f"brand: {brand}", f"brand: {brand}新")
    rebuild(project, capfd)
    assert_same_as_clean(project, tmp_path, "branch")

    # a template: every page is rendered again
    edit(project.root / "site_templates" / "partials" / "dj-footer.html", "</footer>", "<!-- 重建 --></footer>")
    reused, rendered = rebuild(project, capfd)
    assert reused == 0, (reused, rendered)
    assert_same_as_clean(project, tmp_path, "template")

    # column.yml: everything again
    project.settings(page_size=3)
    reused, rendered = rebuild(project, capfd)
    assert reused == 0, (reused, rendered)
    assert_same_as_clean(project, tmp_path, "column.yml")

    # a story taken down, another one deleted
    edit(story, "status: 已发布", "status: 撤稿")
    sorted((project.root / "content" / "stories").glob("*/*.md"))[0].unlink()
    rebuild(project, capfd)
    assert_same_as_clean(project, tmp_path, "take-down")


def test_a_changed_or_missing_output_is_rendered_again(sample, tmp_path, capfd):
    project = sample
    rebuild(project, capfd)
    site = project.root / "site"
    pages = sorted(site.glob("stories/*/*/index.html"))
    pages[0].write_text("被手工改过的页面", encoding="utf-8")  # a hand edit in the published site
    pages[1].unlink()
    shutil.rmtree(site / "searchindex")
    reused, rendered = rebuild(project, capfd)
    assert 3 <= rendered <= 6 and reused > 0, (reused, rendered)
    assert_same_as_clean(project, tmp_path, "hand-edit")


def test_a_failed_build_keeps_the_record_of_the_site_still_there(sample, tmp_path, capfd):
    project = sample
    rebuild(project, capfd)
    paths = reuse.record_paths(project.root, project.root / "site")
    before = json.loads(paths.manifest.read_text(encoding="utf-8"))
    story = some_story(project)
    original = story.read_text(encoding="utf-8")
    story.write_text(original.replace("---\n", "---\nunknown_field: 1\n", 1), encoding="utf-8")
    try:
        assert build_site(project.root, project.root / "site", strict=True) != 0
    finally:
        story.write_text(original, encoding="utf-8")
    assert json.loads(paths.manifest.read_text(encoding="utf-8")) == before
    assert not paths.pending.manifest.exists()
    reused, rendered = rebuild(project, capfd)
    assert rendered <= 3, (reused, rendered)
    assert_same_as_clean(project, tmp_path, "after-failure")


def test_plain_mkdocs_build_reuses_nothing_and_records_nothing(tmp_path):
    project = SiteProject.create(tmp_path / "plain")
    project.branch("yi-zhibu")
    project.story("2025/a.md", title="一次活动", date="2025-03-01", branch="yi-zhibu")
    assert project.build().ok
    assert not (project.root / reuse.RECORD_DIR).exists()


def test_a_brand_story_follows_the_story_it_links_and_its_own_photo(sample, tmp_path, capfd):
    """A generated page's own Markdown (a brand story) links to a story and shows a photo of the branch folder:
    neither is in its fingerprint, so its key takes every story's address and every such photo's renditions."""
    project = sample
    stories = sorted((project.root / "content" / "stories").glob("2025/*.md"))[4:]  # not those edited above
    target = next(p for p in stories if "status: 已发布" in p.read_text(encoding="utf-8"))
    link = f"../../stories/{target.parent.name}/{target.name}"
    folder = project.root / "branches" / "dizhi-xianfeng"
    photos = sorted((project.root / "content" / "stories").glob("*/*/*.jpg"))
    shutil.copy(photos[0], folder / "flag.jpg")
    with (folder / "index.md").open("a", encoding="utf-8") as f:
        f.write(f"\n\n支部的[一次活动]({link})。\n\n![支部队旗](flag.jpg)\n")
    rebuild(project, capfd)
    assert_same_as_clean(project, tmp_path, "brand-story")

    text = target.read_text(encoding="utf-8")
    if "\nslug:" in text:
        text = re.sub(r"\nslug: .*", "\nslug: chongjian-ceshi-xin-wangzhi", text, count=1)
    else:
        text = text.replace("---\n", "---\nslug: chongjian-ceshi-xin-wangzhi\n", 1)
    target.write_text(text, encoding="utf-8")
    rebuild(project, capfd)
    assert_same_as_clean(project, tmp_path, "linked-story-moved")
    assert "chongjian-ceshi-xin-wangzhi" in (project.root / "site" / "branches" / "dizhi-xianfeng" / "index.html").read_text(
        encoding="utf-8")

    shutil.copy(photos[-1], folder / "flag.jpg")  # another photo under the same name: new renditions
    reused, rendered = rebuild(project, capfd)
    assert rendered >= 2, (reused, rendered)
    assert_same_as_clean(project, tmp_path, "brand-photo")
