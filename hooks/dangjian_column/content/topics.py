"""Special topics (专题) from ``topics/<slug>/index.md``, and which published stories each one holds.

Topics follow the branch convention (content/branches.py): a folder at the project root whose name is
the slug and the URL (``topics/<slug>/``, stable however the title changes), the profile in
``index.md`` (front matter + an introduction as body), its banner photo beside it. They are not under
``content/`` because they are not pages MkDocs renders as they are: like branch pages, the topic page is
generated (the introduction, then the paginated stories).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from dangjian_column.content.fields import FieldReader
from dangjian_column.content.reference_check import checked_body, profile_scope
from dangjian_column.content.slugs import is_valid_slug
from dangjian_column.content.sourcefile import read_document
from dangjian_column.model import Branch, ColumnSettings, Story, Topic
from dangjian_column.problems import ProblemLog

TOPICS_DIR = "topics"
PROFILE_FILE = "index.md"
TOPIC_FIELDS = {
    "title": "专题名称",
    "description": "专题简介",
    "banner": "专题题图",
    "start": "开始日期",
    "end": "结束日期",
    "tags": "按标签收录",
    "kinds": "按活动类型收录",
    "branches": "按支部收录",
    "stories": "指定稿件",
    "order": "排序",
}


def load_topics(root: Path, settings: ColumnSettings, branches: dict[str, Branch], log: ProblemLog
                ) -> dict[str, Topic]:
    """Every valid topic, in display order (``order``, then the newest ``start`` first, then slug)."""
    base = root / TOPICS_DIR
    if not base.is_dir():
        return {}
    topics = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        topic = load_topic(folder, settings, branches, log)
        if topic is not None:
            topics.append(topic)
    topics.sort(key=lambda t: (t.order, -(t.start.toordinal() if t.start else 0), t.slug))
    return {t.slug: t for t in topics}


def load_topic(folder: Path, settings: ColumnSettings, branches: dict[str, Branch], log: ProblemLog
               ) -> Topic | None:
    slug = folder.name
    rel_folder = f"{TOPICS_DIR}/{slug}"
    rel_path = f"{rel_folder}/{PROFILE_FILE}"
    if not is_valid_slug(slug):
        log.add(rel_folder, f"专题文件夹名“{slug}”会成为网址，只能用小写字母、数字和连字符（例如 dangji-xuexi-2026）。"
                "请改名后再构建。")
        return None
    if not (folder / PROFILE_FILE).exists():
        log.add(rel_folder, f"专题文件夹缺少 {PROFILE_FILE}，这个专题不会显示。请参照 AUTHORING.md“十二、专题”新建。")
        return None
    doc = read_document(folder / PROFILE_FILE, rel_path, log)
    if doc is None:
        return None
    fields = FieldReader(doc, rel_path, log, TOPIC_FIELDS)
    fields.unknown_keys(TOPIC_FIELDS)
    title = fields.text("title", required=True, hint="请写专题名称，例如 title: 党纪学习教育专题。")
    start, end = fields.date("start"), fields.date("end")
    if start and end and end < start:
        fields.problem("end", f"结束日期 {end} 早于开始日期 {start}，请核对。")
    if fields.failed:
        return None
    return Topic(
        slug=slug, source_path=rel_path, title=title,
        body=checked_body(doc.body, doc.body_line, profile_scope(folder.parents[1], rel_path, "专题"), rel_path,
                          rel_path, log),
        description=fields.text("description"),
        banner=_banner(fields, folder, rel_folder), start=start, end=end, tags=fields.text_list("tags"),
        kinds=_kinds(fields, settings), branches=_branches(fields, branches), stories=_explicit(fields),
        order=fields.integer("order", 1000),
    )


def _banner(fields: FieldReader, folder: Path, rel_folder: str) -> str:
    banner = fields.text("banner")
    if not banner:
        return ""
    if "://" in banner or not (folder / banner).is_file():
        fields.problem("banner", f"专题题图 {rel_folder}/{banner} 不存在。请把图片放进专题文件夹，"
                                 "或改正 banner 字段里的文件名（注意大小写和扩展名）。", level="warning")
        return ""
    return f"{rel_folder}/{banner}"


def _kinds(fields: FieldReader, settings: ColumnSettings) -> tuple[str, ...]:
    lookup = settings.kind_lookup()
    keys = []
    for name in fields.text_list("kinds"):
        kind = lookup.get(name)
        if kind is None:
            labels = "、".join(k.label for k in settings.kinds)
            fields.problem("kinds", f"kinds 里的活动类型“{name}”不在 column.yml 里，已忽略。可写：{labels}。",
                           level="warning")
        elif kind.key not in keys:
            keys.append(kind.key)
    return tuple(keys)


def _branches(fields: FieldReader, branches: dict[str, Branch]) -> tuple[str, ...]:
    slugs = []
    for name in fields.text_list("branches"):
        slug = name if name in branches else next(
            (b.slug for b in branches.values() if name in (b.name, b.short_name, b.brand)), "")
        if not slug:
            fields.problem("branches", f"branches 里的支部“{name}”不存在，已忽略。请写 branches/ 下的支部文件夹名。",
                           level="warning")
        elif slug not in slugs:
            slugs.append(slug)
    return tuple(slugs)


def _explicit(fields: FieldReader) -> tuple[tuple[str, int], ...]:
    first = fields.doc.line_of("stories")
    return tuple((ref, first + i + 1) for i, ref in enumerate(fields.text_list("stories")))


def story_key(ref: str) -> str:
    """A reference as staff write it, reduced to what identifies a story.

    ``content/stories/2026/x.md``, ``stories/2026/x.md`` and ``2026/x.md`` name the file (-> its src_uri,
    ``stories/2026/x.md``); ``https://…/dangjian/stories/2026/slug/`` or ``/stories/2026/slug`` name the URL
    (-> ``stories/2026/slug/``).
    """
    path = urlsplit(ref.strip()).path if "://" in ref else ref.strip()
    path = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    at = path.find("stories/")
    path = path[at:] if at >= 0 else f"stories/{path}"
    return path if path.endswith(".md") else path.rstrip("/") + "/"


def topic_stories(topic: Topic, published: list[Story], withheld: list[Story], log: ProblemLog) -> list[Story]:
    """The explicit list in its order, then the selected stories newest first (``published`` is newest first)."""
    known = {key: s for s in published for key in (s.src_uri, s.url)}
    held = {key for s in withheld for key in (s.src_uri, s.url)}
    chosen: dict[str, Story] = {}  # src_uri -> story, in the topic's order
    for ref, line in topic.stories:
        key = story_key(ref)
        story = known.get(key)
        if story is not None:
            chosen.setdefault(story.src_uri, story)
        elif key in held:
            log.add(topic.source_path, f"指定稿件“{ref}”尚未发布（或已撤稿、已到期），暂不列入专题。", level="info",
                    line=line, field="stories")
        else:
            log.add(topic.source_path, f"指定稿件“{ref}”找不到。请写稿件文件路径（如 content/stories/2026/xxx.md）"
                    "或稿件网址（如 stories/2026/xxx/）。", level="warning", line=line, field="stories")
    if topic.selects:
        for story in published:
            if story.src_uri not in chosen and _selected(topic, story):
                chosen[story.src_uri] = story
    return list(chosen.values())


def _selected(topic: Topic, story: Story) -> bool:
    if (topic.start and story.date < topic.start) or (topic.end and story.date > topic.end):
        return False
    if not (topic.tags or topic.kinds or topic.branches):
        return True  # a date range alone: every story in it
    return (story.kind.key in topic.kinds or any(t in topic.tags for t in story.tags)
            or any(b in topic.branches for b in story.branches))
