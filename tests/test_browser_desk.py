"""写稿台 end to end: `dangjian serve` on a temporary project, Decap CMS in Debian's Chromium.

The test takes the staff's path: the preview's /admin/ (which leads to the desk), 登录, a new story with a
joint branch pair, a kind from the select and two photos with captions, 发布; then the file and the photo
folder on disk, `dangjian check`, and the rebuilt preview page with both photos. Then a sample story is
opened, one field changed and saved, and everything else must read back the same.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import frontmatter
import pytest
from browser_support import free_port, jpeg_bytes
from conftest import PROJECT, SiteProject
from dangjian_column.commands.cli import main
from dangjian_column.content.slugs import slugify
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SAMPLE = "content/stories/2025/2025-06-shuanglian-qiyi-shangxia"
NEW_STEM = "2025-03-ceshi-zhuti-dangri"


@pytest.fixture
def desk_project(project: SiteProject) -> SiteProject:
    shutil.rmtree(project.root / "branches")
    shutil.copytree(PROJECT / "branches", project.root / "branches")
    shutil.copy(PROJECT / "terminology.yml", project.root / "terminology.yml")  # the wording list check applies
    (project.root / SAMPLE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / f"{SAMPLE}.md", project.root / f"{SAMPLE}.md")
    shutil.copytree(PROJECT / SAMPLE, project.root / SAMPLE)
    return project


@pytest.fixture
def served(desk_project: SiteProject):
    """`dangjian serve` as staff start it; stopped with SIGTERM like a closed window."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "dangjian_column", "--root", str(desk_project.root), "serve",
                                "--addr", f"127.0.0.1:{port}"], stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        desk_url = re.search(r"写稿台：(\S+?)（", line).group(1)
        preview = f"http://127.0.0.1:{port}/dangjian/"
        _wait_for(preview + "admin/", timeout=180)
        yield preview, desk_url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _wait_for(url: str, *, timeout: float, contains: str = "") -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                text = answer.read().decode("utf-8")
                if contains in text:
                    return text
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer{' with ' + contains if contains else ''} in {timeout} s")
        time.sleep(0.5)


def _select(page, label: str, *choices: str) -> None:
    for choice in choices:
        page.get_by_label(label).click()
        page.keyboard.type(choice)
        page.keyboard.press("Enter")


def _upload_photo(page, index: int, photo: Path, caption: str) -> None:
    page.get_by_role("button", name="新增活动照片的说明和顺序").click()
    item = page.locator("[class*='ListItem']").filter(has=page.get_by_role("button", name="选择图片")).last
    item.get_by_role("button", name="选择图片").click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_label("说明").nth(index).fill(caption)


def _publish(page) -> None:
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()


def _wait_file(path: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} was not written"
        time.sleep(0.2)


def test_a_story_written_at_the_desk_is_a_clean_story_file_with_its_photos(browser, served, desk_project, tmp_path):
    preview, desk_url = served
    with urllib.request.urlopen(desk_url + "config.json", timeout=10) as answer:
        assert json.load(answer)["site_url"] == preview  # the desk's 查看网站 link is the preview, sub-path included
    photos = []
    for n, color in ((0, (30, 150, 60)), (1, (190, 30, 45)), (2, (30, 90, 190))):
        photos.append(tmp_path / f"huodong-{n}.jpg")
        photos[-1].write_bytes(jpeg_bytes(640, 480, color))
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(preview + "admin/")
        page.wait_for_url(desk_url + "**")
        page.get_by_role("button", name="登录").click()  # the proxy backend: no account, no password
        page.locator("a[href$='/collections/stories/new']").first.click()  # the collection's “+ 稿件” button
        page.get_by_label("标题").fill("测试支部开展主题党日活动")
        page.get_by_label("活动日期").fill("2025-03-20")
        _select(page, "所属支部", "区域地质调查所第一党支部", "第三地质大队野外分队党支部")
        _select(page, "活动类型", "主题党日")
        slug = page.get_by_label("网址名")
        slug.click()  # reaching the field offers the title's pinyin, by the rule `dangjian new story` uses
        expect(slug).to_have_value(slugify("测试支部开展主题党日活动"), timeout=10_000)
        slug.fill("ceshi-zhuti-dangri")  # and the writer may shorten it
        page.get_by_role("button", name="选择图片").first.click()  # the cover
        page.locator("input[type=file]").set_input_files(str(photos[0]))
        page.get_by_role("button", name="选用已选中项目").click()
        _upload_photo(page, 0, photos[1], "党员重温入党誓词")
        _upload_photo(page, 1, photos[2], "支部书记讲党课")
        page.locator("[data-slate-editor]").click()
        page.keyboard.type("3月20日，测试支部开展主题党日活动，全体党员参加。")
        _publish(page)
        story = desk_project.root / f"content/stories/2025/{NEW_STEM}.md"
        _wait_file(story)
        page.get_by_text("已发布", exact=False).or_(page.get_by_text("修改已保存")).first.wait_for()
    except Exception:
        page.screenshot(path=str(tmp_path / "desk-failure.png"), full_page=True)
        raise
    finally:
        page.close()

    post = frontmatter.loads(story.read_text(encoding="utf-8"))
    assert post["title"] == "测试支部开展主题党日活动"
    assert str(post["date"]) == "2025-03-20"
    assert post["branch"] == ["dizhi-xianfeng", "shanye-hongqi"]
    assert (post["kind"], post["status"], post["slug"]) == ("主题党日", "待审", "ceshi-zhuti-dangri")
    assert post["cover"] == f"{NEW_STEM}/huodong-0.jpg"  # relative to the story file, as the content model reads it
    assert post["photos"] == [{"file": f"{NEW_STEM}/huodong-1.jpg", "caption": "党员重温入党誓词"},
                              {"file": f"{NEW_STEM}/huodong-2.jpg", "caption": "支部书记讲党课"}]
    assert "全体党员参加" in post.content
    folder = desk_project.root / f"content/stories/2025/{NEW_STEM}"
    assert sorted(p.name for p in folder.iterdir()) == ["huodong-0.jpg", "huodong-1.jpg", "huodong-2.jpg"]
    assert (folder / "huodong-1.jpg").read_bytes() == photos[1].read_bytes()
    assert main(["--root", str(desk_project.root), "check", "--strict"]) == 0
    # no CDN, no internet (blob: and data: are the photos being uploaded, in the page itself)
    assert [u for u in requests if not u.startswith(("http://127.0.0.1:", "blob:http://127.0.0.1:", "data:"))] == []

    html = _wait_for(preview + "stories/2025/ceshi-zhuti-dangri/", timeout=120, contains="支部书记讲党课")
    assert "党员重温入党誓词" in html and html.count("dj-gallery__item") == 2
    assert "dj-story__cover" in html
    assert _panel_lines(html) == _check_lines(desk_project.root, f"content/stories/2025/{NEW_STEM}.md")


def _check_lines(root: Path, rel: str) -> list[str]:
    """What `dangjian check` says about one file, as staff see it in the terminal."""
    out = subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(root), "check"],
                         capture_output=True, text=True, check=False)
    return [line for line in (out.stdout + out.stderr).splitlines() if line.startswith(rel + ":")]


def _panel_lines(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    panel = BeautifulSoup(html, "lxml").select_one(".dj-desk-panel")
    assert panel is not None, "no 写稿台 panel on the preview page"
    return [li.get_text() for li in panel.select("li")]


def test_a_sample_story_opened_and_saved_at_the_desk_keeps_its_content(browser, served, desk_project, tmp_path):
    preview, desk_url = served
    story = desk_project.root / f"{SAMPLE}.md"
    before = frontmatter.loads(story.read_text(encoding="utf-8"))
    photos_before = sorted(p.name for p in (desk_project.root / SAMPLE).iterdir())
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        page.goto(preview + "admin/")
        page.wait_for_url(desk_url + "**")
        page.get_by_role("button", name="登录").click()
        page.get_by_text(before["title"]).click()
        # the desk's 查看发布 link is the story's address in the preview
        expect(page.get_by_role("link", name="查看发布")).to_have_attribute(
            "href", preview + "stories/2025/2025-qiyi-shuanglian/")
        page.get_by_label("责任编辑").fill("赵六")
        page.get_by_label("摘要").fill("两个支部联合开展双联主题党日，深入学习科学发展观思想。")  # a wording warning
        _publish(page)
        deadline = time.monotonic() + 20
        while "赵六" not in story.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the desk did not save the story"
            time.sleep(0.2)
    except Exception:
        page.screenshot(path=str(tmp_path / "desk-failure.png"), full_page=True)
        raise
    finally:
        page.close()
    after = frontmatter.loads(story.read_text(encoding="utf-8"))
    assert after.metadata == {**before.metadata, "editor": "赵六",
                              "description": "两个支部联合开展双联主题党日，深入学习科学发展观思想。"}
    assert after.content == before.content
    assert sorted(p.name for p in (desk_project.root / SAMPLE).iterdir()) == photos_before

    # the preview rebuilds; the story page shows this file's problems worded as `dangjian check` words them
    checked = _check_lines(desk_project.root, f"{SAMPLE}.md")
    assert any("科学发展观" in line for line in checked)
    html = _wait_for(preview + "stories/2025/2025-qiyi-shuanglian/", timeout=120, contains="赵六")
    assert _panel_lines(html) == checked
    page = browser.new_page()
    try:  # the panel's link leads back to this story in the desk
        page.goto(preview + "stories/2025/2025-qiyi-shuanglian/")
        page.get_by_role("link", name="回到写稿台修改这篇稿件").click()
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_label("责任编辑")).to_have_value("赵六")
        # an error keeps the story out of the preview: its address then shows the same lines as check
        page.get_by_label("摘要").fill("活动联系人电话13812345678。")
        _publish(page)
        deadline = time.monotonic() + 20
        while "13812345678" not in story.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the desk did not save the story"
            time.sleep(0.2)
    finally:
        page.close()
    checked = _check_lines(desk_project.root, f"{SAMPLE}.md")
    assert any("错误" in line and "手机号码" in line for line in checked)
    html = _wait_for(preview + "stories/2025/2025-qiyi-shuanglian/", timeout=120, contains="手机号码")
    assert _panel_lines(html) == checked
    assert "回到写稿台修改这篇稿件" in html
