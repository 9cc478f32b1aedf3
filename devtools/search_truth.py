"""Search quality against the sources: the ground truth, the query set, and the site's engine under node.

Shared by ``tests/test_search_recall.py`` (a few hundred generated stories) and ``search_benchmark.py``
(9,000). Ground truth is computed from the Markdown sources alone: a story or branch profile matches a
query when every word of it occurs as a substring of one of the fields the column promises to search
(title, summary, body, captions, branch names, kind, tags, credits; a profile's brand, names, slogan,
brand story, highlights, experiences, honours). The engine run is the built site's own
``assets/javascripts/search-engine.js`` (``tests/search_node.js`` feeds it the index files from disk).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "hooks"))

from dangjian_column.content.slugs import slugify  # noqa: E402  (the URL rule maps a source to its page)

NODE = shutil.which("node")

# class -> queries; brand and people's names are added from the corpus (corpus_queries)
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
    url: str  # as the engine reports it: site-root path, e.g. "/stories/2025/x/"
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
        sources.append(Source(f"/branches/{path.parent.name}/", title, [str(f) for f in fields if f]))
    labels = _kind_labels(root)
    today = dt.date.today()
    for path in sorted((root / "content" / "stories").rglob("*.md")):
        post = frontmatter.load(path)
        m = post.metadata
        date = m["date"] if isinstance(m["date"], dt.date) else dt.date.fromisoformat(str(m["date"]))
        if m.get("status") != "已发布" or date > today:
            continue
        slugs = m["branch"] if isinstance(m["branch"], list) else [m["branch"]]
        names = [str(branches[s][k]) for s in slugs for k in ("brand", "name", "short_name") if branches[s].get(k)]
        captions = [str(p.get("caption", "")) for p in m.get("photos", []) if isinstance(p, dict)]
        fields = [m["title"], m.get("description", ""), post.content, *captions, *names, labels[m["kind"]],
                  *m.get("tags", []), m.get("author", ""), m.get("photographer", ""), m.get("source", "")]
        url = f"/stories/{date.year}/{m.get('slug') or slugify(m['title'])}/"
        sources.append(Source(url, m["title"], [str(f) for f in fields if f]))
    return sources


def corpus_queries(root: Path, people: int = 5) -> dict[str, list[str]]:
    """The fixed set plus brand names and people's names taken from the generated sources."""
    brands = [frontmatter.load(p).metadata["brand"] for p in sorted((root / "branches").glob("*/index.md"))]
    authors = sorted({frontmatter.load(p).metadata.get("author", "")
                      for p in sorted((root / "content" / "stories").rglob("*.md"))[:60]})
    return {**FIXED_QUERIES, "品牌名称": brands[:4], "人名": [a for a in authors if len(a) >= 2][:people]}


def run_engine(site: Path, queries: list[str], timeout: float = 600) -> dict[str, list[dict]]:
    """query -> results in rank order: {url, title (a title match), excerpt (first three only)}."""
    done = subprocess.run([NODE, str(REPO / "tests" / "search_node.js"), str(site)], input=json.dumps(queries),
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return {json.loads(k): v for k, v in json.loads(done.stdout).items()}


@dataclass
class Score:
    query: str
    relevant: int
    returned: int
    correct: int

    @property
    def recall(self) -> float:
        return self.correct / self.relevant if self.relevant else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.returned if self.returned else 1.0


def score(sources: list[Source], query: str, results: list[dict]) -> Score:
    truth = {s.url for s in sources if s.matches(query)}
    got = {r["url"] for r in results}
    return Score(query, len(truth), len(results), len(truth & got))
