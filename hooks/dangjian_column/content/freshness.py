"""Freshness (更新情况): what an inspection of the column would find, measured on the published catalog.

国办秘函〔2019〕19号 fails a site whose home page has had no new item for 2 weeks, or that has 5 or
more blank columns (a listing page with nothing in it). The figures here are the same the site shows:
a story's ``date`` (its visible publish date) and the pages the build makes. Thresholds come from
``column.yml``'s ``freshness:`` section; the defaults warn at 10 days so there is time to act.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dangjian_column.config.freshness import FreshnessSettings
from dangjian_column.content.catalog import Catalog
from dangjian_column.content.pinning import pinned_count
from dangjian_column.problems import Level


@dataclass(frozen=True)
class Finding:
    level: Level | str  # "error", "warning", "info" or "ok"
    category: str  # 首页更新 | 支部更新 | 空白栏目 | 本月规定动作
    subject: str  # what it is about: 专栏, a branch, a kind, a topic
    value: str  # the figure: days, a date, a count, missing kinds
    message: str


@dataclass
class FreshnessReport:
    today: dt.date
    timezone: str
    findings: list[Finding] = field(default_factory=list)

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)


def freshness_report(catalog: Catalog, settings: FreshnessSettings) -> FreshnessReport:
    report = FreshnessReport(today=catalog.today, timezone=catalog.settings.timezone)
    report.findings += _column_age(catalog, settings)
    report.findings += _silent_branches(catalog, settings)
    report.findings += _blank_columns(catalog, settings)
    report.findings += _monthly_required(catalog)
    return report


def _column_age(catalog: Catalog, settings: FreshnessSettings) -> list[Finding]:
    if not catalog.stories:
        return [Finding("error", "首页更新", "专栏", "无", "专栏还没有任何已发布的稿件。")]
    newest = catalog.stories[0]
    days = (catalog.today - newest.date).days
    if days >= settings.error_days:
        level, note = "error", f"已达到 {settings.error_days} 天：国办秘函〔2019〕19号规定首页 2 周无更新即单项否决，请尽快发布新稿件。"
    elif days >= settings.warn_days:
        level, note = "warning", f"{settings.error_days} 天无更新即不合格，还剩 {settings.error_days - days} 天，请安排发稿。"
    else:
        level, note = "ok", "正常。"
    findings = [Finding(level, "首页更新", "专栏", f"{days} 天",
                        f"距最近一篇新稿件 {days} 天（{newest.date}，{newest.source_path}）。{note}")]
    pinned = pinned_count(catalog.stories, catalog.today)
    if pinned >= catalog.settings.latest_count:  # the home page's 最新动态 would show nothing new at all
        findings.append(Finding("warning", "首页更新", "首页最新动态", f"{pinned} 篇置顶",
                                f"{pinned} 篇置顶稿件占满了首页“最新动态”的 {catalog.settings.latest_count} 个位置，"
                                "新稿件在首页看不到，检查时会算作首页不更新。请取消部分置顶（删掉 pin）。"))
    return findings


def _silent_branches(catalog: Catalog, settings: FreshnessSettings) -> list[Finding]:
    findings = []
    for slug, branch in catalog.branches.items():
        stories = catalog.by_branch.get(slug, [])
        name = f"{branch.short_name}（{slug}）"
        if not stories:
            findings.append(Finding("warning", "支部更新", name, "无稿件", f"{name}还没有任何已发布的稿件。"))
            continue
        days = (catalog.today - stories[0].date).days
        if days >= settings.branch_days:
            findings.append(Finding("warning", "支部更新", name, f"{days} 天",
                                    f"{name}已 {days} 天没有新稿件（最近一篇 {stories[0].date}），超过 {settings.branch_days} 天。"))
    return findings


def _blank_columns(catalog: Catalog, settings: FreshnessSettings) -> list[Finding]:
    """Listing pages the build makes that would show nothing: kinds, branches, topics."""
    blank = [(f"活动类型：{kind.label}", f"kinds/{kind.key}/") for kind in catalog.settings.kinds
             if not catalog.by_kind.get(kind.key)]
    blank += [(f"支部：{b.short_name}", b.url) for slug, b in catalog.branches.items() if not catalog.by_branch.get(slug)]
    blank += [(f"专题：{t.title}", t.url) for slug, t in catalog.topics.items() if not catalog.by_topic.get(slug)]
    findings = [Finding("warning", "空白栏目", subject, url, f"{subject}（{url}）没有已发布的稿件，是空白栏目。")
                for subject, url in blank]
    if len(blank) >= settings.blank_limit:
        findings.append(Finding("error", "空白栏目", "专栏", f"{len(blank)} 个",
                                f"空白栏目共 {len(blank)} 个，达到 {settings.blank_limit} 个即检查不合格（国办秘函〔2019〕19号）："
                                "请补发稿件，或在 column.yml 里删去不用的活动类型。"))
    return findings


def _monthly_required(catalog: Catalog) -> list[Finding]:
    """This month's required activities (column.yml ``required_monthly``) each branch has not published yet."""
    required = catalog.settings.required_monthly
    if not required:
        return []
    labels = {k.key: k.label for k in catalog.settings.kinds}
    month = (catalog.today.year, catalog.today.month)
    findings = []
    for slug, branch in catalog.branches.items():
        held = {s.kind.key for s in catalog.by_branch.get(slug, []) if (s.date.year, s.date.month) == month}
        missing = [labels[key] for key in required if key not in held]
        if missing:
            name = f"{branch.short_name}（{slug}）"
            findings.append(Finding("info", "本月规定动作", name, "、".join(missing),
                                    f"{name}本月（{month[0]}年{month[1]}月）还没有发布：{'、'.join(missing)}。"))
    return findings
