"""A story's ``video:``: a local MP4/WebM shown with ``<video>``, or a link card to a video-channel post.

A remote video is never embedded (no iframe): the official site may not load anything from another
host, so the reader follows a link instead.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
_FIX = ("请写视频文件相对稿件所在文件夹的路径（例如 video: 2025-03-x/activity.mp4），"
        "或 /branches/<支部>/x.mp4，或视频号的 https 链接。")


@dataclass(frozen=True)
class Video:
    kind: Literal["local", "remote"]
    src: str  # site path for local ("stories/2025/x/a.mp4"), the https URL for remote
    title: str


def read_video(raw: object, story_src_uri: str, docs_dir: Path, root: Path,
               title: str = "") -> tuple[Video | None, str | None]:
    """(video, None), (None, None) when the field is absent, or (None, Chinese message naming ``video``)."""
    if raw is None or raw == "":
        return None, None
    if not isinstance(raw, str):
        return None, f"video 应当是一个视频文件路径或 https 链接，现在是 {raw!r}。{_FIX}"
    value = raw.strip()
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.netloc:
        return Video("remote", value, title), None
    if parts.scheme or parts.netloc:
        return None, f"video 的链接 {value} 必须以 https:// 开头（官网不允许加载不安全的链接）。{_FIX}"
    return _local(value, story_src_uri, docs_dir, root, title)


def _local(value: str, story_src_uri: str, docs_dir: Path, root: Path,
           title: str) -> tuple[Video | None, str | None]:
    suffix = posixpath.splitext(value)[1].lower()
    if suffix not in VIDEO_TYPES:
        return None, (f"video 的文件 {value} 不是 MP4 或 WebM 视频（只支持 .mp4、.webm）。"
                      "请用格式工厂等工具转成 MP4（H.264）后再填写。")
    if value.startswith("/"):  # /branches/<slug>/x.mp4 is relative to the project root, like logos
        site_path = posixpath.normpath(value.lstrip("/"))
        file = root / site_path
    else:
        site_path = posixpath.normpath(posixpath.join(posixpath.dirname(story_src_uri), value))
        file = docs_dir / site_path
    if site_path.startswith("..") or not file.is_file():
        return None, f"video 的文件 {value} 找不到（查找位置：{file}）。{_FIX}"
    return Video("local", site_path, title), None


_PLAY_ICON = ('<svg class="dj-video-card__icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">'
              '<circle cx="12" cy="12" r="11" fill="currentColor" opacity=".15"/>'
              '<path d="M9.5 7.5v9l7-4.5z" fill="currentColor"/></svg>')


def video_html(video: Video, poster_url: str | None, url_for: Callable[[str], str]) -> str:
    """``url_for`` turns a site path into the URL the page uses (relative or absolute)."""
    if video.kind == "local":
        poster = f' poster="{escape(poster_url)}"' if poster_url else ""
        mime = VIDEO_TYPES[posixpath.splitext(video.src)[1].lower()]
        label = f' aria-label="{escape(video.title)}"' if video.title else ""
        return (f'<video class="dj-video" controls preload="none" playsinline{poster}{label}>'
                f'<source src="{escape(url_for(video.src))}" type="{mime}">'
                '您的浏览器不能播放这段视频。</video>')
    title = escape(video.title or "活动视频")
    return (f'<a class="dj-video-card" href="{escape(video.src)}" rel="noopener" target="_blank">'
            f'{_PLAY_ICON}<span class="dj-video-card__text">在视频号观看：{title}</span></a>')
