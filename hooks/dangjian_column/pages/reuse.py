"""A production rebuild that copies what did not change from the last good site (issue 13).

``dangjian build`` builds into a fresh staging folder. With nothing changed, rendering all ~12,000 pages, the
9,000 WeChat export pages and the search index again gives the same bytes as the site already published, so
the builder may take those files from it instead (hard links), on three conditions, checked here:

- **the same environment**: the *environment key* digests everything a page's HTML depends on beside its own
  inputs — mkdocs.yml, column.yml, terminology.yml, the templates (custom_dir), the column's own code, every
  installed distribution's version, the builder's configuration and the ``DANGJIAN_*`` switches; any change
  there and nothing is reused. The builder adds what it knows (its configuration, its navigation);
- **the same page**: the page's *key* is its fingerprint (``pages/fingerprint.py``: title, Markdown, template,
  context, breadcrumb, links, the photos' renditions) plus, for a story, every field of the story and of its
  branches (its WeChat export and search record read them) and, for a branch page, the branch;
- **the same file**: the last build's output is still there with the size and modification time it was
  written with (a hand edit or a plain ``mkdocs build`` into ``site/`` makes it fail).

A page whose render logged a warning is never reused (its warning must appear again, ``--strict`` counts it).
The search index is reused whole when its *search key* (the keys of every story and branch, in the catalog's
order) is the one it was written for; otherwise it is made again, from this build's bodies and the stored
bodies of the pages not rendered. A record that cannot be read, or is of another version, means a full build.

Where: ``.cache/rebuild/<site>.json`` (and ``.bodies``) beside the last good site, written as ``.next`` by the
build and put in place by ``dangjian build`` only after the new site was swapped in (``commit``). Nothing here
imports the builder; ``hooks/column_reuse.py`` is MkDocs' side.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dangjian_column.pages.fingerprint import Fingerprinter

VERSION = 1
REUSE_ENV = "DANGJIAN_REBUILD_FROM"  # set by `dangjian build`: the last good site; unset, nothing is reused
REUSE_SWITCH = "DANGJIAN_REUSE"  # "0": render everything (the benchmark's warm full build), still record
RECORD_DIR = Path(".cache") / "rebuild"
PACKAGE = Path(__file__).resolve().parents[1]

FileStamp = tuple[str, int, int]  # site path, size, mtime_ns


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


# --------------------------------------------------------------------------- where the record lives

@dataclass(frozen=True)
class RecordPaths:
    manifest: Path
    bodies: Path

    @property
    def pending(self) -> RecordPaths:
        return RecordPaths(self.manifest.with_name(self.manifest.name + ".next"),
                           self.bodies.with_name(self.bodies.name + ".next"))


def record_paths(root: Path, site_dir: Path) -> RecordPaths:
    """The record of the site in ``site_dir`` (one per site folder: ``site/`` and ``site-preview/`` each have one)."""
    site_dir = site_dir.resolve()
    stem = f"{site_dir.name}-{_digest(str(site_dir).encode('utf-8', 'surrogatepass'))[:12]}"
    folder = root / RECORD_DIR
    return RecordPaths(folder / f"{stem}.json", folder / f"{stem}.bodies")


def forget(root: Path, site_dir: Path) -> None:
    """Before the site folder changes: a record must never describe another site than the one there."""
    paths = record_paths(root, site_dir)
    for path in (paths.manifest, paths.bodies):
        path.unlink(missing_ok=True)


def commit(root: Path, site_dir: Path) -> None:
    """After a successful build was swapped in: its record becomes the current one (or none, if it wrote none)."""
    paths = record_paths(root, site_dir)
    forget(root, site_dir)
    pending = paths.pending
    if pending.manifest.is_file() and pending.bodies.is_file():
        os.replace(pending.bodies, paths.bodies)
        os.replace(pending.manifest, paths.manifest)  # last: the manifest names a complete pair


def discard_pending(root: Path, site_dir: Path) -> None:
    pending = record_paths(root, site_dir).pending
    for path in (pending.manifest, pending.bodies):
        path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- keys

def tree_digest(paths: Iterable[Path], base: Path) -> str:
    """Names and bytes of every file under ``paths`` (files or folders; caches, hidden files and the 写稿台's
    vendored bundle, which no build reads, left out)."""
    h = hashlib.blake2b(digest_size=16)
    for top in paths:
        files = [top] if top.is_file() else sorted(_files_under(top)) if top.is_dir() else []
        h.update(f"\0{top.as_posix()}\0{len(files)}".encode())
        for path in files:
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                rel = path.as_posix()
            h.update(f"\0{rel}\0".encode("utf-8", "surrogatepass"))
            h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return h.hexdigest()


def _files_under(top: Path) -> Iterable[Path]:
    for parent, folders, files in os.walk(top):
        folders[:] = [f for f in folders if f != "__pycache__" and not f.startswith(".")
                      and not f.endswith(".egg-info") and Path(parent, f) != PACKAGE / "desk" / "vendor"]
        for name in files:
            if not name.startswith(".") and not name.endswith((".pyc", ".pyo")):
                yield Path(parent, name)


def environment_key(root: Path, builder_parts: object, inputs: Iterable[Path]) -> str:
    """What every page depends on beside its own inputs. ``inputs``: files and folders the builder reads
    (its configuration file, templates, its hook code); the column adds its settings, its code, the
    installed distributions, the Python version and the ``DANGJIAN_*`` switches. ``builder_parts``: the
    builder's configuration values, as JSON (anything not JSON is written by its ``repr``)."""
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    switches = sorted((k, v) for k, v in os.environ.items()
                      if k.startswith("DANGJIAN_") and k not in (REUSE_ENV, REUSE_SWITCH))
    own = [root / "column.yml", root / "terminology.yml", PACKAGE]
    files = tree_digest([*own, *inputs], root)
    facts = json.dumps([VERSION, sys.version, versions, switches, builder_parts], default=repr, sort_keys=True,
                       ensure_ascii=False)
    return _digest(files.encode(), facts.encode("utf-8", "surrogatepass"))


def page_keys(site) -> tuple[dict[str, str], str]:
    """src_uri -> the key of each page the column plans (published stories and generated pages), and the
    search key. ``site`` is a ``SitePlan``; its page inputs are all a page is made of (with, for a page with
    Markdown of its own, every story's address and every image's renditions); one Fingerprinter, so each
    card, story and branch is digested once."""
    prints = Fingerprinter(site.media.image)
    catalog = site.catalog
    branches = catalog.branches
    keys = {src_uri: prints.digest(*parts) for src_uri, parts in site.page_inputs().items()}
    searched = sorted((key, keys[uri]) for uri in keys if (key := site.search_body_key(uri)) is not None)
    search = prints.digest(searched, [keys.get(s.src_uri, "") for s in catalog.stories], list(branches.values()),
                           catalog.settings.search_full_text)
    return keys, search


# --------------------------------------------------------------------------- the record of one build

@dataclass
class PageRecord:
    key: str
    outputs: list[FileStamp]  # the page, then files written for it (a story's WeChat export)
    anchors: list[str] = field(default_factory=list)  # ids on the page (other pages' #anchor links are checked)
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # its links to anchors: target src_uri -> …

    def to_json(self) -> list:
        return [self.key, self.outputs, self.anchors, self.links]

    @classmethod
    def from_json(cls, data: list) -> PageRecord:
        key, outputs, anchors, links = data
        return cls(key, [tuple(o) for o in outputs], anchors, links)


@dataclass
class BuildRecord:
    site_dir: str
    environment: str
    navigation: str = ""
    search: str = ""
    search_files: list[FileStamp] = field(default_factory=list)
    pages: dict[str, PageRecord] = field(default_factory=dict)
    bodies: dict[str, tuple[str, str]] = field(default_factory=dict)  # search body key -> (page key, body HTML)

    def save(self, paths: RecordPaths) -> None:
        paths.manifest.parent.mkdir(parents=True, exist_ok=True)
        raw = json.dumps(self.bodies, ensure_ascii=False).encode("utf-8", "surrogatepass")
        paths.bodies.write_bytes(zlib.compress(raw, 1))
        manifest = {"v": VERSION, "site": self.site_dir, "env": self.environment, "nav": self.navigation,
                    "search": self.search, "search_files": self.search_files,
                    "pages": {uri: rec.to_json() for uri, rec in self.pages.items()}}
        paths.manifest.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, paths: RecordPaths) -> BuildRecord | None:
        """The record, or None when there is none or it cannot be trusted (unreadable, another version)."""
        try:
            manifest = json.loads(paths.manifest.read_text(encoding="utf-8"))
            if manifest.get("v") != VERSION:
                return None
            bodies = json.loads(zlib.decompress(paths.bodies.read_bytes()).decode("utf-8", "surrogatepass"))
            return cls(site_dir=manifest["site"], environment=manifest["env"], navigation=manifest["nav"],
                       search=manifest["search"], search_files=[tuple(f) for f in manifest["search_files"]],
                       pages={uri: PageRecord.from_json(d) for uri, d in manifest["pages"].items()},
                       bodies={k: tuple(v) for k, v in bodies.items()})
        except (OSError, ValueError, KeyError, TypeError, zlib.error):
            return None


def stamp(site_dir: Path, site_path: str) -> FileStamp | None:
    try:
        st = os.stat(f"{site_dir}/{site_path}")
    except OSError:
        return None
    return (site_path, st.st_size, st.st_mtime_ns)


def unchanged(site_dir: Path, stamps: Iterable[FileStamp]) -> bool:
    """Every file is still there as it was written (size and modification time)."""
    return all(stamp(site_dir, s[0]) == tuple(s) for s in stamps)


def link_file(source: str, target: str) -> None:
    """``target`` becomes the same file as ``source`` (a hard link; a copy with its times where links fail).
    Plain strings and no folder made ahead: ~30,000 files at 9,000 stories, most in a folder of their own."""
    try:
        os.link(source, target)
        return
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    except FileExistsError:
        os.unlink(target)
    except OSError:
        pass
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def files_under(site_dir: Path, folder: str) -> list[FileStamp]:
    """Stamps of every file of ``site_dir/folder``, sorted."""
    top = site_dir / folder
    found = []
    for parent, _, files in os.walk(top):
        for name in files:
            rel = Path(parent, name).relative_to(site_dir).as_posix()
            found.append(stamp(site_dir, rel))
    return sorted(s for s in found if s is not None)


# --------------------------------------------------------------------------- one rebuild's decisions

class Rebuild:
    """What this build may take from the last one. ``reusable`` answers per page; ``record`` collects what
    the next build will compare with."""

    def __init__(self, last_site: Path | None, last: BuildRecord | None, environment: str, keys: dict[str, str],
                 search_key: str, *, enabled: bool = True):
        self.last_site = last_site
        self.environment = environment
        self.keys = keys
        self.search_key = search_key
        usable = (enabled and last is not None and last_site is not None and last_site.is_dir()
                  and last.site_dir == str(last_site) and last.environment == environment)
        self.last = last if usable else None
        self.record = BuildRecord(site_dir="", environment=environment, search=search_key)
        self.reused: set[str] = set()
        self.rendered = 0

    @property
    def active(self) -> bool:
        return self.last is not None

    def reusable(self, src_uri: str, dest: str, search_body_key: str | None) -> bool:
        """The last build's output of this page can stand for it (its key, its address, its files, its
        stored body)."""
        if self.last is None:
            return False
        was = self.last.pages.get(src_uri)
        key = self.keys.get(src_uri)
        if was is None or key is None or was.key != key or not was.outputs or was.outputs[0][0] != dest:
            return False
        if search_body_key is not None and self.last.bodies.get(search_body_key, ("",))[0] != key:
            return False
        return unchanged(self.last_site, was.outputs)

    def drop_all(self) -> None:
        """The builder found a difference every page shows (its navigation): nothing more is reused."""
        self.last = None

    def take_page(self, src_uri: str, site_dir: Path) -> PageRecord:
        """Link the page's files from the last site; its record carries over."""
        was = self.last.pages[src_uri]
        for site_path, _, _ in was.outputs:
            link_file(f"{self.last_site}/{site_path}", f"{site_dir}/{site_path}")
        self.reused.add(src_uri)
        self.record.pages[src_uri] = was
        return was

    def stored_body(self, search_body_key: str) -> str | None:
        found = self.last.bodies.get(search_body_key) if self.last else None
        return found[1] if found else None

    def search_reusable(self) -> bool:
        return (self.last is not None and self.last.search == self.search_key and bool(self.last.search_files)
                and unchanged(self.last_site, self.last.search_files))

    def take_search(self, site_dir: Path) -> None:
        for site_path, _, _ in self.last.search_files:
            link_file(f"{self.last_site}/{site_path}", f"{site_dir}/{site_path}")

    def summary(self, seconds: float = 0.0) -> str:
        cost = f"（比对与记录用时 {seconds:.1f} 秒）" if seconds else ""
        if self.last is None:
            return f"完整构建：渲染 {self.rendered} 个页面（没有可沿用的上次构建，或设置、模板、代码有变化）{cost}"
        return f"增量重建：沿用上次构建的 {len(self.reused)} 个页面，重新渲染 {self.rendered} 个{cost}"
