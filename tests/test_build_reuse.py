"""What a build reuses between pages (issue 13) gives every page exactly the HTML it had.

- template pieces rendered once per build (dj_once, pages/template_cache.py), off with ``DANGJIAN_TEMPLATE_CACHE=0``;
- one Markdown converter per build, reset between pages (column_markdown.share_converter), off with
  ``DANGJIAN_SHARED_MARKDOWN=0``.

The sample column is built with both and with neither; every HTML file must be the same byte for byte. Pages
at every depth are in it (home, about/, branches/<slug>/, stories/<year>/<slug>/, paginated listings, the 404
page), so a relative link that a reused piece got wrong would show, and its stories use footnotes, tables,
admonitions, attribute lists and headings, whose state a reused converter must not carry over.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from conftest import PROJECT, SiteProject
from dangjian_column.pages import template_cache
from dangjian_column.pages.template_cache import TemplateCache, page_folder
from generate_corpus import write_project_config


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> SiteProject:
    root = tmp_path_factory.mktemp("cache") / "project"
    root.mkdir()
    write_project_config(root)
    for folder in ("content", "branches", "topics"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copy(PROJECT / "terminology.yml", root / "terminology.yml")
    return SiteProject(root)


def html_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def test_every_page_is_the_same_with_and_without_reuse(sample, tmp_path, monkeypatch):
    counts = {"asked": 0, "rendered": 0}
    once = TemplateCache.once

    def counting(self, context, name, caller, nav=False):
        counts["asked"] += 1

        def counted_caller():
            counts["rendered"] += 1
            return caller()
        return once(self, context, name, counted_caller, nav)

    converters = []
    own_init = markdown.Markdown.__init__

    def counting_init(self, *args, **kwargs):
        converters.append(self)
        own_init(self, *args, **kwargs)

    monkeypatch.setattr(TemplateCache, "once", counting)
    monkeypatch.setattr(markdown.Markdown, "__init__", counting_init)
    monkeypatch.setenv(template_cache.CACHE_ENV, "0")
    monkeypatch.setenv("DANGJIAN_SHARED_MARKDOWN", "0")
    uncached = sample.build(site_dir=tmp_path / "uncached")
    assert counts["asked"] == counts["rendered"] > 0
    pages = len(list(uncached.site.rglob("*.html")))
    assert len(converters) >= pages / 2  # MkDocs' own render: one converter a page
    monkeypatch.setenv(template_cache.CACHE_ENV, "1")
    monkeypatch.setenv("DANGJIAN_SHARED_MARKDOWN", "1")
    counts.update(asked=0, rendered=0)
    converters.clear()
    cached = sample.build(site_dir=tmp_path / "cached")
    assert uncached.ok and cached.ok
    assert counts["rendered"] < counts["asked"] / 4, counts  # the cache is really used
    assert len(converters) < 10  # one for the pages (the domain makes a few of its own)

    before, after = html_files(uncached.site), html_files(cached.site)
    assert len(before) > 100 and before.keys() == after.keys()
    different = [path for path in before if before[path] != after[path]]
    assert different == []


def test_page_folder_follows_mkdocs_relative_urls():
    from mkdocs.utils import get_relative_url

    assert page_folder("") == ()
    assert page_folder("stories/2025/x/") == ("stories", "2025", "x")
    assert page_folder("404.html") == ()
    assert page_folder("a/b.html") == ("a",)
    # Two pages with the same signature for a set of targets get the same relative URLs to each of them.
    piece = template_cache._Piece()
    targets = ["", "branches/", "assets/stylesheets/column.css", "branches/x/logo.png", "about/"]
    for target in targets:
        piece.prefixes.update(template_cache._prefixes(target))
    pages = ["", "about/", "branches/", "branches/x/", "branches/y/", "stories/2025/a/", "stories/2026/b/",
             "tags/a/", "tags/a/page/2/", "branches/x/sub/", "404.html", "assets/x/"]
    by_signature: dict[tuple, dict[str, str]] = {}
    for page in pages:
        links = {t: get_relative_url(t, page) for t in targets}
        seen = by_signature.setdefault(piece.signature(page_folder(page)), links)
        assert seen == links, page


def test_material_labels_are_what_materials_own_language_partial_writes():
    """dj_t (site_templates/partials/language.html) against Material's partial, for every label of zh and en
    and for a key neither has (Material then writes the key)."""
    import re

    import jinja2
    import material
    from dangjian_column.pages.translations import material_labels

    templates = Path(material.__file__).parent / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)))
    original = env.get_template("partials/language.html").make_module(
        {"config": {"theme": {"language": "zh"}}})
    keys = {key for name in ("zh", "en") for key in re.findall(
        r'^\s*"([\w.]+)":', (templates / f"partials/languages/{name}.html").read_text(encoding="utf-8"), re.M)}
    assert len(keys) > 50
    t = material_labels(env, "zh")
    for key in [*sorted(keys), "no.such.label"]:
        assert str(t(key)) == str(original.t(key)), key
    assert str(t("search.placeholder")) == "搜索"
