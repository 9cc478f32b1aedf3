"""Regression query set for the column's search: recall and precision against the source files.

A corpus of a few hundred stories is generated (the benchmark's generator, smaller), built for real, and
every query is run by the built site's own ``search-engine.js`` under node (the same file the search page
loads; ``search_node.js`` only hands it the index files from disk). The ground truth is computed by
``devtools/search_truth.py`` from the Markdown sources alone: a story or branch profile matches when every
word of the query occurs as a substring of one of its indexed fields. An engine upgrade or a tokeniser
change that loses results fails here, per query, with the query named.
"""

from __future__ import annotations

import os

import pytest
from conftest import SiteProject
from generate_corpus import generate
from search_truth import NODE, corpus_queries, read_sources, run_engine, score

RECALL_BAR, PRECISION_BAR = 0.98, 0.95

# Stories that hold the pieces of a query word apart: an engine that only checks some pieces (pairs
# without adjacency, one triple of a longer word) returns them and fails on precision.
NEAR_MISSES = {
    "near-dangke.md": ("党课进社区，走进一线", "支部把党课进社区作为年度重点。青年党员随后走进一线项目部。"),
    "near-xiaozu.md": ("入党小结与学习小组", "积极分子交了入党小结。学习小组开展讨论。"),
    "near-yike.md": ("一月一课的安排", "一月一课的安排已经印发。一片一实践的要求另行通知。"),
}


def add_near_misses(project: SiteProject) -> None:
    branch = sorted((project.root / "branches").iterdir())[0].name
    for name, (title, body) in NEAR_MISSES.items():
        project.story(f"2026/{name}", body, title=title, date="2026-01-05", branch=branch, kind="主题党日",
                      description="近似词测试稿件。", slug=name.removesuffix(".md"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("node is needed to run the site's search engine (apt-get install nodejs)")
        pytest.skip("node not installed")
    root = tmp_path_factory.mktemp("recall") / "project"
    generate(root, branches=12, stories_per_branch=25, cover_share=0.05)
    add_near_misses(SiteProject(root))
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
            got = [r["url"] for r in found[q]]
            assert len(got) == len(set(got)), f"{q}: a result is listed twice"
            s = score(sources, q, found[q])
            if s.recall < RECALL_BAR or s.precision < PRECISION_BAR:
                failures.append(f"{cls} “{q}”: {s.relevant} 篇含有, 返回 {s.returned}, 召回 {s.recall:.3f}, "
                                f"准确 {s.precision:.3f}")
            hit, relevant, returned = hit + s.correct, relevant + s.relevant, returned + s.returned
        report.append(f"{cls}: 召回 {hit / max(relevant, 1):.3f}，准确 {hit / max(returned, 1):.3f}（{relevant} 个相关）")
    print("\n" + "\n".join(report))
    assert not failures, "\n".join(failures)
    assert sum(len(found[q]) for q in queries["2 字"]) > 500, "the corpus must make the common words common"
    near = {f"/stories/2026/{name.removesuffix('.md')}/" for name in NEAR_MISSES}
    assert near <= {s.url for s in sources}  # the near misses were published and are in the ground truth
    for q in ("党课进一线", "党小组", "一月一课一片一实践"):
        assert not near & {r["url"] for r in found[q]}, f"{q}: a story with its pieces apart was returned"


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
