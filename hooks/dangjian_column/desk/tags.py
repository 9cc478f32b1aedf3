"""The tags stories already use, offered in the desk's tag hint so the same word is written the same way.

Read from the files' front matter (not the whole column: the desk runs beside MkDocs, not inside it) and
cached on the stories' modification times, since Decap asks for its configuration at every page load.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from dangjian_column.content.stories import STORIES_DIR
from dangjian_column.content.tags import clean_tag

_cache: dict[Path, tuple[tuple, list[str]]] = {}


def known_tags(docs_dir: Path, limit: int = 30) -> list[str]:
    """The most used tags first (ties by name), at most ``limit``."""
    files = sorted((docs_dir / STORIES_DIR).glob("*/*.md"))
    signature = tuple((f.name, f.stat().st_mtime_ns) for f in files)
    cached = _cache.get(docs_dir)
    if cached and cached[0] == signature:
        return cached[1][:limit]
    counts: Counter[str] = Counter()
    for path in files:
        counts.update(_tags(path))
    ranked = [tag for tag, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    _cache[docs_dir] = (signature, ranked)
    return ranked[:limit]


def _tags(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---"):
        return set()
    end = text.find("\n---", 3)
    try:
        meta = yaml.load(text[3:end], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if end > 0 else None
    except yaml.YAMLError:  # `check` reports it; the hint just does without this file
        return set()
    raw = meta.get("tags") if isinstance(meta, dict) else None
    items = raw if isinstance(raw, list) else str(raw or "").replace("，", ",").split(",")
    return {tag for tag in (clean_tag(str(t)) for t in items) if tag}
