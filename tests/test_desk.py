"""写稿台: the generated Decap configuration and the local-backend handler, over real HTTP on 127.0.0.1.

The handler is driven with the JSON actions Decap CMS sends (decap-server's local_fs protocol) against a
temporary project; what it writes is read back from disk and through `dangjian check`.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser_support import env_var
from conftest import SiteProject
from dangjian_column.commands.cli import main
from dangjian_column.config.settings import load_settings
from dangjian_column.desk.admin import DESK_ENV
from dangjian_column.desk.backend import anchor_new_story_images
from dangjian_column.desk.config import desk_config
from dangjian_column.desk.server import DeskServer
from dangjian_column.problems import ProblemLog

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def _fields(config: dict, collection: str) -> dict[str, dict]:
    found = next(c for c in config["collections"] if c["name"] == collection)
    return {f["name"]: f for f in found["fields"]}


def _two_branches(project: SiteProject) -> None:
    project.branch("dizhi-xianfeng", name="区域地质调查所第一党支部", brand="地质先锋", order=20)
    project.branch("shanye-hongqi", name="第三地质大队野外分队党支部", brand="山野红旗", order=10)


def test_config_offers_the_projects_branches_kinds_and_status_labels(project: SiteProject):
    _two_branches(project)
    project.settings(kinds=[{"key": "zhuti-dangri", "label": "主题党日"}, {"key": "shuanglian", "label": "双联"}],
                     review={"labels": {"draft": "草稿箱", "review": "送审", "published": "已发布"}})
    config = desk_config(project.root, load_settings(project.root, ProblemLog()), api_url="http://127.0.0.1:9/api/v1")
    stories = next(c for c in config["collections"] if c["name"] == "stories")
    fields = _fields(config, "stories")

    assert config["backend"] == {"name": "proxy", "proxy_url": "http://127.0.0.1:9/api/v1"}
    assert config["locale"] == "zh_Hans"
    assert (stories["folder"], stories["path"]) == ("content/stories", "{{year}}/{{year}}-{{month}}-{{slug}}")
    assert stories["media_folder"] == stories["public_folder"] == "{{filename}}"  # the story's own photo folder
    branch = fields["branch"]
    assert branch["widget"] == "select" and branch["multiple"] is True  # 双联: several branches
    assert branch["options"] == [  # Chinese names shown, folder slugs stored, brand-wall order
        {"label": "第三地质大队野外分队党支部（山野红旗）", "value": "shanye-hongqi"},
        {"label": "区域地质调查所第一党支部（地质先锋）", "value": "dizhi-xianfeng"}]
    assert [o["value"] for o in fields["kind"]["options"]] == ["主题党日", "双联"]
    assert fields["status"]["options"] == ["草稿箱", "送审", "已发布", "撤稿"]
    assert fields["status"]["default"] == "送审"
    assert [f["name"] for f in fields["photos"]["fields"]] == ["file", "caption"]
    assert {"title", "date", "tags", "description", "cover", "video", "author", "photographer", "source",
            "editor", "slug", "body"} <= set(fields)
    assert fields["date"]["format"] == "YYYY-MM-DD"
    assert "已有标签" not in fields["tags"]["hint"]  # no story yet: an example instead
    assert set(_fields(config, "branches")) >= {"name", "brand", "slogan", "logo", "body"}


@pytest.fixture
def desk(project: SiteProject):
    _two_branches(project)
    server = DeskServer(project.root, lambda api: {"backend": {"name": "proxy", "proxy_url": api}}).start()
    try:
        yield server
    finally:
        server.stop()


def _call(desk: DeskServer, action: str, **params) -> tuple[int, object]:
    body = json.dumps({"action": action, "params": params}).encode("utf-8")
    request = urllib.request.Request(desk.url, data=body, headers={"Content-Type": "application/json",
                                                                     "Origin": "http://127.0.0.1:8000"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


STORY = """---
title: 区调一支部开展主题党日
date: 2025-03-15
status: 待审
branch:
  - dizhi-xianfeng
  - shanye-hongqi
kind: 主题党日
slug: zhuti-dangri-test
cover: 2025-03-zhuti-dangri-test/cover.png
photos:
  - file: 2025-03-zhuti-dangri-test/02.png
    caption: 党员重温入党誓词
---
正文第一段。

![队员在剖面前](2025-03-zhuti-dangri-test/body.png)
"""
STORY_PATH = "content/stories/2025/2025-03-zhuti-dangri-test.md"
FOLDER = "content/stories/2025/2025-03-zhuti-dangri-test"


def _asset(name: str) -> dict:
    return {"path": f"{FOLDER}/{name}", "content": base64.b64encode(PNG).decode(), "encoding": "base64"}


def test_desk_creates_reads_and_updates_a_story_with_its_photos_in_its_own_folder(project: SiteProject, desk):
    status, answer = _call(desk, "persistEntry", branch="main", dataFiles=[{"path": STORY_PATH, "raw": STORY,
                           "slug": "2025/2025-03-zhuti-dangri-test"}],
                           assets=[_asset("cover.png"), _asset("body.png")], options={"commitMessage": "新建"})
    assert status == 200, answer
    assert (project.root / STORY_PATH).read_text(encoding="utf-8") == STORY
    status, media = _call(desk, "persistMedia", branch="main", asset=_asset("02.png"), options={})
    assert status == 200 and media["path"] == f"{FOLDER}/02.png" and media["name"] == "02.png"
    assert sorted(p.name for p in (project.root / FOLDER).iterdir()) == ["02.png", "body.png", "cover.png"]
    assert (project.root / FOLDER / "02.png").read_bytes() == PNG

    _, listed = _call(desk, "entriesByFolder", branch="main", folder="content/stories", extension="md", depth=2)
    assert [e["file"]["path"] for e in listed] == [STORY_PATH]
    _, entry = _call(desk, "getEntry", branch="main", path=STORY_PATH)
    assert entry["data"] == STORY and len(entry["file"]["id"]) == 64
    _, media_list = _call(desk, "getMedia", branch="main", mediaFolder=FOLDER)
    assert sorted(m["name"] for m in media_list) == ["02.png", "body.png", "cover.png"]

    updated = STORY.replace("status: 待审", "status: 草稿")
    status, _ = _call(desk, "persistEntry", branch="main", dataFiles=[{"path": STORY_PATH, "raw": updated}],
                      assets=[], options={})
    assert status == 200
    assert "status: 草稿" in (project.root / STORY_PATH).read_text(encoding="utf-8")
    assert main(["--root", str(project.root), "check", "--strict"]) == 0  # what the desk wrote is a clean story


def test_deleting_a_photo_through_the_desk_removes_only_that_file(project: SiteProject, desk):
    _call(desk, "persistMedia", branch="main", asset=_asset("02.png"), options={})
    _call(desk, "persistMedia", branch="main", asset=_asset("03.png"), options={})
    status, _ = _call(desk, "deleteFile", branch="main", path=f"{FOLDER}/02.png", options={})
    assert status == 200
    assert [p.name for p in (project.root / FOLDER).iterdir()] == ["03.png"]


@pytest.mark.parametrize("path", [
    "mkdocs.yml", "column.yml", "../outside.md", "content/../mkdocs.yml", "content/stories/../../mkdocs.yml",
    "/etc/passwd", "content\\..\\mkdocs.yml", "hooks/column_hooks.py", "C:/Windows/x.md", "",
])
def test_desk_refuses_every_path_outside_content_and_branches(project: SiteProject, desk, path: str):
    before = _snapshot(project.root.parent)
    write = _call(desk, "persistEntry", branch="main", dataFiles=[{"path": path, "raw": "x"}], assets=[], options={})
    media = _call(desk, "persistMedia", branch="main", asset={"path": path, "content": "eA==", "encoding": "base64"},
                  options={})
    read = _call(desk, "getEntry", branch="main", path=path)
    delete = _call(desk, "deleteFile", branch="main", path=path, options={})
    assert [write[0], media[0], read[0], delete[0]] == [403] * 4
    assert "只能读写 content/ 和 branches/" in write[1]["error"]
    assert _snapshot(project.root.parent) == before


def test_an_asset_outside_the_project_refuses_the_whole_save(project: SiteProject, desk):
    status, _ = _call(desk, "persistEntry", branch="main", dataFiles=[{"path": STORY_PATH, "raw": STORY}],
                      assets=[{"path": "../evil.png", "content": "eA==", "encoding": "base64"}], options={})
    assert status == 403
    assert not (project.root / STORY_PATH).exists() and not (project.root.parent / "evil.png").exists()


def test_a_link_out_of_content_is_refused(project: SiteProject, desk, tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project.root / "content" / "link").symlink_to(outside, target_is_directory=True)
    status, _ = _call(desk, "persistMedia", branch="main",
                      asset={"path": "content/link/x.png", "content": "eA==", "encoding": "base64"}, options={})
    assert status == 403 and not any(outside.iterdir())


def test_unknown_actions_and_foreign_origins(desk):
    assert _call(desk, "shell", cmd="ls")[0] == 422
    request = urllib.request.Request(desk.url, data=b'{"action": "info", "params": {}}',
                                     headers={"Origin": "http://evil.example"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.headers.get("Access-Control-Allow-Origin") is None  # a web page elsewhere cannot read it


def test_the_desk_listens_on_loopback_only(project: SiteProject):
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        DeskServer(project.root, dict, host="0.0.0.0")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_tag_hint_offers_the_tags_already_used_most_used_first(project: SiteProject):
    _two_branches(project)
    project.story("2025/2025-03-a.md", title="甲", date="2025-03-01", branch="dizhi-xianfeng", tags=["野外一线", "红色教育"])
    project.story("2025/2025-04-b.md", title="乙", date="2025-04-01", branch="dizhi-xianfeng", tags="红色教育，青年")
    settings = load_settings(project.root, ProblemLog())
    hint = _fields(desk_config(project.root, settings, api_url="http://127.0.0.1:9/api/v1"), "stories")["tags"]["hint"]
    assert hint.endswith("已有标签：红色教育、野外一线、青年")
    project.story("2025/2025-05-c.md", title="丙", date="2025-05-01", branch="dizhi-xianfeng", tags=["青年", "青年党员"])
    hint = _fields(desk_config(project.root, settings, api_url="http://127.0.0.1:9/api/v1"), "stories")["tags"]["hint"]
    assert hint.endswith("已有标签：红色教育、青年、野外一线、青年党员")  # a new story's tags show up at once


def test_no_build_has_the_desk_even_with_the_desk_variable_set(project: SiteProject):
    """Only `dangjian serve`'s preview leads to /admin/; a production build and a preview build never do."""
    _two_branches(project)
    project.story("2025/2025-03-a.md", title="主题党日", date="2025-03-01", branch="dizhi-xianfeng")
    with env_var(DESK_ENV, "http://127.0.0.1:8001/admin/"):
        result = project.build(strict=True)
        assert result.ok, result.messages
        assert main(["--root", str(project.root), "build", "--preview"]) == 0
    for site in (project.root / "site", project.root / "site-preview"):
        assert (site / "index.html").exists()
        assert not (site / "admin").exists()
        leaked = [p for p in site.rglob("*") if "decap" in p.name.lower() or "8001" in _text(p)]
        assert leaked == []


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="ignore") if path.suffix in (".html", ".js", ".json") else ""


def test_bare_photo_names_of_a_new_story_are_anchored_in_its_folder(tmp_path: Path):
    story = tmp_path / "content/stories/2025/2025-03-a.md"
    assets = [story.with_suffix("") / "01.jpg", story.with_suffix("") / "02 现场.jpg", tmp_path / "content/x.jpg"]
    raw = ("---\ntitle: 标题\ncover: 01.jpg\nphotos:\n  - file: 02 现场.jpg\n    caption: 01.jpg\n"
           "  - file: x.jpg\n---\n正文 ![现场](01.jpg) 和 ![](02 现场.jpg \"题注\") 与 01.jpg\n")
    assert anchor_new_story_images(raw, story, assets) == (
        "---\ntitle: 标题\ncover: 2025-03-a/01.jpg\nphotos:\n  - file: 2025-03-a/02 现场.jpg\n    caption: 01.jpg\n"
        "  - file: x.jpg\n---\n正文 ![现场](2025-03-a/01.jpg) 和 ![](2025-03-a/02 现场.jpg \"题注\") 与 01.jpg\n")
