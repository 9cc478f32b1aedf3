"""Writes the index into the site: small JSON files the browser fetches only when a query needs them.

    searchindex/manifest.json          shard counts and the folder of this build's index (5-minute cache)
    searchindex/<hash>/t/<k>.json      doc lists of the tokens whose first character c has ord(c) % n == k
    searchindex/<hash>/p/<k>.json      positions of the bigrams with (31·ord(a) + ord(b)) % m == k
    searchindex/<hash>/d/<id>.json     one result: url, title, date, branches, kind, thumbnail, excerpt text
    searchindex/<hash>/f.json          the filters: each document's kind, year and branches

A two-character query reads the manifest, one ``t`` shard and the ``d`` files of the results it shows;
longer queries add one ``p`` shard per bigram they check. ``<hash>`` is the content hash of the index,
so a reader never mixes files of two builds whatever the cache keeps.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.publishing.search.documents import SearchDocument
from dangjian_column.publishing.search.postings import Postings, build_postings

INDEX_DIR = "searchindex"
DOC_SHARD_CHARS = 24_000  # aim for doc-list shards of ~24 K characters (~10 KB gzipped)
POSITION_SHARD_CHARS = 48_000
MAX_SHARDS = 4096


@dataclass(frozen=True)
class IndexResult:
    ok: bool
    summary: str


def shard_count(total_chars: int, per_shard: int) -> int:
    return max(1, min(MAX_SHARDS, total_chars // per_shard))


def write_index(site_dir: Path, documents: list[SearchDocument]) -> IndexResult:
    root = site_dir / INDEX_DIR
    if root.exists():
        shutil.rmtree(root)
    if not documents:
        return IndexResult(True, "没有可搜索的内容")
    texts = [d.text for d in documents]
    postings = build_postings(texts, [len(d.title) for d in documents])
    del texts
    n = shard_count(len(postings.docs), DOC_SHARD_CHARS)
    m = shard_count(len(postings.positions), POSITION_SHARD_CHARS)
    # Written as they are made (not held: ~80 MB at 9,000 stories), hashed on the way, renamed at the end.
    building = root / ".building"
    digest = hashlib.sha256()
    files, tokens = _token_shards(postings, n, m), len(postings.keys)
    files["f.json"] = _facets(documents)
    del postings
    for name, data in sorted(files.items()):
        _write(building, name, data, digest)
    del files
    for i, document in enumerate(documents):
        _write(building, f"d/{i}.json", _result(document), digest)
    folder = digest.hexdigest()[:12]
    building.rename(root / folder)
    manifest = {"v": 1, "dir": f"{folder}/", "n": n, "m": m, "count": len(documents)}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return IndexResult(True, f"{len(documents)} 篇，{tokens} 个字对，{n} + {m} 个分片")


def _write(folder: Path, name: str, data: str, digest) -> None:
    raw = data.encode("utf-8")
    digest.update(name.encode() + b"\0" + raw + b"\0")
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(raw)


def _token_shards(postings: Postings, n: int, m: int) -> dict[str, str]:
    doc_shards: dict[int, dict[str, str]] = {}
    position_shards: dict[int, dict[str, str]] = {}
    docs, doc_cuts = postings.docs, postings.doc_cuts.tolist()
    positions, position_cuts = postings.positions, postings.position_cuts.tolist()
    for i in range(len(postings.keys)):
        token = postings.token(i)
        doc_shards.setdefault(ord(token[0]) % n, {})[token] = docs[doc_cuts[i]:doc_cuts[i + 1]]
        if len(token) == 2:  # a lone character is only ever looked up by its doc list
            k = (31 * ord(token[0]) + ord(token[1])) % m
            position_shards.setdefault(k, {})[token] = positions[position_cuts[i]:position_cuts[i + 1]]
    out = {f"t/{k}.json": _json(v) for k, v in doc_shards.items()}
    out.update((f"p/{k}.json", _json(v)) for k, v in position_shards.items())
    return out


def _facets(documents: list[SearchDocument]) -> str:
    kinds = sorted({d.kind for d in documents})
    branches = sorted({b for d in documents for b in d.branches})
    years = sorted({d.year for d in documents if d.year}, reverse=True)
    kind_at = {k: i for i, k in enumerate(kinds)}
    branch_at = {b: i for i, b in enumerate(branches)}
    year_at = {y: i for i, y in enumerate(years)}
    return _json({
        "活动类型": kinds, "支部": branches, "年份": years,
        "k": [kind_at[d.kind] for d in documents],
        "y": [year_at.get(d.year, -1) for d in documents],
        "b": [[branch_at[b] for b in d.branches] for d in documents],
    })


def _result(document: SearchDocument) -> str:
    return _json({"u": document.url, "t": document.title, "d": document.date, "b": list(document.branches),
                  "k": document.kind, "i": document.image, "x": "\n".join(document.shown)})


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
