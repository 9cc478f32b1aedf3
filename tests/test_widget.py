"""The official home page's "latest stories" box: standalone, escaped, absolute links opening in the top window."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from dangjian_column.publishing.widget import build_widget
from test_feeds import BASE, NASTY_TITLE, cover_path, make_catalog


@pytest.fixture(scope="module")
def widget() -> dict[str, bytes]:
    return build_widget(make_catalog(), BASE, cover_path, count=4)


def _soup(widget: dict[str, bytes], path: str) -> BeautifulSoup:
    return BeautifulSoup(widget[path].decode("utf-8"), "lxml")


def test_files_site_wide_and_per_branch(widget):
    assert set(widget) == {"widget/latest.html", "widget/latest.json", "widget/dizhi/latest.html",
                           "widget/dizhi/latest.json", "widget/tankuang/latest.html", "widget/tankuang/latest.json"}


def test_count_and_order(widget):
    rows = _soup(widget, "widget/latest.html").select("li a")
    assert [a["href"].rsplit("/", 2)[-2] for a in rows] == ["nocover", "joint", "t1", "a1"]
    assert len(json.loads(widget["widget/latest.json"])["items"]) == 4
    assert len(_soup(widget, "widget/tankuang/latest.html").select("li a")) == 3  # all it has


def test_standalone_page_without_scripts_or_outside_resources(widget):
    for path in (p for p in widget if p.endswith(".html")):
        soup = _soup(widget, path)
        assert not soup.find_all(["script", "link", "iframe"]), path
        assert soup.style is not None  # inline CSS only
        resources = [t.get("src") for t in soup.find_all(src=True)] + [t["href"] for t in soup.find_all(href=True)]
        assert resources and all(u.startswith(BASE) for u in resources), (path, resources)
        assert "url(" not in soup.style.get_text() and "@import" not in soup.style.get_text()


def test_links_are_absolute_and_open_in_the_top_window(widget):
    soup = _soup(widget, "widget/latest.html")
    links = soup.find_all("a")
    assert all(a["target"] == "_top" and a["href"].startswith(BASE) for a in links)
    more = next(a for a in links if "更多" in a.get_text())
    assert more["href"] == BASE
    branch_more = next(a for a in _soup(widget, "widget/dizhi/latest.html").find_all("a") if "更多" in a.get_text())
    assert branch_more["href"] == BASE + "branches/dizhi/"


def test_rows_show_thumbnail_date_and_brand_or_a_text_only_row(widget):
    rows = {a["href"].rsplit("/", 2)[-2]: a for a in _soup(widget, "widget/latest.html").select("li a")}
    assert rows["a1"].img["src"] == BASE + "stories/2025/a1/cover.jpg"
    assert rows["a1"].time["datetime"] == "2025-06-01" and "2025年6月1日" in rows["a1"].get_text()
    assert "地质先锋、探矿尖兵" in rows["joint"].get_text()
    assert rows["nocover"].img is None and "noimg" in rows["nocover"].parent["class"]


def test_titles_are_escaped(widget):
    html = widget["widget/latest.html"].decode()
    assert "<script>" not in html
    assert _soup(widget, "widget/latest.html").find(string=lambda s: "alert" in s) == NASTY_TITLE


def test_json_carries_the_same_data_for_the_cms(widget):
    data = json.loads(widget["widget/latest.json"])
    assert data["more_url"] == BASE
    joint = next(i for i in data["items"] if i["url"].endswith("/joint/"))
    assert joint == {
        "title": NASTY_TITLE, "url": BASE + "stories/2025/joint/", "date": "2025-06-03",
        "date_label": "2025年6月3日", "summary": "joint 的摘要。", "image": BASE + "stories/2025/joint/cover.jpg",
        "branches": [{"slug": "dizhi", "name": "地质先锋党支部", "brand": "地质先锋"},
                     {"slug": "tankuang", "name": "探矿尖兵党支部", "brand": "探矿尖兵"}],
        "kind": {"key": "zhuti-dangri", "label": "主题党日"},
    }
    nocover = next(i for i in data["items"] if i["url"].endswith("/nocover/"))
    assert nocover["image"] is None
