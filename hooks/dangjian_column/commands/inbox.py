"""``dangjian import <folder>``: a folder of submissions (投稿) becomes 待审 stories with their photos.

The office collects what branches send — a Word file, or a .md/.txt, with photos inside the document
or beside it — into one folder, one sub-folder per branch if it likes::

    投稿/
      dizhi-xianfeng/            <- the sub-folder names the branch (folder name, 全称, 简称 or 品牌名)
        重走地质路.docx
        重走地质路/01.jpg          <- photos in a folder named like the document …
      机关一支部/
        读书班.txt
        读书班-合影.jpg            <- … or beside it, named like it (or anything, if it is alone there)

Each submission is converted (Word through commands/import_docx.py), its credit lines become fields, and
it is written as a new story with ``status: 待审`` and ``source_file: {name, sha256}``. That hash is how a
second run over the same folder knows what it already imported: nothing is duplicated, nothing existing
is overwritten. What a submission lacks (branch, kind, date) it may say in a line such as ``支部：…``
``日期：…``; otherwise the command's ``--branch``/``--kind``/``--date`` apply, and failing those the file is
reported as needing attention and left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dangjian_column.commands.import_docx import convert_docx, take_credits
from dangjian_column.commands.new import (
    CREDIT_FIELDS,
    ScaffoldError,
    StoryDraft,
    claim_story_files,
    story_text,
    validate_story,
)
from dangjian_column.content.branches import load_branches
from dangjian_column.content.fields import parse_date
from dangjian_column.content.photos import is_image
from dangjian_column.content.sourcefile import parse_document
from dangjian_column.content.stories import STORIES_DIR
from dangjian_column.model import Branch, ColumnSettings
from dangjian_column.problems import ProblemLog

SUBMISSION_TYPES = (".docx", ".md", ".txt")
_HASH = re.compile(r"sha256:\s*['\"]?([0-9a-f]{64})")
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{1,2})-(\d{1,2})")
_HAN = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = "__photos__"


class NeedsAttention(Exception):
    """A submission that cannot be imported as it is (message in Chinese: what is missing and how to fix)."""


@dataclass(frozen=True)
class Defaults:
    branch: str = ""
    kind: str = ""
    date: str = ""


@dataclass
class Submission:
    path: Path
    rel: str  # relative to the inbox, as staff see it
    folder_hint: str  # the first-level sub-folder's name ("" at the top)
    photos: list[Path] = field(default_factory=list)  # image files beside it that belong to it


@dataclass
class Outcome:
    rel: str
    story: str = ""  # the story file written, relative to the project ("" when none)
    skipped: str = ""  # already imported: the story that holds it
    problem: str = ""  # why it was not imported
    notes: list[str] = field(default_factory=list)  # what the office should check in what was made

    @property
    def attention(self) -> bool:
        return bool(self.problem)


@dataclass
class Converted:
    """A submission's text, whatever its format, before it becomes a story."""

    title: str
    body: str  # Markdown; images refer to PLACEHOLDER/<name> in the temporary photo folder
    fields: dict[str, str]  # author/photographer/source/editor/branch/date/kind found in it
    photos: list[str]  # file names in the temporary photo folder, in order
    cover: str = ""
    captions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def find_submissions(inbox: Path) -> list[Submission]:
    files = sorted(p for p in inbox.rglob("*") if p.is_file() and p.suffix.lower() in SUBMISSION_TYPES
                   and not _hidden(p.relative_to(inbox)))
    submissions = []
    for path in files:
        rel = path.relative_to(inbox)
        hint = rel.parts[0] if len(rel.parts) > 1 else ""
        submissions.append(Submission(path, rel.as_posix(), hint, _photos_beside(path, files)))
    return submissions


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in rel.parts)  # ~$ : Word's lock file


def _photos_beside(path: Path, submissions: list[Path]) -> list[Path]:
    """Images in a folder named like the document, images named like it, or — when it is the only
    submission in its folder — every image there."""
    own_folder = path.with_suffix("")
    found = sorted(p for p in own_folder.glob("*") if p.is_file() and is_image(p.name)) if own_folder.is_dir() else []
    neighbours = [p for p in submissions if p.parent == path.parent]
    beside = sorted(p for p in path.parent.glob("*") if p.is_file() and is_image(p.name))
    if len(neighbours) == 1:
        return found + beside
    return found + [p for p in beside if p.stem.startswith(path.stem)]


def imported_hashes(docs_dir: Path) -> dict[str, str]:
    """sha256 of each submission already imported -> the story file holding it."""
    hashes = {}
    for story in sorted((docs_dir / STORIES_DIR).rglob("*.md")):
        head = story.read_text(encoding="utf-8", errors="replace")[:4000]
        match = _HASH.search(head)
        if match:
            hashes.setdefault(match.group(1), story.as_posix())
    return hashes


def import_inbox(root: Path, docs_dir: Path, inbox: Path, settings: ColumnSettings, defaults: Defaults
                 ) -> list[Outcome]:
    branches = load_branches(root, ProblemLog())
    seen = imported_hashes(docs_dir)
    outcomes = []
    for submission in find_submissions(inbox):
        outcome = Outcome(submission.rel)
        digest = hashlib.sha256(submission.path.read_bytes()).hexdigest()
        if digest in seen:
            outcome.skipped = _rel(Path(seen[digest]), root)
        else:
            try:
                story = _import_one(root, docs_dir, submission, digest, settings, branches, defaults, outcome)
            except (NeedsAttention, ScaffoldError) as exc:
                outcome.problem = str(exc)
            else:
                seen[digest] = story.as_posix()
                outcome.story = _rel(story, root)
        outcomes.append(outcome)
    return outcomes


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _import_one(root: Path, docs_dir: Path, submission: Submission, digest: str, settings: ColumnSettings,
                branches: dict[str, Branch], defaults: Defaults, outcome: Outcome) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        converted = _convert(submission, Path(tmp))
        outcome.notes.extend(converted.notes)
        draft = _draft(root, settings, submission, converted, branches, defaults, outcome)
        files = _claim(docs_dir, draft)
        for name in converted.photos:
            shutil.move(str(Path(tmp) / name), files.photos / name)
    if not converted.photos:
        files.photos.rmdir()
    body = converted.body.replace(f"]({PLACEHOLDER}/", f"]({files.photos.name}/")
    credits = {k: v for k, v in converted.fields.items() if k in CREDIT_FIELDS}
    cover = files.image_src(converted.cover) if converted.cover else ""
    files.markdown.write_text(story_text(draft, body=body, cover=cover, credits=credits, captions=converted.captions,
                                         source_file={"name": submission.rel, "sha256": digest}), encoding="utf-8")
    if converted.photos:
        outcome.notes.insert(0, f"图片 {len(converted.photos)} 张，放在 {_rel(files.photos, root)}/")
    if credits:
        outcome.notes.append("已从文中取出：" + "、".join(CREDIT_LABELS[k] for k in credits))
    return files.markdown


CREDIT_LABELS = {"author": "撰稿", "photographer": "摄影", "source": "来源", "editor": "责任编辑"}


def _claim(docs_dir: Path, draft: StoryDraft):
    """A free file name: another submission with the same title that month gets -2, -3 …"""
    for n in range(1, 10):
        candidate = draft if n == 1 else StoryDraft(draft.title, draft.date, draft.branches, draft.kind,
                                                    f"{draft.slug}-{n}")
        try:
            return claim_story_files(docs_dir, candidate)
        except ScaffoldError:
            continue
    raise NeedsAttention("同名稿件已有 9 篇，请改标题后再导入。")


# --- converting one submission ----------------------------------------------------------------------

def _convert(submission: Submission, tmp: Path) -> Converted:
    suffix = submission.path.suffix.lower()
    if suffix == ".docx":
        try:
            doc = convert_docx(submission.path, tmp, PLACEHOLDER)
        except Exception as exc:  # a damaged or mislabelled file: zipfile/XML errors of many kinds
            raise NeedsAttention(f"无法作为 Word 文档读取（{type(exc).__name__}）。请用 Word 或 WPS 打开后"
                                 "“另存为”.docx 再导入。") from exc
        converted = Converted(doc.title, doc.body, dict(doc.credits), list(doc.photos), doc.cover,
                              {doc.cover: doc.captions[doc.cover]} if doc.cover in doc.captions else {},
                              list(doc.notes))
    else:
        converted = _convert_text(submission.path, suffix)
    if not converted.title:
        _title_from_first_line(converted)
    _add_beside_photos(converted, submission.photos, tmp)
    return converted


def _title_from_first_line(converted: Converted) -> None:
    """Many Word files have their title as a bold first paragraph, not in the 标题 style."""
    first, _, rest = converted.body.partition("\n\n")
    line = re.sub(r"\*\*|\\", "", first).strip().lstrip("#").strip()
    if line and len(line) <= 40 and "\n" not in line and not re.search(r"[。！？；!?]$|!\[", line):
        converted.title = line
        converted.body = rest
        converted.notes.append(f"文档没有“标题”样式的段落，标题取自第一段“{line}”，请核对。")


def _convert_text(path: Path, suffix: str) -> Converted:
    raw = path.read_bytes()
    notes = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise NeedsAttention("文件不是 UTF-8 或 GBK 编码的文本，无法读取。请用记事本“另存为”UTF-8 后再导入。") from exc
        notes.append("原文件是 GBK 编码，已按 UTF-8 导入。")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict = {}
    if suffix == ".md":
        doc = parse_document(text, path.name, ProblemLog(), front_matter_required=False)
        if doc is None:
            raise NeedsAttention("开头的字段区（--- 之间）格式有误，请改正或删掉字段区后再导入。")
        meta, text = doc.meta, doc.body
        blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    else:  # plain text: one paragraph a line, as WeChat and mail clients paste it
        blocks = [line.strip() for line in text.split("\n") if line.strip()]
    title = str(meta.get("title") or "").strip()
    if not title and blocks:
        title = blocks.pop(0).lstrip("#").strip() if suffix == ".txt" or blocks[0].startswith("# ") else ""
    blocks, fields = take_credits(blocks)
    for key in ("author", "photographer", "source", "editor", "branch", "kind", "date"):
        if meta.get(key) not in (None, ""):
            fields[key] = meta[key] if key == "date" else str(meta[key])
    return Converted(title, "\n\n".join(blocks) + "\n", fields, [], notes=notes)


def _add_beside_photos(converted: Converted, photos: list[Path], tmp: Path) -> None:
    """Photos sent beside the document join its photo folder as NN.ext; a Chinese file name is a caption."""
    for source in photos:
        name = f"{len(converted.photos) + 1:02d}{source.suffix.lower()}"
        shutil.copy2(source, tmp / name)
        converted.photos.append(name)
        if _HAN.search(source.stem):
            converted.captions[name] = re.sub(r"^[\d\s._-]+", "", source.stem.split("-", 1)[-1]) or source.stem
        old = re.escape(source.name)
        converted.body = re.sub(rf"\]\((?:\./)?{old}\)", f"]({PLACEHOLDER}/{name})", converted.body)
        if f"{PLACEHOLDER}/{name}" in converted.body:
            converted.captions.pop(name, None)  # shown in the body with its own alt text
    if not converted.cover and converted.photos:
        converted.cover = converted.photos[0]


# --- branch, kind and date --------------------------------------------------------------------------

def _draft(root: Path, settings: ColumnSettings, submission: Submission, converted: Converted,
           branches: dict[str, Branch], defaults: Defaults, outcome: Outcome) -> StoryDraft:
    if not converted.title:
        raise NeedsAttention("没有找到标题。Word 里请把标题设为“标题”样式，文本文件请把标题写在第一行。")
    branch = (_branch(submission.folder_hint, branches) or _branch(converted.fields.get("branch", ""), branches)
              or defaults.branch)
    if not branch:
        folder = f"子文件夹名“{submission.folder_hint}”不是支部，" if submission.folder_hint else ""
        choices = "、".join(sorted(branches)[:12])
        raise NeedsAttention(f"不知道是哪个支部的稿件：{folder}请把它放进以支部命名的子文件夹（支部文件夹名、全称、简称"
                             f"或品牌名，现有：{choices}），或在文中写一行“支部：支部名称”，或运行时加 --branch。")
    kind = converted.fields.get("kind") or _kind_in(converted.title, settings) or defaults.kind
    if not kind:
        labels = "、".join(k.label for k in settings.kinds)
        raise NeedsAttention(f"不知道活动类型。请在文中写一行“活动类型：主题党日”（可写：{labels}），或运行时加 --kind。")
    date = _date(converted, defaults, outcome)
    return validate_story(root, settings, title=converted.title, date=date, branch=branch, kind=kind)


def _branch(name: str, branches: dict[str, Branch]) -> str:
    name = name.strip()
    if not name:
        return ""
    if name in branches:
        return name
    return next((b.slug for b in branches.values() if name in (b.name, b.short_name, b.brand)), "")


def _kind_in(title: str, settings: ColumnSettings) -> str:
    names = sorted(settings.kind_lookup(), key=len, reverse=True)
    return next((name for name in names if len(name) > 1 and name in title), "")


def _date(converted: Converted, defaults: Defaults, outcome: Outcome) -> str:
    written = converted.fields.get("date")
    if written:
        parsed = written if isinstance(written, dt.date) else _first_date(str(written))
        if parsed is None:
            raise NeedsAttention(f"日期“{written}”无法识别，请写成 2025-03-15 或 2025年3月15日。")
        return parsed.isoformat()
    found = _first_date(f"{converted.title}\n{converted.body}")
    if found is not None:
        outcome.notes.append(f"活动日期取自文中第一处日期 {found}，请核对。")
        return found.isoformat()
    if defaults.date:
        return defaults.date
    raise NeedsAttention("没有找到活动日期。请在文中写“2025年3月15日”或一行“日期：2025-03-15”，或运行时加 --date。")


def _first_date(text: str) -> dt.date | None:
    for match in _CHINESE_DATE.finditer(text):
        parts = [g for g in match.groups() if g]
        parsed = parse_date("-".join(parts))
        if parsed is not None:
            return parsed
    return None
