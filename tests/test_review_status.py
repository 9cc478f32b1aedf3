"""Review status × date × preview/production, on every output a build writes so far."""

from __future__ import annotations

import json

import pytest
from conftest import SiteProject

# (file, status, date, shown in production)
MATRIX = [
    ("pub-past", "已发布", "2025-03-01", True),
    ("pub-future", "已发布", "2099-03-01", False),
    ("review-past", "待审", "2025-03-02", False),
    ("draft-past", "草稿", "2025-03-03", False),
    ("nostatus-past", None, "2025-03-04", False),  # no status: waits for review
]


@pytest.fixture
def matrix(project: SiteProject) -> SiteProject:
    project.branch("aa")
    for slug, status, date, _ in MATRIX:
        fields = {"title": f"稿件{slug}", "date": date, "branch": "aa", "slug": slug, "tags": ["审核矩阵"]}
        if status:
            fields["status"] = status
        else:
            fields["status"] = ""
        project.story(f"{date[:4]}/{slug}.md", **fields)
    return project


def _outputs(site) -> str:
    """Everything but story pages that names stories: listings, sitemap, search index pages."""
    texts = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json") and "/stories/" not in path.as_posix():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


def test_production_publishes_only_approved_stories_dated_today_or_earlier(matrix: SiteProject, monkeypatch):
    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    result = matrix.build(strict=True)
    assert result.ok, result.messages
    everything = _outputs(result.site)
    for slug, _, date, shown in MATRIX:
        assert result.exists(f"stories/{date[:4]}/{slug}/") is shown, slug
        assert (f"稿件{slug}" in everything) is shown, slug
        assert (f"stories/{date[:4]}/{slug}/" in (result.site / "sitemap.xml").read_text()) is shown, slug
    assert not list(result.site.rglob("*.html")) or "dj-preview-banner" not in "".join(
        p.read_text(encoding="utf-8") for p in result.site.rglob("stories/**/index.html"))
    assert (result.site / "feed.xml").exists() and (result.site / "widget/latest.json").exists()
    infos = "\n".join(result.infos)
    assert "review-past.md: 提示: 待审稿" in infos and "nostatus-past.md: 提示: 待审稿" in infos
    assert "draft-past.md: 提示: 草稿" in infos


def test_preview_shows_every_story_with_a_banner_on_unapproved_ones(matrix: SiteProject, monkeypatch):
    monkeypatch.setenv("DANGJIAN_PREVIEW", "1")
    result = matrix.build(strict=True)
    assert result.ok, result.messages
    banners = {}
    for slug, _, date, _ in MATRIX:
        page = result.html(f"stories/{date[:4]}/{slug}/")
        banner = page.select_one(".dj-preview-banner")
        banners[slug] = banner.get_text(strip=True) if banner else ""
    assert banners == {"pub-past": "", "pub-future": "已审核，定时发布：2099年3月1日起", "review-past": "待审稿，未发布",
                       "draft-past": "草稿，未发布", "nostatus-past": "待审稿，未发布"}
    tag_page = result.html("tags/")
    assert tag_page.select_one(".dj-tag-cloud, main") is not None
    assert not (result.site / "feed.xml").exists() and not (result.site / "widget").exists()  # nothing outward
    assert result.html("").select_one("meta[name=robots]")["content"].startswith("noindex")
    assert "预览版" in result.html("").select_one(".dj-preview-notice").get_text()
    listing = result.html("archive/2025/")
    badges = [b.get_text(strip=True) for b in listing.select(".dj-badge--preview")]
    assert sorted(badges) == ["待审稿，未发布", "待审稿，未发布", "草稿，未发布"]


def test_a_future_dated_approved_story_appears_on_its_day(matrix: SiteProject, monkeypatch):
    import datetime as dt

    from dangjian_column.site import load_column

    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    root = matrix.root
    before = load_column(root, root / "content", today=dt.date(2099, 2, 28))
    on_the_day = load_column(root, root / "content", today=dt.date(2099, 3, 1))
    assert "pub-future" not in [s.slug for s in before.catalog.stories]
    assert "pub-future" in [s.slug for s in on_the_day.catalog.stories]


def test_unknown_status_is_a_warning_and_the_story_waits(project: SiteProject, monkeypatch):
    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    project.branch("aa")
    project.story("2025/x.md", title="状态写错", date="2025-03-01", branch="aa", slug="x", status="发表了")
    result = project.build()
    assert not result.exists("stories/2025/x/")
    assert any("content/stories/2025/x.md" in m and "status" in m and "已发布" in m for m in result.messages)
    assert not project.build(strict=True).ok


def test_status_labels_are_configurable(project: SiteProject, monkeypatch):
    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    project.settings(review={"labels": {"published": "审核通过"}})
    project.branch("aa")
    project.story("2025/x.md", title="自定义标签", date="2025-03-01", branch="aa", slug="x", status="审核通过")
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert result.exists("stories/2025/x/")
    json.dumps(result.messages)


def test_cli_preview_build_goes_to_its_own_folder(matrix: SiteProject, monkeypatch):
    from dangjian_column.commands.cli import main

    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    assert main(["--root", str(matrix.root), "build", "--preview"]) == 0
    assert main(["--root", str(matrix.root), "build"]) == 0
    preview, production = matrix.root / "site-preview", matrix.root / "site"
    assert (preview / "stories/2025/review-past/index.html").exists()
    assert not (production / "stories/2025/review-past/index.html").exists()
    assert (production / "stories/2025/pub-past/index.html").exists() and (production / "feed.xml").exists()
    assert not (preview / "feed.xml").exists()


def test_a_bad_review_setting_is_reported_on_column_yml(project: SiteProject):
    project.settings(review={"default_status": "随便"})
    project.branch("aa")
    result = project.build()
    assert any(m.startswith("column.yml") and "review.default_status" in m for m in result.messages), result.messages
