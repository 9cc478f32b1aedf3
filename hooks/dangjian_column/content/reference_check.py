"""Which body references a story (or a hand-written page, a branch profile, a topic) may publish, and a
Chinese message for each one it may not.

Checked when the file is loaded, so ``dangjian check`` and the build report the same problems from
the same code. A ``Scope`` says where a body's files are looked up and how the messages name them. A local image or file link is refused when its file does not exist with exactly that
name (the website's server is case-sensitive even when the editor's PC is not), when it is written
from the site root (``/etc/passwd``: browsers would ask the host root for it), or when it leaves
``content/``. Refused references are taken out of the Markdown (a link keeps its text), so the page
never shows a broken element and MkDocs never sees them. External addresses are not judged here
(the sanitiser and the wording lint see them); neither are links to pages (``.md``, folders), which
MkDocs resolves itself (unless they are /-rooted or leave ``content/``).
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from dangjian_column.content.photos import Photo, photo_folder
from dangjian_column.content.references import Reference, find_references, without
from dangjian_column.lint.sanitize import URL_SCHEMES
from dangjian_column.problems import ProblemLog

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Scope:
    """Where a body's relative references are looked up, and how a message names the place."""
    files: Path  # the folder site paths are relative to: content/, or the project for branches/ and topics/
    shown: str  # that folder as staff see it, before a site path: "content/" or ""
    noun: str  # what the body belongs to: 稿件, 页面, 支部档案, 专题
    home: str  # site path of the folder its files belong in (a story's photo folder, a page's own folder)
    home_name: str  # that folder in a sentence: 稿件的照片文件夹, 页面所在的文件夹…
    inside: str = ""  # site paths must start with this (branches/: the rest of the project is not published)

    def folder(self, site_path: str) -> str:
        return f"{self.shown}{site_path}/" if site_path else (self.shown or "项目根目录")


def story_scope(docs_dir: Path, src_uri: str) -> Scope:
    return Scope(docs_dir, "content/", "稿件", photo_folder(src_uri), "稿件的照片文件夹")


def page_scope(docs_dir: Path, src_uri: str) -> Scope:
    """A hand-written page of content/ (about.md, an introduction): its files beside it."""
    return Scope(docs_dir, "content/", "页面", posixpath.dirname(src_uri), "页面所在的文件夹")


def profile_scope(root: Path, rel_path: str, noun: str) -> Scope:
    """A branch profile or a topic (``branches/<slug>/index.md``): its folder is published as it is."""
    folder = posixpath.dirname(rel_path)
    return Scope(root, "", noun, folder, f"{noun}文件夹", inside=folder.split("/", 1)[0] + "/")


@dataclass
class BodyReferences:
    images: list[Photo] = field(default_factory=list)  # local images the body shows, first use first
    refused: list[Reference] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line in the body, message)


def check_references(refs: list[Reference], docs_dir: Path, src_uri: str, scope: Scope | None = None) -> BodyReferences:
    """``scope`` defaults to a story's (files in content/, photos in the folder named like the story)."""
    scope = scope or story_scope(docs_dir, src_uri)
    result = BodyReferences()
    shown: set[str] = set()
    listings: dict[str, list[str] | None] = {}
    for ref in refs:
        site_path, problem = _judge(ref, scope, src_uri, listings)
        if problem:
            result.refused.append(ref)
            result.problems.append((ref.line, problem))
        elif site_path and ref.kind == "image" and site_path not in shown:
            shown.add(site_path)
            result.images.append(Photo(site_path, ref.text.strip()))
    return result


def checked_body(body: str, body_line: int, scope: Scope, src_uri: str, rel_path: str, log: ProblemLog) -> str:
    """A hand-written page's, branch profile's or topic's body with its refused references taken out (as a
    story's are), each reported as a warning at its line of ``rel_path``."""
    found = find_references(body)
    if not found:
        return body
    references = check_references(found, scope.files, src_uri, scope)
    for line, message in references.problems:
        log.add(rel_path, message, level="warning", line=body_line + line - 1, field="body")
    return without(body, references.refused) if references.refused else body


def _judge(ref: Reference, scope: Scope, src_uri: str, listings: dict) -> tuple[str, str]:
    """(site path, "") for a usable local file; ("", message) when refused; ("", "") when not ours."""
    target = ref.target.strip()
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    scheme = _SCHEME.match(_INVISIBLE.sub("", target))  # browsers drop tabs inside "java\tscript:"
    if scheme and not ref.raw_html and scheme.group(1).lower() not in URL_SCHEMES:
        return "", _message(ref, f"的地址以“{scheme.group(1)}:”开头，网站只允许 http、https 和 mailto 地址"
                                 "（其他写法可能执行代码）。请改成网址，或删掉这个地址。")
    if not path or scheme or target.startswith("//"):
        return "", ""  # an anchor, or an external address (raw HTML ones: the sanitiser and its warning)
    folder = posixpath.dirname(src_uri)
    if path.startswith("/"):
        return "", _message(ref, f"以“/”开头，网页上会指向网站的根目录，而不是本{scope.noun}的文件。"
                                 f"{_write_relative(ref, src_uri, scope, path)}")
    site_path = posixpath.normpath(posixpath.join(folder, path))
    leaves = site_path == ".." or site_path.startswith("../")
    if not leaves and ref.kind == "link" and (path.endswith("/") or path.lower().endswith(".md")):
        return "", ""  # a page: MkDocs resolves and checks it
    if leaves or not site_path.startswith(scope.inside):
        return "", _message(ref, f"指向 {scope.folder(scope.inside.rstrip('/'))} 文件夹以外，网站上无法显示，"
                                 f"也不允许引用站外文件。请把文件放进{scope.home_name} {scope.folder(scope.home)}，"
                                 f"{_example(ref, src_uri, scope)}")
    if _exists_exactly(scope.files, site_path, listings):
        return site_path, ""
    near = _near_name(scope, site_path, src_uri, listings)
    hint = (f"是不是 {near}？请改成{_written(ref, near)}。" if near
            else f"请检查文件名、大小写和扩展名；文件要放在{scope.home_name} {scope.folder(scope.home)} 里。")
    return "", _message(ref, f"不存在（按{scope.noun}所在文件夹查找：{scope.shown}{site_path}）。{hint}")


def _message(ref: Reference, what: str) -> str:
    if ref.kind == "image":
        name = f"正文里的 <img> 图片 {ref.target}" if ref.raw_html else f"正文图片 {ref.target}"
        return f"{name} {what}这张图片不会出现在页面上。"
    name = f"正文里的 <a> 链接 {ref.target}" if ref.raw_html else f"正文链接 [{ref.text}]({ref.target})"
    return f"{name} {what}链接已去掉，只保留文字。"


def _written(ref: Reference, target: str) -> str:
    if ref.raw_html:
        return f" src=\"{target}\"" if ref.kind == "image" else f" href=\"{target}\""
    return f" ![{ref.text}]({target})" if ref.kind == "image" else f" [{ref.text}]({target})"


def _example(ref: Reference, src_uri: str, scope: Scope) -> str:
    folder = posixpath.relpath(scope.home or ".", posixpath.dirname(src_uri) or ".")
    return f"写成{_written(ref, '文件名' if folder == '.' else f'{folder}/文件名')}。"


def _write_relative(ref: Reference, src_uri: str, scope: Scope, path: str) -> str:
    """The relative path to write instead, when the /-rooted one names a file of the scope."""
    inside = posixpath.normpath(path.lstrip("/"))
    if not inside.startswith("..") and inside.startswith(scope.inside) and (scope.files / inside).is_file():
        relative = posixpath.relpath(inside, posixpath.dirname(src_uri))
        return f"请写相对于{scope.noun}的路径：{_written(ref, relative).strip()}。"
    return f"请写相对于{scope.noun}的路径，{_example(ref, src_uri, scope)}"


def _listing(docs_dir: Path, folder: str, listings: dict) -> list[str] | None:
    if folder not in listings:
        try:
            listings[folder] = [e.name for e in os.scandir(docs_dir / folder) if e.is_file()]
        except (FileNotFoundError, NotADirectoryError):
            listings[folder] = None
    return listings[folder]


def _exists_exactly(docs_dir: Path, site_path: str, listings: dict) -> bool:
    """A file of exactly this name: ``01.JPG`` is not ``01.jpg`` on the website's server."""
    names = _listing(docs_dir, posixpath.dirname(site_path), listings)
    return names is not None and posixpath.basename(site_path) in names


def _near_name(scope: Scope, site_path: str, src_uri: str, listings: dict) -> str:
    """The file that was probably meant (same name in another case, or a close one), as it should be
    written in the body; looked for in the folder written, else in the scope's home folder."""
    folder, name = posixpath.split(site_path)
    for where in dict.fromkeys([folder, scope.home]):
        close = _closest(name, sorted(_listing(scope.files, where, listings) or []))
        if close:
            return posixpath.relpath(f"{where}/{close}", posixpath.dirname(src_uri))
    return ""


def _closest(name: str, names: list[str]) -> str:
    """The same name in another case, else the name whose stem is closest (the extension alone
    would make 附件.pdf look like 议程.pdf); a file with the same extension wins a tie."""
    same = [n for n in names if n.lower() == name.lower()]
    if same:
        return same[0]
    stem, ext = os.path.splitext(name)
    by_stem: dict[str, list[str]] = {}
    for candidate in names:
        by_stem.setdefault(os.path.splitext(candidate)[0], []).append(candidate)
    close = difflib.get_close_matches(stem, list(by_stem), n=1, cutoff=0.6)
    if not close:
        return ""
    candidates = by_stem[close[0]]
    return next((c for c in candidates if c.lower().endswith(ext.lower())), candidates[0])
