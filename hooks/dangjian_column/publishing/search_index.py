"""Chinese search with Pagefind: indexed after the build, loaded in small chunks on demand.

Measured on the 9,000-story benchmark (Pagefind 1.5.2, Chinese segmentation): indexing holds about
0.1 MB per page when only titles, summaries, branches and tags are indexed, and about 0.3 MB per page
with the full story text. Stories are therefore grouped by year into shards sized to stay under
~900 MB each, indexed one after another; the browser merges the shards into one search (they share one
copy of the WebAssembly). Fewer shards mean fewer index chunks per query, so shards are as big as the
memory budget allows.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.pages import urls


@dataclass(frozen=True)
class SearchShard:
    name: str  # "2026", "2023-2025" or "branches"
    folders: tuple[str, ...]  # site folders whose pages it indexes

    @property
    def bundle(self) -> str:
        """Where its bundle is written, relative to the site root (a URL path ending in /)."""
        return f"{urls.PAGEFIND}{self.name}/"

    @property
    def glob(self) -> str:
        """Story and branch pages sit one level down; deeper pages (WeChat exports, photo walls, page 2…)
        carry nothing to index, and Pagefind would still hold every one it reads in memory."""
        folders = self.folders[0] if len(self.folders) == 1 else "{" + ",".join(self.folders) + "}"
        return f"{folders}/*/index.html"


@dataclass(frozen=True)
class IndexResult:
    ok: bool
    summary: str


PAGES_PER_SHARD = {False: 9_000, True: 3_000}  # keyed by full_text: ~0.1 MB or ~0.3 MB per page


def search_shards(stories_per_year: dict[int, int], *, has_branches: bool = True,
                  full_text: bool = False) -> list[SearchShard]:
    """Whole years, newest first, packed into shards; branch profiles ride in the first shard.

    The first shard is the primary bundle. A year is never split, so a single year larger than the
    budget makes one larger shard.
    """
    budget = PAGES_PER_SHARD[full_text]
    groups: list[list[int]] = []
    for year in sorted(stories_per_year, reverse=True):
        if not groups or sum(stories_per_year[y] for y in groups[-1]) + stories_per_year[year] > budget:
            groups.append([])
        groups[-1].append(year)
    if not groups and not has_branches:
        return []  # nothing to search: Pagefind refuses to build an empty index
    shards = []
    for i, years in enumerate(groups or [[]]):
        folders = tuple(f"{urls.STORIES}{year}" for year in years) + ((urls.BRANCHES.rstrip("/"),) if i == 0 else ())
        name = str(years[0]) if len(years) == 1 else f"{years[-1]}-{years[0]}" if years else "branches"
        shards.append(SearchShard(name, folders))
    return shards


def pagefind_executable() -> Path:
    # The binary ships inside the PyPI wheel, so a fresh venv indexes offline.
    import pagefind_bin_extended

    return pagefind_bin_extended.get_executable()


def build_search_index(site_dir: Path, shards: list[SearchShard]) -> IndexResult:
    """Index the pages that carry ``data-pagefind-body`` (stories, branch profiles), shard by shard."""
    pages = 0
    for shard in shards:
        command = [str(pagefind_executable()), "--site", str(site_dir), "--glob", shard.glob,
                   "--output-subdir", shard.bundle]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            return IndexResult(False, f"站内搜索索引（{shard.name}）生成失败：" + " / ".join(detail))
        pages += _indexed_pages(done.stdout)
    return IndexResult(True, f"{pages} 个页面，{len(shards)} 个分片")


def _indexed_pages(output: str) -> int:
    for line in output.splitlines():
        words = line.strip().split()
        if len(words) >= 3 and words[0] == "Indexed" and words[2].startswith("page"):
            return int(words[1].replace(",", ""))
    return 0
