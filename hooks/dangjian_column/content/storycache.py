"""Stories kept between the preview's rebuilds, so a save re-reads one file, not 9,000.

A story is handed back from the cache only while everything its loading looked at is unchanged:

- its own file (size and modification time, to the nanosecond);
- its photo folder (the folder's modification time changes when a photo is added, removed or renamed);
- the file names it mentions (cover, images, links, video): when a file of that name appears in or
  disappears from ``content/``, the story is read again, since its reference check may now say otherwise;
- the context it was read in: the day, column.yml's settings, the branches and their folders (compared by
  value; any change empties the cache).

A story that had a warning or an error is always read again: those are the ones being fixed. Each
story's problems are kept with it and reported again on every rebuild, as a fresh build would.
Stories are handed out as copies, because the photo pipeline takes failed photos off the story it is given;
the same copy again while the pipeline left it alone, so the planner's memory (pages/memory.py) finds
untouched stories by identity.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dangjian_column.model import Branch, Story
from dangjian_column.problems import Problem, ProblemLog

# Anything that looks like a file name with an extension: what a story's references can name.
_FILE_NAME = re.compile(r"[^\s()\[\]<>\"'`:：，。、；]+\.[A-Za-z0-9]{2,5}\b")


@dataclass(frozen=True)
class _Entry:
    stamp: tuple[int, int]  # the story file's size and mtime_ns
    folder: int  # the photo folder's mtime_ns; 0 when there is none
    names: frozenset[str]  # file names the text mentions
    story: Story | None  # None: not loadable (its problems say why)
    problems: tuple[Problem, ...]
    handed: list[Story] = field(default_factory=list)  # the copy handed out last time, if any

    def copy(self) -> Story:
        """The copy handed out last time while the photo pipeline left its photos alone, else a new one."""
        story = self.story
        if self.handed:
            last = self.handed[0]
            if last.photos is story.photos and last.gallery is story.gallery and last.cover is story.cover:
                return last
        self.handed[:] = [copy.copy(story)]
        return self.handed[0]

    @property
    def settled(self) -> bool:
        return all(p.level == "info" for p in self.problems)


class StoryCache:
    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._context: Hashable | None = None
        self._files: set[str] | None = None  # every file under content/ at the last load
        self.reloaded: list[Path] = []  # what the last load_all read again (for the preview's log)
        self._branches: tuple[dict[str, tuple[int, int]], dict[str, Branch], tuple[Problem, ...]] | None = None

    def load_branches(self, folder: Path, load: Callable[[ProblemLog], dict[str, Branch]], log: ProblemLog
                      ) -> dict[str, Branch]:
        """``load(log)``'s branches again while no file under ``folder`` changed, as copies (the photo
        pipeline blanks a logo it refused), their problems reported again."""
        stamps = {path: _stamp(path) for path in _file_paths(folder)}
        if self._branches is None or self._branches[0] != stamps:
            into = ProblemLog()
            self._branches = (stamps, load(into), tuple(into.items))
        log.items.extend(self._branches[2])
        return {slug: copy.copy(branch) for slug, branch in self._branches[1].items()}

    def load_all(self, sources: Iterable[str], docs_dir: Path, context: object,
                 load: Callable[[Path, ProblemLog], Story | None], log: ProblemLog) -> list[Story]:
        """Every story of ``sources`` (paths as strings), loading only those whose inputs changed; problems
        go to ``log``."""
        if context != self._context:
            self._entries, self._context = {}, context
        files = _file_paths(docs_dir)
        touched = {os.path.basename(p) for p in files ^ self._files} if self._files is not None else set()
        self._files = files
        entries, stories, self.reloaded = {}, [], []
        for path in sources:
            entry = self._entries.get(path)
            stamp, folder = _stamp(path), _folder_stamp(path)
            if entry is None or not entry.settled or entry.stamp != stamp or entry.folder != folder \
                    or not entry.names.isdisjoint(touched):
                entry = _read(Path(path), stamp, folder, load)
                self.reloaded.append(Path(path))
            entries[path] = entry
            log.items.extend(entry.problems)
            if entry.story is not None:
                stories.append(entry.copy())
        self._entries = entries
        return stories


def _read(path: Path, stamp: tuple[int, int], folder: int, load: Callable[[Path, ProblemLog], Story | None]
          ) -> _Entry:
    story_log = ProblemLog()
    story = load(path, story_log)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    names = frozenset(os.path.basename(m) for m in _FILE_NAME.findall(text))
    return _Entry(stamp, folder, names, story, tuple(story_log.items))


def _stamp(path: str) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


def _folder_stamp(path: str) -> int:
    try:  # the photo folder is the story's path without ".md" (content/photos.py photo_folder)
        return os.stat(path[:-3]).st_mtime_ns
    except OSError:
        return 0


def _file_paths(folder: Path) -> set[str]:
    paths: set[str] = set()
    for parent, _, files in os.walk(folder):
        paths.update(os.path.join(parent, name) for name in files)
    return paths
