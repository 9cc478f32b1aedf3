"""A story's video: a local MP4/WebM or a link card to a video-channel post; never an embed."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from dangjian_column.content.video import Video, read_video, video_html

STORY = "stories/2025/2025-03-x.md"
CHANNEL = "https://channels.weixin.qq.com/web/pages/feed?eid=abc"


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "project"
    docs = root / "content"
    (docs / "stories/2025/2025-03-x").mkdir(parents=True)
    (docs / "stories/2025/2025-03-x/activity.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    (docs / "stories/2025/2025-03-x/clip.webm").write_bytes(b"\x1aE\xdf\xa3")
    (docs / "stories/2025/2025-03-x/clip.mov").write_bytes(b"mov")
    (root / "branches/dizhi").mkdir(parents=True)
    (root / "branches/dizhi/intro.mp4").write_bytes(b"mp4")
    return docs, root


def _read(raw, project):
    docs, root = project
    return read_video(raw, STORY, docs, root, title="重走长征路")


def test_local_file_next_to_the_story(project):
    assert _read("2025-03-x/activity.mp4", project) == (
        Video("local", "stories/2025/2025-03-x/activity.mp4", "重走长征路"), None)
    assert _read("2025-03-x/clip.webm", project)[0].src == "stories/2025/2025-03-x/clip.webm"


def test_local_file_in_a_branch_folder(project):
    assert _read("/branches/dizhi/intro.mp4", project) == (Video("local", "branches/dizhi/intro.mp4", "重走长征路"), None)


def test_https_link_is_a_remote_video(project):
    assert _read(CHANNEL, project) == (Video("remote", CHANNEL, "重走长征路"), None)


def test_absent_field_is_no_video_and_no_problem(project):
    assert _read(None, project) == (None, None)
    assert _read("", project) == (None, None)


@pytest.mark.parametrize(("raw", "words"), [
    ("2025-03-x/missing.mp4", ["找不到", "2025-03-x/missing.mp4"]),
    ("2025-03-x/clip.mov", ["MP4", "WebM", ".mp4"]),
    ("http://example.com/v.mp4", ["https://"]),
    (["a.mp4"], ["路径或 https 链接"]),
    (42, ["路径或 https 链接"]),
    ("../../../../etc/passwd.mp4", ["找不到"]),
])
def test_bad_values_are_reported_in_chinese_naming_the_field(project, raw, words):
    video, message = _read(raw, project)
    assert video is None and message.startswith("video")
    for word in words:
        assert word in message


def _url_for(site_path: str) -> str:
    return "../../../" + site_path


def test_local_video_html():
    html = video_html(Video("local", "stories/2025/x/a.mp4", "标题"), "../cover.jpg", _url_for)
    video = BeautifulSoup(html, "lxml").video
    assert video.has_attr("controls") and video.has_attr("playsinline") and video["preload"] == "none"
    assert video["poster"] == "../cover.jpg"
    assert video.source["src"] == "../../../stories/2025/x/a.mp4" and video.source["type"] == "video/mp4"
    webm = BeautifulSoup(video_html(Video("local", "x/a.webm", ""), None, _url_for), "lxml").video
    assert webm.source["type"] == "video/webm" and not webm.has_attr("poster")


def test_remote_video_is_a_link_card_with_no_embed():
    html = video_html(Video("remote", CHANNEL + "&x=<1>", "党课<b>进</b>一线"), None, _url_for)
    soup = BeautifulSoup(html, "lxml")
    card = soup.find("a", class_="dj-video-card")
    assert card["href"] == CHANNEL + "&x=<1>" and card["rel"] == ["noopener"] and card["target"] == "_blank"
    assert card.svg is not None
    assert card.get_text(strip=True) == "在视频号观看：党课<b>进</b>一线" and soup.find("b") is None
    assert not soup.find_all(["iframe", "video", "img", "script"])
