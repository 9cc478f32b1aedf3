"""The ``publishing:`` section of column.yml (feeds, home-page widget, WeChat export) and the base URL check."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from dangjian_column.config.yamlfile import SETTINGS_FILE
from dangjian_column.problems import ProblemLog


@dataclass(frozen=True)
class PublishingSettings:
    feed_count: int = 20  # stories in each RSS / JSON feed
    widget_count: int = 6  # stories in the official home page's box
    wechat_width: int = 677  # px, the body width of WeChat's editor


def publishing_settings_from(section: dict | None, log: ProblemLog) -> PublishingSettings:
    """Read ``publishing:``; a bad value is reported and its default kept, so the build goes on."""
    defaults = PublishingSettings()
    if section is None:
        return defaults
    if not isinstance(section, dict):
        log.add(SETTINGS_FILE, "publishing 应当是一组设置（feed_count、widget_count、wechat_width），"
                "请按 column.yml 末尾注释的格式填写。本次使用默认值。", field="publishing")
        return defaults
    values = {name: _positive_int(section, name, getattr(defaults, name), log)
              for name in ("feed_count", "widget_count", "wechat_width")}
    return PublishingSettings(**values)


def _positive_int(section: dict, name: str, default: int, log: ProblemLog) -> int:
    if name not in section or section[name] is None:
        return default
    value = section[name]
    # YAML reads `true` as a bool, which Python counts as an int; a count of "true" is a mistake.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        log.add(SETTINGS_FILE, f"publishing.{name} 应当是正整数，现在是 {value!r}。"
                f"请在 column.yml 里改成例如 {name}: {default}；本次按 {default} 处理。",
                field=f"publishing.{name}")
        return default
    return value


def check_base_url(url: str) -> str | None:
    """``None`` when ``url`` can serve as the public base URL; otherwise a message for the website team."""
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    return (f"网站地址 {url!r} 不是以 http:// 或 https:// 开头的完整网址。请在 mkdocs.yml 的 site_url "
            "或环境变量 SITE_URL 里写专栏在官网上的完整地址，例如 "
            "SITE_URL=https://www.example.gov.cn/dangjian/ dangjian build --strict。")


def absolute_base(url: str) -> str:
    """The base URL with exactly one trailing slash, so ``base + 'stories/…'`` is always right."""
    return url.rstrip("/") + "/"


def absolute_url(base_url: str, path_or_url: str) -> str:
    """A site path ("stories/2025/x/") under the base URL; an absolute http(s) URL is kept as it is."""
    if ":" in path_or_url and urlsplit(path_or_url).scheme in ("http", "https"):  # a site path has no scheme
        return path_or_url
    return absolute_base(base_url) + path_or_url.lstrip("/")
