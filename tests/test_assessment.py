"""考核统计: the branch × kind matrix, monthly coverage heat-map and the CSV/JSON downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import posixpath
import urllib.parse

import pytest
from browser_support import jpeg_bytes
from conftest import SiteProject
from dangjian_column.pages.assessment import CSV_HEADER, month_states, year_stats
from dangjian_column.site import load_column, today_in

ZHUTI, YIKE, ZHUANJIA, SANHUI = "zhuti-dangri", "yike-yipian-yishijian", "zhuanjia-dajiangtang", "sanhui-yike"
KINDS = ["zhuti-dangri", "yike-yipian-yishijian", "zhuanjia-dajiangtang", "dangke-jin-yixian", "shuanglian",
         "lianhe-gongjian", "dangjian-jia", "sanhui-yike", "dangji-xuexi"]
# Display order (the `order` field): 青山 (no stories at all), 绿水, 红岩.
BRANCHES = [("qingshan", "青山党支部", 1), ("lvshui", "绿水党支部", 2), ("hongyan", "红岩党支部", 3)]
STORIES_2024 = [
    # (file, date, branch, kind)
    ("2024/a-jan-zhuti.md", "2024-01-05", "hongyan", "主题党日"),
    ("2024/a-jan-yike.md", "2024-01-10", "hongyan", "一月一课一片一实践"),
    ("2024/a-jan-sanhui.md", "2024-01-20", "hongyan", "三会一课"),
    ("2024/a-feb-zhuti.md", "2024-02-03", "hongyan", "主题党日"),  # cover + one more photo
    ("2024/joint-mar.md", "2024-03-08", ["hongyan", "lvshui"], "主题党日"),
    ("2024/a-mar-zhuti.md", "2024-03-20", "hongyan", "主题党日"),
    ("2024/b-mar-zhuanjia.md", "2024-03-15", "lvshui", "专家大讲堂"),
    ("2024/b-may-zhuanjia.md", "2024-05-01", "lvshui", "专家大讲堂"),
]
# Expected 2024 matrix: branch -> {kind: count}; every other cell is 0.
MATRIX_2024 = {
    "qingshan": {},
    "lvshui": {ZHUTI: 1, ZHUANJIA: 2},
    "hongyan": {ZHUTI: 4, YIKE: 1, SANHUI: 1},
}
COVERAGE_2024 = {
    "qingshan": ["empty"] * 12,
    "lvshui": ["empty", "empty", "partial"] + ["empty"] * 9,  # May has only a non-required kind
    "hongyan": ["complete", "partial", "partial"] + ["empty"] * 9,
}
CSV_2024 = [
    list(CSV_HEADER),
    ["绿水党支部", "主题党日", "2024-03", "1", "0", "1"],
    ["绿水党支部", "专家大讲堂", "2024-03", "1", "0", "0"],
    ["绿水党支部", "专家大讲堂", "2024-05", "1", "0", "0"],
    ["红岩党支部", "主题党日", "2024-01", "1", "0", "0"],
    ["红岩党支部", "主题党日", "2024-02", "1", "2", "0"],
    ["红岩党支部", "主题党日", "2024-03", "2", "0", "1"],
    ["红岩党支部", "一月一课一片一实践", "2024-01", "1", "0", "0"],
    ["红岩党支部", "三会一课", "2024-01", "1", "0", "0"],
]


def write_fixture(project: SiteProject, current: dt.date) -> None:
    for slug, name, order in BRANCHES:
        project.branch(slug, name=name, order=order, brand=f"{name[:2]}先锋")
    for rel, date, branch, kind in STORIES_2024:
        fields = {"title": f"稿件{posixpath.basename(rel)[:-3]}", "date": date, "branch": branch, "kind": kind}
        body = "活动正文。"
        if rel == "2024/a-feb-zhuti.md":
            fields["cover"] = "feb/cover.jpg"
            project.write("content/stories/2024/feb/cover.jpg", jpeg_bytes())
            project.write("content/stories/2024/feb/1.jpg", jpeg_bytes(color=(20, 90, 200)))
            body += "\n\n![现场](feb/1.jpg)\n\n![封面](feb/cover.jpg)\n"
        project.story(rel, body=body, **fields)
    project.story("2022/b-sanhui.md", title="二〇二二年的支部大会", date="2022-06-01", branch="lvshui", kind="三会一课")
    # The current year (2023 has no stories): 红岩 holds 主题党日 on the first of this month.
    project.story(f"{current.year}/now.md", title="本月主题党日", date=current.replace(day=1).isoformat(),
                  branch="hongyan", kind="主题党日")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    current = today_in("Asia/Shanghai")
    project = SiteProject.create(tmp_path_factory.mktemp("assessment") / "project")
    write_fixture(project, current)
    result = project.build(strict=True)
    assert result.ok, result.messages
    return result, current


def cell_counts(soup) -> dict[str, list[int]]:
    table = soup.select_one("table.dj-matrix")
    return {tr["data-branch"]: [int(td.get_text(strip=True)) for td in tr.find_all("td")]
            for tr in table.select("tbody tr")}


def expected_row(slug: str) -> list[int]:
    counts = [MATRIX_2024[slug].get(k, 0) for k in KINDS]
    return [*counts, sum(counts)]


def resolve(page_url: str, href: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(urllib.parse.urljoin("http://x/" + page_url, href))
    return parts.path.lstrip("/"), parts.fragment


# --------------------------------------------------------------------------- stats index


def test_stats_index_lists_years_with_stories_only(built):
    result, current = built
    soup = result.html("stats/")
    assert soup.select_one("h1").get_text(strip=True) == "考核统计"
    years = [h.get_text(strip=True) for h in soup.select(".dj-stats-year h2")]
    assert years == [f"{current.year}年", "2024年", "2022年"]  # 2023 has no stories: not listed
    assert not result.exists("stats/2023/")
    hrefs = {resolve("stats/", a["href"])[0] for a in soup.select(".dj-stats-year a")}
    assert {"stats/2024/", "stats/2024/by-total/", "stats/2024/stories/", "stats/2024.csv",
            "stats/2024.json"} <= hrefs
    for href in hrefs:
        assert (result.site / href).exists() or result.exists(href), href


def test_site_without_stories_says_so(project):
    project.branch("qingshan", name="青山党支部")
    result = project.build(strict=True)
    assert result.ok, result.messages
    soup = result.html("stats/")
    assert not soup.select(".dj-stats-year")
    assert "还没有发布的稿件" in soup.select_one(".dj-empty").get_text()
    assert not list((result.site / "stats").glob("*.csv"))


# --------------------------------------------------------------------------- matrix


def test_matrix_cells_are_exact_and_branch_without_stories_shows_zeros(built):
    result, _ = built
    soup = result.html("stats/2024/")
    headers = [th.get_text(strip=True) for th in soup.select("table.dj-matrix thead th")]
    assert headers[0] == "支部" and headers[-1] == "合计" and len(headers) == len(KINDS) + 2
    assert headers[1:4] == ["主题党日", "一月一课一片一实践", "专家大讲堂"]
    counts = cell_counts(soup)
    assert list(counts) == ["qingshan", "lvshui", "hongyan"]  # branch order
    for slug in counts:
        assert counts[slug] == expected_row(slug), slug
    assert counts["qingshan"] == [0] * (len(KINDS) + 1)
    foot = [int(td.get_text(strip=True)) for td in soup.select("table.dj-matrix tfoot td")]
    assert foot == [4, 1, 2, 0, 0, 0, 0, 1, 0, 8]  # the joint story counted once
    table = soup.select_one("table.dj-matrix")
    assert table.caption and table.caption.get_text(strip=True)
    assert all(th.get("scope") == "col" for th in table.select("thead th"))
    assert all(th.get("scope") == "row" for th in table.select("tbody th, tfoot th"))
    assert table.find_parent(class_="dj-table-scroll") is not None


def test_matrix_cell_links_resolve_to_story_groups(built):
    result, _ = built
    soup = result.html("stats/2024/")
    links = soup.select("table.dj-matrix tbody td a")
    assert len(links) == 2 + 3 + 2  # non-zero kind cells + non-zero totals
    stories_page = result.html("stats/2024/stories/")
    for a in links:
        path, fragment = resolve("stats/2024/", a["href"])
        assert path == "stats/2024/stories/", a["href"]
        target = stories_page.find(id=fragment)
        assert target is not None, fragment
        if "--" in fragment:  # a kind cell: the group lists exactly that many stories
            group = target.find_next("ul")
            assert len(group.find_all("li")) == int(a.get_text()), fragment
    joint = stories_page.find(id="lvshui--zhuti-dangri").find_next("ul")
    assert [li.a.get_text() for li in joint.find_all("li")] == ["稿件joint-mar"]
    hongyan = stories_page.find(id="hongyan--zhuti-dangri").find_next("ul")
    assert [li.a.get_text() for li in hongyan.find_all("li")] == [
        "稿件a-mar-zhuti", "稿件joint-mar", "稿件a-feb-zhuti", "稿件a-jan-zhuti"]
    for li in hongyan.find_all("li"):
        assert result.exists(resolve("stats/2024/stories/", li.a["href"])[0])
    assert stories_page.find(id="qingshan") is None  # nothing to list


def test_by_total_page_sorts_rows_by_total(built):
    result, _ = built
    soup = result.html("stats/2024/by-total/")
    counts = cell_counts(soup)
    assert list(counts) == ["hongyan", "lvshui", "qingshan"]
    assert [row[-1] for row in counts.values()] == [6, 3, 0]
    assert counts["hongyan"] == expected_row("hongyan")
    current = soup.select_one(".dj-sort [aria-current=page]").get_text(strip=True)
    assert current == "按合计排序"
    for a in soup.select("table.dj-matrix tbody td a"):
        assert resolve("stats/2024/by-total/", a["href"])[0] == "stats/2024/stories/"
    default = result.html("stats/2024/")
    other = default.select_one(".dj-sort a")
    assert resolve("stats/2024/", other["href"])[0] == "stats/2024/by-total/"


# --------------------------------------------------------------------------- coverage heat-map


def heat_states(svg) -> dict[str, list[str]]:
    return {g["data-branch"]: [r["data-state"] for r in g.find_all("rect")] for g in svg.select("g.dj-heat__row")}


def test_heatmap_has_one_rect_per_branch_and_month_with_states(built):
    result, _ = built
    soup = result.html("stats/2024/")
    svg = soup.select_one("svg.dj-heat__svg")
    assert len(svg.select("g.dj-heat__row rect")) == 3 * 12
    states = heat_states(svg)
    assert states == COVERAGE_2024
    for rect in svg.select("g.dj-heat__row rect"):
        assert rect.find("title").get_text(strip=True)
    jan = svg.select_one('g[data-branch="hongyan"] rect[data-month="1"] title').get_text()
    assert "全部开展" in jan
    feb = svg.select_one('g[data-branch="hongyan"] rect[data-month="2"] title').get_text()
    assert "部分开展" in feb and "未开展 一月一课一片一实践、三会一课" in feb


def test_screen_reader_table_matches_heatmap(built):
    result, _ = built
    soup = result.html("stats/2024/")
    table = soup.select_one("details table.dj-coverage")
    assert table.caption and table.caption.get_text(strip=True)
    rows = {tr.th.get_text(strip=True): [td["data-state"] for td in tr.find_all("td")[:12]]
            for tr in table.select("tbody tr")}
    names = {slug: name for slug, name, _ in BRANCHES}
    assert rows == {names[slug]: states for slug, states in COVERAGE_2024.items()}
    hongyan = table.select("tbody tr")[2].find_all("td")
    assert [td.get_text(strip=True) for td in hongyan[:3]] == ["全部开展", "部分开展（主题党日）", "部分开展（主题党日）"]
    assert hongyan[-1].get_text(strip=True) == "1"  # complete months


def test_current_year_months_after_today_are_future(built):
    result, current = built
    states = heat_states(result.html(f"stats/{current.year}/").select_one("svg.dj-heat__svg"))
    m = current.month
    assert states["hongyan"] == ["empty"] * (m - 1) + ["partial"] + ["future"] * (12 - m)
    assert states["qingshan"] == ["empty"] * m + ["future"] * (12 - m)


def test_branch_page_shows_its_own_coverage_row(built):
    result, current = built
    soup = result.html("branches/hongyan/")
    section = soup.select_one(".dj-branch-coverage")
    assert section is not None and f"{current.year}年" in section.h2.get_text()
    states = heat_states(section.select_one("svg"))
    m = current.month
    assert states == {"hongyan": ["empty"] * (m - 1) + ["partial"] + ["future"] * (12 - m)}
    link = section.select_one(".dj-note a")
    assert resolve("branches/hongyan/", link["href"])[0] == f"stats/{current.year}/"
    empty = result.html("branches/qingshan/").select_one(".dj-branch-coverage svg")
    assert len(empty.select("g.dj-heat__row rect")) == 12  # a branch without stories still has its row


def test_month_states_with_a_fixed_today(tmp_path):
    project = SiteProject.create(tmp_path / "p")
    write_fixture(project, dt.date(2024, 3, 31))
    column = load_column(project.root, project.root / "content", today=dt.date(2024, 3, 31))
    catalog = column.catalog
    ys = year_stats(catalog)[2024]
    required = catalog.settings.required_monthly
    states = [s for s, _ in month_states(ys, "hongyan", 2024, required, catalog.today)]
    assert states == ["complete", "partial", "partial"] + ["future"] * 9
    states = [s for s, _ in month_states(ys, "lvshui", 2024, required, catalog.today)]
    assert states == ["empty", "empty", "partial"] + ["future"] * 9  # May's story is not published yet
    past = [s for s, _ in month_states(None, "qingshan", 2023, required, catalog.today)]
    assert past == ["empty"] * 12


# --------------------------------------------------------------------------- downloads


def test_csv_has_bom_chinese_header_and_exact_rows(built):
    result, _ = built
    raw = (result.site / "stats" / "2024.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["支部", "活动类型", "月份", "稿件数", "照片数", "双联稿件数"]
    assert rows == CSV_2024
    older = list(csv.reader(io.StringIO((result.site / "stats" / "2022.csv").read_bytes().decode("utf-8-sig"))))
    assert older[1:] == [["绿水党支部", "三会一课", "2022-06", "1", "0", "0"]]
    assert not (result.site / "stats" / "2023.csv").exists()


def test_json_parses_with_exact_totals(built):
    result, _ = built
    data = json.loads((result.site / "stats" / "2024.json").read_text(encoding="utf-8"))
    assert data["year"] == 2024
    assert data["totals"]["stories"] == 8
    assert data["totals"]["photos"] == 2
    assert data["totals"]["joint"] == 1
    assert data["totals"]["by_kind"][ZHUTI] == 4 and data["totals"]["by_kind"][ZHUANJIA] == 2
    assert data["totals"]["by_month"]["2024-01"] == 3 and data["totals"]["by_month"]["2024-03"] == 3
    assert [b["slug"] for b in data["branches"]] == ["qingshan", "lvshui", "hongyan"]
    assert [b["stories"] for b in data["branches"]] == [0, 3, 6]
    assert {b["slug"]: b["coverage"] for b in data["branches"]} == COVERAGE_2024
    rows = [[r["branch_name"], r["kind_label"], r["month"], str(r["stories"]), str(r["photos"]), str(r["joint"])]
            for r in data["rows"]]
    assert rows == CSV_2024[1:]


def test_year_page_links_downloads(built):
    result, _ = built
    soup = result.html("stats/2024/")
    targets = {resolve("stats/2024/", a["href"])[0] for a in soup.select(".dj-stats-downloads a")}
    assert {"stats/2024.csv", "stats/2024.json", "stats/2024/stories/"} <= targets
