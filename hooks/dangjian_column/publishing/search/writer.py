"""Writes the index into the site: small JSON files the browser fetches only when a query needs them.

    searchindex/manifest.json          shard counts and the folder of this build's index (5-minute cache)
    searchindex/<hash>/t/<k>.json      doc lists of the pairs (and lone characters) whose first character c
                                       has ord(c) % n == k
    searchindex/<hash>/g/<k>.json      doc lists of the triples whose first character has ord(c) % g == k
    searchindex/<hash>/d/<id>.json     one result: url, title, date, branches, kind, thumbnail, excerpt text
    searchindex/<hash>/f.json          the filters: each document's kind, year and branches

A two-character query reads the manifest, one ``t`` shard and the ``d`` files of the results it shows;
a longer one reads the ``g`` shards of its triples instead of the ``t`` shard. ``<hash>`` is the content hash of the index,
so a reader never mixes files of two builds whatever the cache keeps.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.publishing.search.documents import SearchDocument
from dangjian_column.publishing.search.postings import TokenLists, build_token_lists, character_ranks

INDEX_DIR = "searchindex"
SHARD_CHARS = 24_000  # aim for doc-list shards of ~24 K characters (~10 KB gzipped)
MAX_SHARDS = 4096


@dataclass(frozen=True)
class IndexResult:
    ok: bool
    summary: str


def shard_count(total_chars: int, per_shard: int) -> int:
    return max(1, min(MAX_SHARDS, total_chars // per_shard))


def write_index(site_dir: Path, documents: list[SearchDocument]) -> IndexResult:
    root = site_dir / INDEX_DIR
    if not documents:
        shutil.rmtree(root, ignore_errors=True)
        return IndexResult(True, "没有可搜索的内容")
    texts = [d.text for d in documents]
    titles = [len(d.title) for d in documents]
    files: dict[str, str] = {}
    counts = {}
    ranks = character_ranks(texts)
    for shard, arity in (("t", 2), ("g", 3)):
        lists = build_token_lists(texts, titles, arity, ranks)
        counts[shard] = shard_count(len(lists.docs), SHARD_CHARS)
        files.update(_token_shards(lists, shard, counts[shard]))
        del lists
    del texts
    # Result files are written as they are made (not held: ~40 MB at 9,000 stories); all are hashed on
    # the way into a temporary folder, renamed to its hash at the end.
    building = root / ".building"
    shutil.rmtree(building, ignore_errors=True)  # left by a writer that was stopped (the preview's)
    digest = hashlib.sha256()
    files["f.json"] = _facets(documents)
    for name in {name.rpartition("/")[0] for name in files} | {"d"}:  # once, not for each of 10,000 files
        (building / name).mkdir(parents=True, exist_ok=True)
    for name, data in sorted(files.items()):
        _write(building, name, data, digest)
    del files
    for i, document in enumerate(documents):
        _write(building, f"d/{i}.json", _result(document), digest)
    folder = digest.hexdigest()[:12]
    shutil.rmtree(root / folder, ignore_errors=True)  # the same index written before: same content
    building.rename(root / folder)
    manifest = {"v": 2, "dir": f"{folder}/", "n": counts["t"], "g": counts["g"], "count": len(documents)}
    _replace_manifest(root, json.dumps(manifest))
    return IndexResult(True, f"{len(documents)} 篇，{counts['t']} + {counts['g']} 个分片")


def _replace_manifest(root: Path, manifest: str) -> None:
    """The new manifest in one rename, then the earlier indexes go: a reader (the preview's, while a save
    re-indexes) finds the old index or the new one, never none."""
    staged = root / ".manifest.json"
    staged.write_text(manifest, encoding="utf-8")
    os.replace(staged, root / "manifest.json")
    keep = {"manifest.json", json.loads(manifest)["dir"].rstrip("/")}
    for entry in root.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def _write(folder: Path, name: str, data: str, digest) -> None:
    raw = data.encode("utf-8")
    digest.update(name.encode() + b"\0" + raw + b"\0")
    (folder / name).write_bytes(raw)


def _token_shards(lists: TokenLists, folder: str, count: int) -> dict[str, str]:
    shards: dict[int, dict[str, str]] = {}
    docs, cuts = lists.docs, lists.doc_cuts.tolist()
    for i in range(len(lists.keys)):
        token = lists.token(i)
        shards.setdefault(ord(token[0]) % count, {})[token] = docs[cuts[i]:cuts[i + 1]]
    return {f"{folder}/{k}.json": _json(v) for k, v in shards.items()}


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
    record = {"u": document.url, "t": document.title, "d": document.date, "b": list(document.branches),
              "k": document.kind, "x": "\n".join(document.shown)}
    thumb = document.image
    if thumb is not None:  # "i": [[path, width], …] JPEG/PNG, "iw": the same in WebP, "ih": the box's [w, h]
        record.update({"i": [list(r) for r in thumb.fallback], "iw": [list(r) for r in thumb.webp],
                       "ih": [thumb.width, thumb.height]})
    return _json(record)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
