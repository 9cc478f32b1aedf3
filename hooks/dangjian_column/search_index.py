"""Chinese full-text search with Pagefind: indexed after the build, loaded in small chunks on demand."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

SEARCH_BUNDLE = "pagefind"


@dataclass(frozen=True)
class IndexResult:
    ok: bool
    summary: str


def pagefind_executable() -> Path:
    # The binary ships inside the PyPI wheel, so a fresh venv indexes offline.
    import pagefind_bin_extended

    return pagefind_bin_extended.get_executable()


def build_search_index(site_dir: Path) -> IndexResult:
    """Index the pages that carry ``data-pagefind-body`` (stories, branch profiles)."""
    command = [str(pagefind_executable()), "--site", str(site_dir), "--output-subdir", SEARCH_BUNDLE]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return IndexResult(False, "站内搜索索引生成失败：" + " / ".join(detail))
    found = [line for line in lines if line.startswith(("Indexed", "Found"))]
    return IndexResult(True, "; ".join(found) or "search index written")
