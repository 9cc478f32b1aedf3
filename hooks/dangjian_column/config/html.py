"""The ``html:`` section of column.yml: which hosts an ``<iframe>`` in a story may show (default: none)."""

from __future__ import annotations

from dangjian_column.config.yamlfile import SETTINGS_FILE
from dangjian_column.lint.sanitize import HtmlPolicy
from dangjian_column.problems import ProblemLog


def html_policy_from(section: dict | None, log: ProblemLog) -> HtmlPolicy:
    """``html: {iframe_hosts: [...]}``; a value that is not a list of host names is reported and ignored."""
    section = section or {}
    hosts = section.get("iframe_hosts")
    for key in section:
        if key != "iframe_hosts":
            log.add(SETTINGS_FILE, f"未知配置项 html.{key}，已忽略。可用的只有 iframe_hosts。", level="warning",
                    field=f"html.{key}")
    if hosts is None:
        return HtmlPolicy()
    if isinstance(hosts, str):
        hosts = [hosts]
    if not isinstance(hosts, list):
        log.add(SETTINGS_FILE, "html.iframe_hosts 应是网站域名的列表，例如 [channels.weixin.qq.com]，已忽略。",
                field="html.iframe_hosts")
        return HtmlPolicy()
    return HtmlPolicy(iframe_hosts=frozenset(str(h).strip().lower() for h in hosts if str(h).strip()))
