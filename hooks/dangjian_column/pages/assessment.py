"""Assessment views (考核): the branch × kind matrix, monthly coverage and the stats downloads.

Everything is counted in one pass over the published stories (a joint story counts once for each of
its branches, as it does on the branch pages), so the cost stays linear in the number of stories.

Pages, per year with stories (a year without stories has none and is not listed):

- ``stats/`` — the years, with links to their pages and downloads;
- ``stats/<year>/`` — the branch × kind matrix in branch order, and the monthly coverage heat-map;
- ``stats/<year>/by-total/`` — the same matrix sorted by total (sorting without JavaScript);
- ``stats/<year>/stories/`` — that year's stories grouped by branch then kind; each matrix cell links
  to its group at ``#<branch-slug>--<kind-key>``;
- ``stats/<year>.csv`` (UTF-8 with BOM, for Excel) and ``stats/<year>.json`` — branch × kind × month rows.

Monthly coverage: a month is *complete* when the branch held every ``required_monthly`` kind in it,
*partial* when some, *empty* when none; months after today's month in the current year are *future*.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from dangjian_column.content.catalog import Catalog
from dangjian_column.model import Branch, Story
from dangjian_column.pages.memory import PlanMemory
from dangjian_column.pages.plans import PagePlan, common_context
from dangjian_column.pages.urls import (
    STATS,
    source_uri,
    stats_by_total_url,
    stats_csv_url,
    stats_json_url,
    stats_stories_url,
    stats_year_url,
)
from dangjian_column.pages.views import date_label

MONTHS = tuple(range(1, 13))
CSV_HEADER = ("支部", "活动类型", "月份", "稿件数", "照片数", "双联稿件数")

COMPLETE, PARTIAL, EMPTY, FUTURE = "complete", "partial", "empty", "future"
STATE_LABELS = {COMPLETE: "全部开展", PARTIAL: "部分开展", EMPTY: "未开展", FUTURE: "未到"}

# Heat-map geometry (SVG user units; the SVG scales to the width of the page).
_LABEL_W = 108
_CELL = 22
_GAP = 3
_HEAD = 18
_LABEL_CHARS = 7


# --------------------------------------------------------------------------- counting


@dataclass
class Tally:
    stories: int = 0
    photos: int = 0
    joint: int = 0

    def add(self, story: Story, photos: int) -> None:
        self.stories += 1
        self.photos += photos
        self.joint += story.is_joint


@dataclass
class YearStats:
    year: int
    stories: list[Story] = field(default_factory=list)  # newest first
    cells: dict[tuple[str, str], list[Story]] = field(default_factory=dict)  # (branch, kind) -> stories
    months: dict[tuple[str, str, int], Tally] = field(default_factory=dict)  # (branch, kind, month)
    totals: Tally = field(default_factory=Tally)  # distinct stories
    kind_totals: dict[str, Tally] = field(default_factory=dict)  # distinct stories per kind

    def branch_total(self, slug: str, kinds: list[str]) -> int:
        return sum(len(self.cells.get((slug, key), ())) for key in kinds)


def photo_count(story: Story) -> int:
    """Distinct local images of the story (cover and body), as found by the loader."""
    return len(story.photos)


def year_stats(catalog: Catalog) -> dict[int, YearStats]:
    """Every year with stories, newest first, counted in one pass."""
    return _count_years(catalog)


def _count_years(catalog: Catalog) -> dict[int, YearStats]:
    stats: dict[int, YearStats] = {}
    for year, stories in catalog.by_year.items():
        ys = stats[year] = YearStats(year, stories)
        for story in stories:  # newest first, so every cell's list is too
            photos = photo_count(story)
            ys.totals.add(story, photos)
            ys.kind_totals.setdefault(story.kind.key, Tally()).add(story, photos)
            for slug in story.branches:
                ys.cells.setdefault((slug, story.kind.key), []).append(story)
                ys.months.setdefault((slug, story.kind.key, story.date.month), Tally()).add(story, photos)
    return stats


def month_states(ys: YearStats | None, slug: str, year: int, required: tuple[str, ...],
                 today: dt.date | None) -> list[tuple[str, tuple[str, ...]]]:
    """(state, required kinds held) for each month of ``year`` for one branch."""
    states = []
    for month in MONTHS:
        held = tuple(k for k in required if ys is not None and (slug, k, month) in ys.months)
        if today is not None and (year, month) > (today.year, today.month):
            state = FUTURE
        elif len(held) == len(required):
            state = COMPLETE
        elif held:
            state = PARTIAL
        else:
            state = EMPTY
        states.append((state, held))
    return states


def anchor(slug: str, kind: str) -> str:
    return f"{slug}--{kind}"


# --------------------------------------------------------------------------- heat-map


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


def _cell_title(branch: Branch, year: int, month: int, state: str, held: tuple[str, ...],
                required: tuple[str, ...], labels: dict[str, str]) -> str:
    text = f"{branch.short_name} {year}年{month}月：{STATE_LABELS[state]}"
    if state in (PARTIAL, COMPLETE, EMPTY) and required:
        missing = [labels[k] for k in required if k not in held]
        parts = []
        if held and state == PARTIAL:
            parts.append("已开展 " + "、".join(labels[k] for k in held))
        if missing and state != EMPTY:
            parts.append("未开展 " + "、".join(missing))
        if parts:
            text += "（" + "；".join(parts) + "）"
    return text


def coverage(catalog: Catalog, ys: YearStats | None, year: int, branches: list[Branch],
             labels: bool = True) -> dict | None:
    """The heat-map of ``branches`` for ``year``: SVG geometry plus the same data as table rows.

    None when ``column.yml`` names no required monthly kinds (nothing to measure).
    """
    required = catalog.settings.required_monthly
    if not required:
        return None
    kind_labels = {k.key: k.label for k in catalog.settings.kinds}
    left = _LABEL_W if labels else 0
    rows = []
    counts = dict.fromkeys((COMPLETE, PARTIAL, EMPTY, FUTURE), 0)
    for i, branch in enumerate(branches):
        y = _HEAD + i * (_CELL + _GAP)
        cells = []
        for month, (state, held) in zip(MONTHS, month_states(ys, branch.slug, year, required, catalog.today),
                                        strict=True):
            counts[state] += 1
            cells.append({
                "month": month, "state": state, "label": STATE_LABELS[state],
                "held": [kind_labels[k] for k in held],
                "title": _cell_title(branch, year, month, state, held, required, kind_labels),
                "x": left + (month - 1) * (_CELL + _GAP), "y": y,
            })
        rows.append({"slug": branch.slug, "name": branch.short_name, "full_name": branch.name,
                     "label": _short(branch.short_name), "url": branch.url, "y": y, "cells": cells,
                     "complete": sum(c["state"] == COMPLETE for c in cells)})
    width = left + 12 * (_CELL + _GAP) - _GAP
    return {
        "year": year, "rows": rows, "labels": labels, "cell": _CELL,
        "width": width, "height": _HEAD + max(len(rows), 1) * (_CELL + _GAP) - _GAP,
        "months": [{"month": m, "x": left + (m - 1) * (_CELL + _GAP) + _CELL / 2} for m in MONTHS],
        "label_x": left - 6,
        "required": [kind_labels[k] for k in required], "counts": counts,
        "states": [{"state": s, "label": STATE_LABELS[s]} for s in (COMPLETE, PARTIAL, EMPTY, FUTURE)],
    }


def branch_coverage(catalog: Catalog) -> dict[str, dict]:
    """Each branch's own heat-map row for the latest year with stories (shown on its branch page)."""
    if not catalog.by_year:
        return {}
    year = max(catalog.by_year)
    stories = catalog.by_year[year]
    ys = YearStats(year, stories)
    required = set(catalog.settings.required_monthly)
    for story in stories:  # only what the coverage needs: which required kinds each month had
        if story.kind.key in required:
            for slug in story.branches:
                ys.months.setdefault((slug, story.kind.key, story.date.month), Tally())
    result = {}
    for slug, branch in catalog.branches.items():
        heat = coverage(catalog, ys, year, [branch], labels=False)
        if heat is not None:
            result[slug] = {**heat, "stats_url": stats_year_url(year)}
    return result


# --------------------------------------------------------------------------- pages


def _matrix(catalog: Catalog, ys: YearStats, by_total: bool) -> dict:
    kinds = [k.key for k in catalog.settings.kinds]
    rows = []
    for order, (slug, branch) in enumerate(catalog.branches.items()):
        cells = []
        for key in kinds:
            count = len(ys.cells.get((slug, key), ()))
            cells.append({"count": count, "anchor": anchor(slug, key) if count else ""})
        rows.append({"slug": slug, "name": branch.short_name, "full_name": branch.name, "url": branch.url,
                     "cells": cells, "total": sum(c["count"] for c in cells), "order": order})
    if by_total:
        rows.sort(key=lambda r: (-r["total"], r["order"]))
    return {
        "kinds": [{"key": k.key, "label": k.label} for k in catalog.settings.kinds],
        "rows": rows,
        "kind_totals": [ys.kind_totals[k].stories if k in ys.kind_totals else 0 for k in kinds],
        "total": ys.totals.stories,
    }


def _year_context(catalog: Catalog, ys: YearStats, by_total: bool) -> dict:
    year = ys.year
    return {
        **common_context(catalog, "stats-year"),
        "year": year, "by_total": by_total,
        "heading": f"{year}年考核统计",
        "up": {"label": "考核统计", "url": STATS},
        "sort_links": [
            {"label": "按支部排序", "url": stats_year_url(year), "current": not by_total},
            {"label": "按合计排序", "url": stats_by_total_url(year), "current": by_total},
        ],
        "stories_url": stats_stories_url(year), "csv_url": stats_csv_url(year), "json_url": stats_json_url(year),
        "matrix": _matrix(catalog, ys, by_total),
        "totals": ys.totals, "branch_count": len(catalog.branches),
        "heatmap": None if by_total else coverage(catalog, ys, year, list(catalog.branches.values())),
    }


def _stories_context(catalog: Catalog, ys: YearStats) -> dict:
    groups = []
    for slug, branch in catalog.branches.items():
        kinds = []
        for kind in catalog.settings.kinds:
            stories = ys.cells.get((slug, kind.key))
            if stories:
                kinds.append({"anchor": anchor(slug, kind.key), "label": kind.label, "stories": [
                    {"title": s.title, "url": s.url, "date": s.date.isoformat(), "date_label": date_label(s),
                     "joint": s.is_joint} for s in stories]})
        if kinds:
            groups.append({"slug": slug, "name": branch.short_name, "brand": branch.brand, "url": branch.url,
                           "total": sum(len(k["stories"]) for k in kinds), "kinds": kinds})
    return {
        **common_context(catalog, "stats-stories"),
        "year": ys.year, "heading": f"{ys.year}年稿件清单（按支部、活动类型）",
        "up": {"label": f"{ys.year}年考核统计", "url": stats_year_url(ys.year)},
        "groups": groups, "total": ys.totals.stories,
    }


@dataclass(frozen=True)
class Assessment:
    """What the assessment views give the plan: their pages, the downloads and each branch's heat-map row."""

    pages: list[PagePlan] = field(default_factory=list)
    downloads: dict[str, str | bytes] = field(default_factory=dict)
    branch_rows: dict[str, dict] = field(default_factory=dict)


def plan_assessment(catalog: Catalog, memory: PlanMemory | None = None) -> Assessment:
    """The assessment views, counted once. ``memory`` (the preview's) hands back the last plan's while
    what they read is equal (``facts``): a save that changes no title, date, branch, kind or photo count
    leaves them as they were (they cost ~0.3 s a save at 9,000 stories)."""
    if memory is None:
        return _assessment(catalog)
    return memory.reuse("assessment", None, (facts(catalog),), lambda: _assessment(catalog))


def facts(catalog: Catalog) -> tuple:
    """Everything the assessment views read, as one comparable value."""
    settings = catalog.settings
    return (catalog.today, settings.title, settings.organisation, settings.required_monthly,
            tuple((k.key, k.label, k.order) for k in settings.kinds),
            tuple((slug, b.name, b.short_name, b.brand, b.url) for slug, b in catalog.branches.items()),
            tuple((year, tuple((s.title, s.slug, s.date, s.branches, s.kind.key, len(s.photos)) for s in stories))
                  for year, stories in catalog.by_year.items()))


def _assessment(catalog: Catalog) -> Assessment:
    stats = year_stats(catalog)
    return Assessment(assessment_pages(catalog, stats), stats_downloads(catalog, stats), branch_coverage(catalog))


def assessment_pages(catalog: Catalog, stats: dict[int, YearStats]) -> list[PagePlan]:
    years = [{"year": year, "url": stats_year_url(year), "by_total_url": stats_by_total_url(year),
              "stories_url": stats_stories_url(year), "csv_url": stats_csv_url(year), "json_url": stats_json_url(year),
              "stories": ys.totals.stories, "photos": ys.totals.photos, "joint": ys.totals.joint}
             for year, ys in stats.items()]
    plans = [PagePlan(source_uri(STATS), "考核统计", "column/stats.html", {
        **common_context(catalog, "stats"), "heading": "考核统计", "years": years,
        "required": [k.label for k in catalog.settings.kinds if k.key in catalog.settings.required_monthly],
        "branch_count": len(catalog.branches),
    })]
    for year, ys in stats.items():
        plans.append(PagePlan(source_uri(stats_year_url(year)), f"{year}年考核统计", "column/stats_year.html",
                              _year_context(catalog, ys, by_total=False)))
        plans.append(PagePlan(source_uri(stats_by_total_url(year)), f"{year}年考核统计（按合计排序）",
                              "column/stats_year.html", _year_context(catalog, ys, by_total=True)))
        plans.append(PagePlan(source_uri(stats_stories_url(year)), f"{year}年稿件清单", "column/stats_stories.html",
                              _stories_context(catalog, ys)))
    return plans


# --------------------------------------------------------------------------- downloads


def _rows(catalog: Catalog, ys: YearStats) -> list[dict]:
    kind_order = {k.key: k.order for k in catalog.settings.kinds}
    branch_order = {slug: i for i, slug in enumerate(catalog.branches)}
    keys = sorted(ys.months, key=lambda k: (branch_order.get(k[0], len(branch_order)), k[0],
                                            kind_order.get(k[1], 0), k[2]))
    labels = {k.key: k.label for k in catalog.settings.kinds}
    rows = []
    for slug, kind, month in keys:
        tally = ys.months[(slug, kind, month)]
        branch = catalog.branches.get(slug)
        rows.append({"branch": slug, "branch_name": branch.name if branch else slug, "kind": kind,
                     "kind_label": labels.get(kind, kind), "month": f"{ys.year}-{month:02d}",
                     "stories": tally.stories, "photos": tally.photos, "joint": tally.joint})
    return rows


def _csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow((r["branch_name"], r["kind_label"], r["month"], r["stories"], r["photos"], r["joint"]))
    return buf.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8 Chinese correctly


def _json_data(catalog: Catalog, ys: YearStats, rows: list[dict]) -> dict:
    kinds = [k.key for k in catalog.settings.kinds]
    required = catalog.settings.required_monthly
    data = {
        "year": ys.year,
        "notes": "每行是一个支部、一种活动类型、一个月的稿件数；联合开展的稿件在每个参与支部各计一次，"
                 "totals 里的全站数字每篇只计一次。joint 指由两个及以上支部联合开展的稿件。",
        "kinds": [{"key": k.key, "label": k.label} for k in catalog.settings.kinds],
        "required_monthly": list(required),
        "branches": [{"slug": slug, "name": b.name, "short_name": b.short_name, "brand": b.brand,
                      "stories": ys.branch_total(slug, kinds),
                      "by_kind": {k: len(ys.cells.get((slug, k), ())) for k in kinds},
                      "coverage": [state for state, _ in month_states(ys, slug, ys.year, required, catalog.today)]
                      if required else []}
                     for slug, b in catalog.branches.items()],
        "rows": rows,
        "totals": {
            "stories": ys.totals.stories, "photos": ys.totals.photos, "joint": ys.totals.joint,
            "by_kind": {k: ys.kind_totals[k].stories if k in ys.kind_totals else 0 for k in kinds},
            "by_month": {f"{ys.year}-{m:02d}": 0 for m in MONTHS},
        },
    }
    for story in ys.stories:
        data["totals"]["by_month"][f"{ys.year}-{story.date.month:02d}"] += 1
    return data


def stats_downloads(catalog: Catalog, stats: dict[int, YearStats]) -> dict[str, str | bytes]:
    """Each year's CSV and JSON."""
    downloads: dict[str, str | bytes] = {}
    for year, ys in stats.items():
        rows = _rows(catalog, ys)
        downloads[stats_csv_url(year)] = _csv(rows)
        downloads[stats_json_url(year)] = json.dumps(_json_data(catalog, ys, rows), ensure_ascii=False, indent=1) + "\n"
    return downloads
