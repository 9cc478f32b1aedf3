"""The column has its own search (publishing/search/): neither MkDocs' default `search` plugin nor Material's may run.

Without a `plugins:` key MkDocs turns on `search`, which Material maps to its own plugin: it wrote
search/search_index.json (79 MB at 9,000 stories), which no page of the column loads.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SiteProject

PROJECT = Path(__file__).resolve().parents[1]


def test_the_repository_config_runs_no_search_plugin():
    from mkdocs.config import load_config

    config = load_config(str(PROJECT / "mkdocs.yml"))
    assert [name for name in config.plugins if "search" in name] == []


def test_a_build_writes_no_search_index_json_and_keeps_the_column_search(project: SiteProject):
    project.branch("aa", brand="地质先锋")
    project.story("2025/a.md", title="岩芯库主题党日", slug="first", date="2025-03-01", branch="aa")
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert (result.site / "stories/2025/first/index.html").is_file()
    assert not (result.site / "search" / "search_index.json").exists()
    assert list(result.site.rglob("search_index.json")) == []
    assert (result.site / "search" / "index.html").is_file()  # the column's own search page
    assert (result.site / "searchindex" / "manifest.json").is_file()
