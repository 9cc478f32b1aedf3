"""Decap CMS's local-backend protocol (what its ``decap-server`` answers in local_fs mode), in Python.

The office PCs have Python but no Node, so ``dangjian serve`` answers the protocol itself. Each action is
a JSON POST ``{"action": …, "params": {…}}``; the answers have the shapes of decap-server's
``middlewares/localFs`` (entries ``{data, file: {path, id}}``, media ``{id, content, encoding, path, name}``).
Every path is relative to the project and must stay inside ``content/`` or ``branches/``: reads and
writes alike, so a request can neither change mkdocs.yml nor read anything else on the PC.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

WRITABLE_ROOTS = ("content", "branches")


class DeskError(Exception):
    """A request the desk refuses; ``status`` is the HTTP status, the message is shown to staff."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class DeskBackend:
    root: Path

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

    def handle(self, action: str, params: dict) -> object:
        method = getattr(self, f"_{action}", None) if action in ACTIONS else None
        if method is None:
            raise DeskError(f"Unknown action {action}", status=422)
        return method(params)

    # --- paths -----------------------------------------------------------------------------------
    def resolve(self, rel: str) -> Path:
        """``rel`` as a path inside content/ or branches/, or DeskError (absolute, ``..``, links out)."""
        text = str(rel or "").replace("\\", "/")
        parts = PurePosixPath(text).parts
        if not parts or text.startswith("/") or ".." in parts or ":" in parts[0] or parts[0] not in WRITABLE_ROOTS:
            raise DeskError(f"写稿台只能读写 content/ 和 branches/ 里的文件，拒绝路径“{rel}”。", status=403)
        path = (self.root / text).resolve()
        allowed = [(self.root / top).resolve() for top in WRITABLE_ROOTS]
        if not any(path == top or top in path.parents for top in allowed):  # a symlink pointing out
            raise DeskError(f"写稿台只能读写 content/ 和 branches/ 里的文件，拒绝路径“{rel}”。", status=403)
        return path

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # --- actions ---------------------------------------------------------------------------------
    def _info(self, params: dict) -> dict:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def _entriesByFolder(self, params: dict) -> list[dict]:
        folder = self.resolve(params.get("folder", ""))
        files = _list_files(folder, params.get("extension", ""), int(params.get("depth", 1)))
        return [self._entry(self._rel(f)) for f in files]

    def _entriesByFiles(self, params: dict) -> list[dict]:
        return [self._entry(f.get("path", ""), f.get("label")) for f in params.get("files", [])]

    def _getEntry(self, params: dict) -> dict:
        return self._entry(params.get("path", ""))

    def _persistEntry(self, params: dict) -> dict:
        data_files = params.get("dataFiles") or [params["entry"]]
        targets = [(self.resolve(f["path"]), f.get("raw", ""), f.get("newPath")) for f in data_files]
        assets = [(self.resolve(a["path"]), _decode(a)) for a in params.get("assets", [])]
        moves = [(path, self.resolve(new)) for path, _, new in targets if new]
        for path, raw, _ in targets:
            if not path.exists():
                raw = anchor_new_story_images(raw, path, [p for p, _ in assets])
            _write(path, raw.encode("utf-8"))
        for path, content in assets:
            _write(path, content)
        for old, new in moves:
            _move_story(old, new)
        return {"message": "entry persisted"}

    def _getMedia(self, params: dict) -> list[dict]:
        folder = self.resolve(params.get("mediaFolder", ""))
        return [self._media(f) for f in _list_files(folder, "", 1)]

    def _getMediaFile(self, params: dict) -> dict:
        path = self.resolve(params.get("path", ""))
        if not path.is_file():
            raise DeskError(f"找不到文件 {params.get('path')}。", status=404)
        return self._media(path)

    def _persistMedia(self, params: dict) -> dict:
        asset = params.get("asset") or {}
        path = self.resolve(asset.get("path", ""))
        _write(path, _decode(asset))
        return self._media(path)

    def _deleteFile(self, params: dict) -> dict:
        path = self.resolve(params.get("path", ""))
        path.unlink(missing_ok=True)
        return {"message": f"deleted file {params.get('path')}"}

    def _deleteFiles(self, params: dict) -> dict:
        paths = [self.resolve(p) for p in params.get("paths", [])]
        for path in paths:
            path.unlink(missing_ok=True)
        return {"message": f"deleted files {', '.join(params.get('paths', []))}"}

    def _getDeployPreview(self, params: dict) -> None:
        return None

    # --- answers ---------------------------------------------------------------------------------
    def _entry(self, rel: str, label: str | None = None) -> dict:
        path = self.resolve(rel)
        file = {"path": str(rel).replace("\\", "/"), "label": label}
        try:
            content = path.read_bytes()
        except OSError:
            return {"data": None, "file": {**file, "id": None}}
        return {"data": content.decode("utf-8", errors="replace"), "file": {**file, "id": _sha(content)}}

    def _media(self, path: Path) -> dict:
        content = path.read_bytes()
        return {"id": _sha(content), "content": base64.b64encode(content).decode("ascii"), "encoding": "base64",
                "path": self._rel(path), "name": path.name}


ACTIONS = frozenset({"info", "entriesByFolder", "entriesByFiles", "getEntry", "persistEntry", "getMedia",
                     "getMediaFile", "persistMedia", "deleteFile", "deleteFiles", "getDeployPreview"})


def anchor_new_story_images(raw: str, story: Path, assets: list[Path]) -> str:
    """Decap fills an image's path from the entry's file name, which a story being created does not
    have yet, so it writes the bare name (``01.jpg``) although it saves the photo into the story's own
    folder. The content model reads cover and body images from the story file's folder, so a bare name
    of a photo saved with this story becomes ``<story>/01.jpg``, as `dangjian new story` writes it."""
    folder = story.with_suffix("")
    names = {a.name for a in assets if a.parent == folder}
    for name in sorted(names):
        quoted = re.escape(name)
        anchored = f"{folder.name}/{name}"
        raw = re.sub(rf"(?m)^(cover:[ \t]*|[ \t]*-?[ \t]*file:[ \t]*)(['\"]?){quoted}\2[ \t]*$", rf"\g<1>\g<2>{anchored}\g<2>", raw)
        raw = re.sub(rf"(!\[[^\]\n]*\]\([ \t]*<?){quoted}(>?([ \t]+\"[^\"\n]*\")?[ \t]*\))", rf"\g<1>{anchored}\g<2>", raw)
    return raw


def _list_files(folder: Path, extension: str, depth: int) -> list[Path]:
    if depth <= 0 or not folder.is_dir():
        return []
    found: list[Path] = []
    for item in sorted(folder.iterdir()):
        if item.name.startswith("."):
            continue
        if item.is_dir():
            found += _list_files(item, extension, depth - 1)
        elif item.name.endswith(extension):
            found.append(item)
    return found


def _decode(asset: dict) -> bytes:
    content = asset.get("content", "")
    return base64.b64decode(content) if asset.get("encoding") == "base64" else str(content).encode("utf-8")


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _move_story(old: Path, new: Path) -> None:
    """A renamed story takes its photo folder (named like the file) along, and nothing else: unlike
    decap-server, never the whole directory, which holds every other story of the year."""
    new.parent.mkdir(parents=True, exist_ok=True)
    old.replace(new)
    photos, target = old.with_suffix(""), new.with_suffix("")
    if photos.is_dir() and not target.exists():
        shutil.move(str(photos), str(target))


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
