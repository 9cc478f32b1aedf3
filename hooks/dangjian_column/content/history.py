"""Which story file came first: the order in which the repository's history added the files.

When two stories (or two tags) would share a URL, the one published first keeps it. This order
decides first (a story written up late about an earlier activity is still the newcomer); the activity
date decides between files the history has not seen. Git history is used rather than
file mtimes: a fresh clone gives every file the same mtime, and editing a live story would make it
look new. One ``git log`` covers the whole stories folder (renames followed, so moving a file to the
right year folder keeps its place). It costs ~3 s of CPU at 9,000 stories in 9,000 commits, so it runs
only when a URL is contested (``RepositoryHistory`` is lazy), which a build without collisions never is.
Files git does not track (a story just dropped into the folder) come after every tracked one. Without
git, or outside a repository, the order falls back to the file path.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

UNTRACKED = 1 << 62  # after every commit: a file the history has not seen yet is the newcomer

GIT_TIMEOUT_S = 60


class RepositoryHistory(Mapping[str, int]):
    """``first_added(root, folder)``, read the first time a rank is asked for (never, in most builds)."""

    def __init__(self, root: Path, folder: str):
        self.root, self.folder = root, folder
        self._ranks: dict[str, int] | None = None

    @property
    def ranks(self) -> dict[str, int]:
        if self._ranks is None:
            self._ranks = first_added(self.root, self.folder)
        return self._ranks

    def __getitem__(self, path: str) -> int:
        return self.ranks[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ranks)

    def __len__(self) -> int:
        return len(self.ranks)

    @property
    def was_read(self) -> bool:
        return self._ranks is not None


def first_added(root: Path, folder: str) -> dict[str, int]:
    """Path relative to ``root`` -> rank of the commit that first added it (0 = oldest commit)."""
    git = shutil.which("git")
    if git is None or not (root / folder).is_dir():
        return {}
    try:
        done = subprocess.run(
            [git, "-C", str(root), "log", "--reverse", "--format=%x00", "--name-status", "-M",
             "--diff-filter=AR", "--relative", "-z", "--", folder],
            capture_output=True, timeout=GIT_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:  # not a repository, or git refused (e.g. "dubious ownership")
        return {}
    return _ranks(done.stdout.decode("utf-8", errors="surrogateescape"))


def _ranks(log: str) -> dict[str, int]:
    """Parse ``-z --name-status`` output, oldest commit first: each commit starts with an empty record
    (our ``%x00`` format), then ``A``/path or ``R<score>``/old/new records."""
    ranks: dict[str, int] = {}
    fields = log.split("\0")
    commit, i = -1, 0
    while i < len(fields):
        status = fields[i].strip("\n")
        if status == "":
            commit += 1
            i += 1
        elif status.startswith("R") and i + 2 < len(fields):
            old, new = fields[i + 1], fields[i + 2]
            ranks.setdefault(new, ranks.get(old, commit))
            i += 3
        else:
            ranks.setdefault(fields[i + 1] if i + 1 < len(fields) else "", commit)
            i += 2
    ranks.pop("", None)
    return ranks
