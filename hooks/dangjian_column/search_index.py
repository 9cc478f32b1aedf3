"""Chinese full-text search with Pagefind: indexed after the build, loaded in small chunks on demand.

Pagefind's Chinese segmentation holds about 0.3 MB per page while indexing, so one index of 9,000
stories peaks at 2.6 GB. The index is therefore built in shards (branch profiles, then one shard per
year of stories), one Pagefind run after another: peak memory is that of the largest year, and the
browser merges the shards into one search (they share one copy of the WebAssembly).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

SEARCH_BUNDLE = "pagefind"


@dataclass(frozen=True)
class SearchShard:
    name: str  # "branches" or a year
    glob: str  # the pages it indexes, relative to the site folder

    @property
    def bundle(self) -> str:
        """Where its bundle is written, relative to the site root (a URL path ending in /)."""
        return f"{SEARCH_BUNDLE}/{self.name}/"


@dataclass(frozen=True)
class IndexResult:
    ok: bool
    summary: str


def search_shards(years: list[int]) -> list[SearchShard]:
    """Newest year first: it is the primary bundle, the one whose results matter most."""
    shards = [SearchShard(str(year), f"stories/{year}/**/*.html") for year in sorted(years, reverse=True)]
    return [*shards, SearchShard("branches", "branches/**/*.html")]


def pagefind_executable() -> Path:
    # The binary ships inside the PyPI wheel, so a fresh venv indexes offline.
    import pagefind_bin_extended

    return pagefind_bin_extended.get_executable()


def build_search_index(site_dir: Path, shards: list[SearchShard]) -> IndexResult:
    """Index the pages that carry ``data-pagefind-body`` (stories, branch profiles), shard by shard."""
    pages = 0
    for shard in shards:
        if not any(site_dir.glob(shard.glob)):
            continue
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
