"""The stat index: (path, size, mtime_ns) -> source digest, and digest -> upright size, format, alpha.

With 40,000 photos a warm build must not read 200 GB to hash them again; a stat call per file is
enough. A touched file (new mtime, same bytes) is re-hashed once and then found again by its digest,
so it costs a read but no re-encode. JSON written atomically: a crash or two builds racing leave
either the old or the new index, and a missing entry only means one more hash.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .plan import SourceFacts

INDEX_FILE = "index.json"
INDEX_VERSION = 1


class StatIndex:
    def __init__(self, path: Path, stats: dict[str, list], facts: dict[str, list]) -> None:
        self.path = path
        self._stats = stats
        self._facts = facts
        self._dirty = False

    @classmethod
    def load(cls, cache_dir: Path) -> StatIndex:
        path = cache_dir / INDEX_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION:
                return cls(path, dict(data["stats"]), dict(data["facts"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no index yet, or an unreadable one: start afresh (only costs hashing)
        return cls(path, {}, {})

    def lookup(self, source: str, size: int, mtime_ns: int) -> SourceFacts | None:
        entry = self._stats.get(source)
        if not entry or entry[0] != size or entry[1] != mtime_ns:
            return None
        return self.facts(entry[2])

    def facts(self, digest: str) -> SourceFacts | None:
        entry = self._facts.get(digest)
        if not entry:
            return None
        width, height, fmt, alpha = entry
        return SourceFacts(digest, width, height, fmt, alpha)

    def record(self, source: str, size: int, mtime_ns: int, facts: SourceFacts) -> None:
        stat_entry = [size, mtime_ns, facts.digest]
        fact_entry = [facts.width, facts.height, facts.format, facts.has_alpha]
        if self._stats.get(source) != stat_entry or self._facts.get(facts.digest) != fact_entry:
            self._stats[source] = stat_entry
            self._facts[facts.digest] = fact_entry
            self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        payload = {"version": INDEX_VERSION, "stats": self._stats, "facts": self._facts}
        try:
            tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)
        self._dirty = False
