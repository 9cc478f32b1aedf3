"""Regression query set for the column's search: recall and precision against the source files.

A corpus of a few hundred stories is generated (the benchmark's generator, smaller), built for real, and
every query is run by the built site's own ``search-engine.js`` under node (the same file the search page
loads; ``search_node.js`` only hands it the index files from disk). The ground truth is computed here,
from the Markdown sources alone: a story or branch profile matches when every word of the query occurs
as a substring of one of its indexed fields. An engine upgrade or a tokeniser change that loses results
fails here, per query, with the query named.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import pytest
import yaml
from conftest import PROJECT, SiteProject
from dangjian_column.content.slugs import slugify  # the URL rule (not the search) maps a source to its page
from generate_corpus import generate

RECALL_BAR, PRECISION_BAR = 0.98, 0.95
NODE = shutil.which("node")

# class -> queries; filled in from the corpus where the words come from the sources (names, brands)
FIXED_QUERIES = {
    "2 字": ["党课", "讲堂", "志愿", "安全", "学习", "地质", "党员", "找矿", "岩心", "誓词"],
    "3 字": ["党小组", "老党员", "微党课", "教育片", "纪念馆", "党旗下", "岩心库"],
    "4 字": ["党课讲稿", "安全生产", "志愿服务", "知识竞赛", "入党誓词", "野外剖面"],
    "活动类型": ["党课进一线", "一月一课一片一实践", "专家大讲堂", "主题党日", "联合共建"],
    "地名": ["革命纪念馆", "矿区工作站", "社区党群服务中心", "地质博物馆"],
    "组合": ["地质 党课", "青年 安全", "党课 纪念馆", "老党员 誓词"],
}


@dataclass
class Source:
    url: str
    title: str
    fields: list[str]

    def matches(self, query: str) -> bool:
        return all(any(word in f for f in self.fields) for word in query.split())

    def title_matches(self, query: str) -> bool:
        return all(word in self.title for word in query.split())


def _kind_labels(root: Path) -> dict[str, str]:
    kinds = yaml.safe_load((root / "column.yml").read_text(encoding="utf-8"))["kinds"]
    return {name: k["label"] for k in kinds for name in (k["key"], k["label"], *k.get("aliases", []))}


def _items(values) -> list[str]:
    return [str(v) for item in values or [] for v in ((item.get("title"), item.get("text"))
            if isinstance(item, dict) else (item,)) if v]


def read_sources(root: Path) -> list[Source]:
    """Every published story and branch profile, with the fields the column promises to search."""
    branches, sources = {}, []
    for path in sorted((root / "branches").glob("*/index.md")):
        post = frontmatter.load(path)
        m = post.metadata
        branches[path.parent.name] = m
        fields = [m["brand"], m["name"], m.get("short_name", ""), m.get("parent", ""), m.get("category", ""),
                  m.get("slogan", ""), post.content, *_items(m.get("highlights")), *_items(m.get("experiences")),
                  *[str(h["title"]) for h in m.get("honours", [])]]
        title = f"{m['brand']} · {m.get('short_name') or m['name']}"
        sources.append(Source(f"/branches/{path.parent.name}/", title, [f for f in fields if f]))
    labels = _kind_labels(root)
    today = dt.date.today()
    for path in sorted((root / "content" / "stories").rglob("*.md")):
        post = frontmatter.load(path)
        m = post.metadata
        if m.get("status") != "已发布" or m["date"] > today:
            continue
        slugs = m["branch"] if isinstance(m["branch"], list) else [m["branch"]]
        names = [str(branches[s][k]) for s in slugs for k in ("brand", "name", "short_name") if branches[s].get(k)]
        captions = [str(p.get("caption", "")) for p in m.get("photos", []) if isinstance(p, dict)]
        fields = [m["title"], m.get("description", ""), post.content, *captions, *names, labels[m["kind"]],
                  *m.get("tags", []), m.get("author", ""), m.get("photographer", ""), m.get("source", "")]
        url = f"/stories/{m['date'].year}/{m.get('slug') or slugify(m['title'])}/"
        sources.append(Source(url, m["title"], [str(f) for f in fields if f]))
    return sources


def corpus_queries(root: Path) -> dict[str, list[str]]:
    """Brand names and people's names come from the generated sources, so they exist and vary."""
    brands = [frontmatter.load(p).metadata["brand"] for p in sorted((root / "branches").glob("*/index.md"))]
    authors = sorted({frontmatter.load(p).metadata["author"]
                      for p in sorted((root / "content" / "stories").rglob("*.md"))[:60]})
    return {**FIXED_QUERIES, "品牌名称": brands[:4], "人名": [a for a in authors if len(a) >= 2][:5]}


def run_engine(site: Path, queries: list[str]) -> dict[str, list[dict]]:
    done = subprocess.run([NODE, str(PROJECT / "tests" / "search_node.js"), str(site)], input=json.dumps(queries),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return {json.loads(k): v for k, v in json.loads(done.stdout).items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("node is needed to run the site's search engine (apt-get install nodejs)")
        pytest.skip("node not installed")
    root = tmp_path_factory.mktemp("recall") / "project"
    generate(root, branches=12, stories_per_branch=25, cover_share=0.05)
    result = SiteProject(root).build()
    assert result.ok, result.messages
    queries = corpus_queries(root)
    found = run_engine(result.site, [q for qs in queries.values() for q in qs])
    return read_sources(root), queries, found


def test_every_query_class_meets_the_recall_and_precision_bar(corpus):
    sources, queries, found = corpus
    failures, report = [], []
    for cls, qs in queries.items():
        hit = relevant = returned = 0
        for q in qs:
            truth = {s.url for s in sources if s.matches(q)}
            got = [r["url"] for r in found[q]]
            assert len(got) == len(set(got)), f"{q}: a result is listed twice"
            correct = len(truth & set(got))
            recall = correct / len(truth) if truth else 1.0
            precision = correct / len(got) if got else 1.0
            if recall < RECALL_BAR or precision < PRECISION_BAR:
                failures.append(f"{cls} “{q}”: {len(truth)} 篇含有, 返回 {len(got)}, 召回 {recall:.3f}, 准确 {precision:.3f}")
            hit, relevant, returned = hit + correct, relevant + len(truth), returned + len(got)
        report.append(f"{cls}: 召回 {hit / max(relevant, 1):.3f}，准确 {hit / max(returned, 1):.3f}（{relevant} 个相关）")
    print("\n" + "\n".join(report))
    assert not failures, "\n".join(failures)
    assert sum(len(found[q]) for q in queries["2 字"]) > 500, "the corpus must make the common words common"


def test_title_matches_rank_above_body_matches(corpus):
    sources, queries, found = corpus
    title_of = {s.url: s for s in sources}
    checked = 0
    for q in [q for qs in queries.values() for q in qs]:
        flags = [title_of[r["url"]].title_matches(q) for r in found[q]]
        assert flags == sorted(flags, reverse=True), f"{q}: a body-only match ranks above a title match"
        checked += any(flags) and not all(flags)
    assert checked >= 5, "the set must have queries with both title and body matches"


def test_excerpts_start_at_the_first_match_and_mark_it(corpus):
    _sources, _queries, found = corpus
    marked_excerpts = 0
    for q in ["党课", "纪念馆", "党课进一线", "安全生产"]:
        for result in found[q][:3]:
            pieces = result["excerpt"]
            text = "".join(p["text"] for p in pieces)
            marked = [p["text"] for p in pieces if p["mark"]]
            if not marked:  # the word is only in the title or the branch line: the excerpt is the lead
                continue
            assert set(marked) == {q}, (q, pieces)
            before = text.index(marked[0])
            assert before <= 7, f"{q}: the excerpt starts {before} characters before the match: {text}"
            assert ". " not in text and "\n" not in text, text
            marked_excerpts += 1
    assert marked_excerpts >= 8
