"""撤稿 and 到期下线: a taken-down story leaves every page, feed, widget, sitemap and search index, and its
URL answers a short noindex notice page instead of a 404."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from conftest import BuildResult, SiteProject, search_documents
from dangjian_column.commands.cli import main
from dangjian_column.site import today_in

KEPT = "继续展示的支部活动"
WITHDRAWN = "应要求撤下的错误稿件"
EXPIRED = "已过期的活动通知"
SOON = "即将到期的活动通知"
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".js", ".csv"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[SiteProject, BuildResult]:
    today = today_in("Asia/Shanghai")
    project = SiteProject.create(tmp_path_factory.mktemp("takedown") / "project")
    project.branch("aa", brand="地质先锋")
    common = {"branch": "aa", "kind": "主题党日", "tags": ["共同标签"]}
    project.story("2026/kept.md", title=KEPT, slug="kept", date="2026-03-01", **common)
    project.story("2026/withdrawn.md", title=WITHDRAWN, slug="withdrawn", date="2026-03-02", status="撤稿",
                  body="这篇稿件把领导姓名写错了。", **common)
    project.story("2026/expired.md", title=EXPIRED, slug="expired", date="2026-03-03",
                  expires=(today - dt.timedelta(days=1)).isoformat(), **common)
    project.story("2026/soon.md", title=SOON, slug="soon", date="2026-03-04",
                  expires=(today + dt.timedelta(days=5)).isoformat(), **common)
    return project, project.build(strict=True)


def site_texts(result: BuildResult) -> dict[str, str]:
    """Every text file of the built site (sitemap.xml.gz unpacked), by site path."""
    texts = {}
    for path in result.site.rglob("*"):
        rel = path.relative_to(result.site).as_posix()
        if path.suffix in TEXT_SUFFIXES:
            texts[rel] = path.read_text(encoding="utf-8", errors="replace")
        elif path.name.endswith(".xml.gz"):
            texts[rel] = gzip.decompress(path.read_bytes()).decode("utf-8")
    return texts


def search_records(result: BuildResult) -> list[str]:
    texts = [json.dumps(doc, ensure_ascii=False) for doc in search_documents(result.site)]
    assert texts, "the search index holds no record"
    return texts


def test_strict_build_passes_and_says_what_was_taken_down(built):
    _, result = built
    assert result.ok, result.messages
    assert result.messages == []
    withdrawn = [i for i in result.infos if i.startswith("content/stories/2026/withdrawn.md")]
    expired = [i for i in result.infos if i.startswith("content/stories/2026/expired.md")]
    assert withdrawn and "已撤稿" in withdrawn[0]
    assert expired and "到期下线" in expired[0]


@pytest.mark.parametrize("slug", ["withdrawn", "expired"])
def test_taken_down_url_answers_the_notice_page(built, slug):
    _, result = built
    soup = result.html(f"stories/2026/{slug}/")
    assert soup.h1.get_text(strip=True) == "本文已撤下"
    robots = soup.find("meta", attrs={"name": "robots"})
    assert robots is not None and "noindex" in robots["content"]
    hrefs = [a["href"] for a in soup.select(".dj-takedown a")]
    assert "../../../" in hrefs and "../../../archive/" in hrefs  # home and the archive, relative to the page
    text = soup.get_text()
    assert WITHDRAWN not in text and EXPIRED not in text  # the notice never repeats what was withdrawn


def test_taken_down_stories_are_absent_from_every_other_file(built):
    _, result = built
    texts = site_texts(result)
    assert "sitemap.xml" in texts and "feed.xml" in texts and "widget/latest.json" in texts
    for title in (WITHDRAWN, EXPIRED):
        assert [p for p, t in texts.items() if title in t] == []
    for slug in ("withdrawn", "expired"):
        url = f"stories/2026/{slug}/"
        holders = [p for p, t in texts.items() if url in t and not p.startswith(url)]
        assert holders == [], f"{url} still linked from {holders}"
    # the story kept alongside them is everywhere, so the checks above look where stories do appear
    for page in ("index.html", "branches/aa/index.html", "kinds/zhuti-dangri/index.html",
                 "archive/2026/index.html", "archive/2026/03/index.html", "feed.xml", "feed.json",
                 "branches/aa/feed.xml", "widget/latest.json", "widget/aa/latest.html", "sitemap.xml"):
        assert KEPT in texts[page] or "stories/2026/kept/" in texts[page], page
    tag_pages = [p for p in texts if p.startswith("tags/") and p.endswith("/index.html") and p != "tags/index.html"]
    assert tag_pages and all(KEPT in texts[p] for p in tag_pages)


def test_sitemap_leaves_the_notice_out(built):
    _, result = built
    sitemap = (result.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "stories/2026/kept/" in sitemap
    assert "stories/2026/withdrawn/" not in sitemap and "stories/2026/expired/" not in sitemap


def test_search_index_holds_only_the_shown_stories(built):
    _, result = built
    fragments = search_records(result)
    assert any(KEPT in f for f in fragments)
    assert not any(WITHDRAWN in f or EXPIRED in f for f in fragments)
    assert not any("本文已撤下" in f for f in fragments)


def test_check_lists_what_expires_soon_and_what_was_taken_down(built, capsys):
    project, _ = built
    assert main(["--root", str(project.root), "check"]) == 0
    out = capsys.readouterr().out
    soon = [line for line in out.splitlines() if line.startswith("content/stories/2026/soon.md")]
    assert len(soon) == 1 and "提示" in soon[0] and "还有 5 天" in soon[0]
    assert any(line.startswith("content/stories/2026/withdrawn.md") and "已撤稿" in line for line in out.splitlines())


def test_list_shows_withdrawn_and_expired_for_what_they_are(built, capsys):
    project, _ = built
    assert main(["--root", str(project.root), "list"]) == 0
    rows = {line.split()[-1]: line for line in capsys.readouterr().out.splitlines() if line.endswith(".md")}
    assert "撤稿" in rows["content/stories/2026/withdrawn.md"].split()
    assert "已发布（已到期下线）" in rows["content/stories/2026/expired.md"].split()
    assert "已发布" in rows["content/stories/2026/kept.md"].split()


def test_preview_still_shows_the_story_with_a_banner(built, monkeypatch):
    project, _ = built
    monkeypatch.setenv("DANGJIAN_PREVIEW", "1")
    preview = project.build(site_dir=project.root / "site-preview")
    assert preview.ok, preview.messages
    withdrawn = preview.html("stories/2026/withdrawn/")
    assert withdrawn.h1.get_text(strip=True) == WITHDRAWN
    assert withdrawn.select_one(".dj-preview-banner").get_text(strip=True) == "已撤稿，正式版不显示"
    expired = preview.html("stories/2026/expired/").select_one(".dj-preview-banner").get_text(strip=True)
    assert expired.startswith("已于") and expired.endswith("到期下线，正式版不显示")
