"""Fixture projects: real MkDocs + Material builds of small content folders in tmp_path."""

from __future__ import annotations

import logging
import os
import posixpath
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "devtools"))  # helpers the benchmark shares (tests never import bench/)

from generate_corpus import write_project_config  # noqa: E402  (the benchmark makes projects the same way)

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def front_matter(fields: dict) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n"


@dataclass
class BuildResult:
    ok: bool
    site: Path
    messages: list[str] = field(default_factory=list)  # WARNING and above
    infos: list[str] = field(default_factory=list)

    def html(self, url: str) -> BeautifulSoup:
        path = self.site / url.strip("/") / "index.html" if not url.endswith(".html") else self.site / url
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def exists(self, url: str) -> bool:
        return (self.site / url.strip("/") / "index.html").exists()

    def messages_about(self, rel_path: str) -> list[str]:
        return [m for m in self.messages if m.startswith(rel_path)]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class SiteProject:
    """A project folder shaped like the repository, with content written by the test."""

    root: Path

    @classmethod
    def create(cls, root: Path) -> SiteProject:
        root.mkdir(parents=True, exist_ok=True)
        write_project_config(root)
        (root / "content" / "stories").mkdir(parents=True)
        (root / "branches").mkdir()
        (root / "content" / "about.md").write_text("# 关于本栏\n\n测试站点。\n", encoding="utf-8")
        return cls(root)

    def write(self, rel: str, data: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return path

    def branch(self, slug: str, body: str = "品牌故事。", **fields) -> Path:
        fields.setdefault("name", f"{slug} 党支部")
        fields.setdefault("brand", f"品牌{slug}")
        return self.write(f"branches/{slug}/index.md", front_matter(fields) + body + "\n")

    def story(self, rel: str, body: str = "活动正文。", **fields) -> Path:
        fields.setdefault("kind", "主题党日")
        if not fields.get("draft"):
            fields.setdefault("status", "已发布")  # a story without status waits for review (review.py)
        return self.write(f"content/stories/{rel}", front_matter(fields) + body + "\n")

    def settings(self, **changes) -> None:
        data = yaml.safe_load((self.root / "column.yml").read_text(encoding="utf-8"))
        data.update(changes)
        (self.root / "column.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def build(self, *, strict: bool = False, site_dir: Path | None = None) -> BuildResult:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort

        site = site_dir or self.root / "site"
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        level = logger.level
        logger.setLevel(logging.INFO)  # as the mkdocs CLI does; otherwise INFO lines never reach `collect`
        logger.addHandler(collect)
        try:
            config = load_config(str(self.root / "mkdocs.yml"), strict=strict, site_dir=str(site))
            try:
                build(config)
                ok = True
            except Abort:
                ok = False
        finally:
            logger.removeHandler(collect)
            logger.setLevel(level)
        messages = [r.getMessage() for r in collect.records if r.levelno >= logging.WARNING]
        infos = [r.getMessage() for r in collect.records if r.levelno == logging.INFO]
        return BuildResult(ok=ok, site=site, messages=messages, infos=infos)


@pytest.fixture
def project(tmp_path: Path) -> SiteProject:
    return SiteProject.create(tmp_path / "project")


def plan_page(plan, src_uri: str):
    """The planned page at ``src_uri`` (tests look pages up by path; the builder never needs to)."""
    return next(p for p in plan.pages if p.src_uri == src_uri)


def resolve(page_url: str, href: str) -> str:
    """A link on the page at ``page_url`` (site-relative, e.g. "branches/x/") as a site-relative path."""
    target = urlsplit(urljoin("https://site.test/" + page_url, href))
    assert target.netloc == "site.test", f"{href} leaves the site"
    path = posixpath.normpath(target.path).lstrip("/")
    return path + "/" if path and target.path.endswith("/") else path  # the home page is ""


def search_documents(site: Path) -> list[dict]:
    """Every result record of the site's search index (searchindex/<hash>/d/<id>.json): url, title, text…"""
    import json

    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(site.glob("searchindex/*/d/*.json"))]


def story_titles(soup: BeautifulSoup) -> list[str]:
    """Story titles as a listing shows them: cards, or the home page's lead story and headlines."""
    return [a.get_text(strip=True) for a in soup.select(".dj-card__title a, .dj-lead__title a, .dj-headlines a")]


@pytest.fixture(scope="module")
def browser():
    """One Debian Chromium per test module (skipped locally, failing in CI, when it is missing)."""
    from browser_support import launch_chromium, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
