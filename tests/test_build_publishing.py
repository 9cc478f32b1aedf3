"""Drafts and future-dated stories never reach the site or its search index, and never fail a build."""

from __future__ import annotations

import json

import pytest
from conftest import BuildResult, SiteProject, search_documents

PUBLISHED = "公开发布的稿件"
DRAFT = "尚未定稿的草稿"
FUTURE = "下个世纪的活动"
TEXT_SUFFIXES = {".html", ".xml", ".json", ".js", ".txt", ".css"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[SiteProject, BuildResult]:
    project = SiteProject.create(tmp_path_factory.mktemp("publishing") / "project")
    project.branch("aa", brand="地质先锋")
    project.story("2025/pub.md", title=PUBLISHED, slug="pub", date="2025-03-01", branch="aa", tags=["公开"],
                  body="这是一篇公开稿件。")
    project.story("2025/draft.md", title=DRAFT, slug="draft", date="2025-03-02", branch="aa", draft=True,
                  tags=["秘密标签"], kind="双联", body="草稿正文不应被索引。")
    project.story("2099/future.md", title=FUTURE, slug="future", date="2099-06-01", branch="aa",
                  tags=["未来标签"], kind="联合共建", body="未来正文不应被索引。")
    result = project.build(strict=True)
    return project, result


def search_texts(result: BuildResult) -> list[str]:
    """Every search result record, as the JSON text the browser downloads."""
    docs = search_documents(result.site)
    assert docs, "the search index has no documents"
    return [json.dumps(d, ensure_ascii=False) for d in docs]


def readable(path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":  # MkDocs' search index escapes non-ASCII characters
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def test_strict_build_passes_with_infos_not_warnings(built):
    _, result = built
    assert result.ok
    assert result.messages == []
    draft = [i for i in result.infos if i.startswith("content/stories/2025/draft.md")]
    future = [i for i in result.infos if i.startswith("content/stories/2099/future.md")]
    assert len(draft) == 1 and "提示" in draft[0] and "草稿" in draft[0]
    assert len(future) == 1 and "提示" in future[0] and "2099-06-01" in future[0]


def test_withheld_story_urls_do_not_exist(built):
    _, result = built
    assert result.exists("stories/2025/pub/")
    assert not result.exists("stories/2025/draft/")
    assert not result.exists("stories/2099/future/")
    assert not (result.site / "stories" / "2099").exists()
    assert not result.exists("archive/2099/")
    assert not result.exists("tags/mi-mi-biao-qian/")
    assert not result.exists("tags/wei-lai-biao-qian/")


def test_withheld_titles_appear_in_no_built_file(built):
    _, result = built
    files = [p for p in result.site.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    html = [p for p in files if p.suffix == ".html"]
    assert len(html) > 10
    texts = {p.relative_to(result.site).as_posix(): readable(p) for p in files}
    containing = {title: [rel for rel, text in texts.items() if title in text]
                  for title in (PUBLISHED, DRAFT, FUTURE, "秘密标签", "未来标签")}
    assert containing[DRAFT] == []
    assert containing[FUTURE] == []
    assert containing["秘密标签"] == [] and containing["未来标签"] == []
    # The check itself works: the published title is found where it should be.
    assert {"index.html", "stories/2025/pub/index.html", "branches/aa/index.html"} <= set(containing[PUBLISHED])


def test_withheld_stories_are_not_counted(built):
    _, result = built
    home = result.html("")
    figures = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in home.select(".dj-figures div")}
    assert figures["活动稿件"] == "1"
    kinds = result.html("kinds/").get_text(" ", strip=True)
    assert "双联 0 篇" in kinds and "联合共建 0 篇" in kinds


def test_withheld_stories_are_not_in_the_search_index(built):
    _, result = built
    fragments = search_texts(result)
    assert any(PUBLISHED in text for text in fragments)  # the check can fail
    assert any("这是一篇公开稿件" in text for text in fragments)
    for text in fragments:
        assert DRAFT not in text and FUTURE not in text
        assert "草稿正文不应被索引" not in text and "未来正文不应被索引" not in text


def test_publishing_a_draft_later_adds_it(project: SiteProject):
    project.branch("aa", brand="地质先锋")
    project.story("2025/draft.md", title=DRAFT, slug="draft", date="2025-03-02", branch="aa", draft=True)
    assert not project.build(strict=True).exists("stories/2025/draft/")
    project.story("2025/draft.md", title=DRAFT, slug="draft", date="2025-03-02", branch="aa", draft=False)
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert result.exists("stories/2025/draft/")
    assert any(DRAFT in text for text in search_texts(result))
