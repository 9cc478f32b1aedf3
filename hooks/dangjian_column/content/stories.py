"""Loading activity stories from ``content/stories/**.md``."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections.abc import Callable
from pathlib import Path

from dangjian_column.config.review import ReviewSettings
from dangjian_column.config.settings import today_in
from dangjian_column.content.branches import branches_named
from dangjian_column.content.fields import FieldReader, parse_date
from dangjian_column.content.photos import Photo, read_gallery
from dangjian_column.content.reference_check import BodyReferences, check_references
from dangjian_column.content.references import Reference, find_references, without
from dangjian_column.content.reviews import (
    ReviewStanding,
    item_lines,
    read_entries,
    single_level_reviewers,
    standing,
)
from dangjian_column.content.slugs import is_valid_slug, load_slug_cache, save_slug_cache, slugify
from dangjian_column.content.sourcefile import project_path, read_document
from dangjian_column.content.status import closest_status, parse_status, status_choices
from dangjian_column.content.storycache import StoryCache
from dangjian_column.content.tags import story_tags
from dangjian_column.content.textstats import count_characters, plain_text, summarize
from dangjian_column.content.video import read_video
from dangjian_column.model import Branch, ColumnSettings, Story
from dangjian_column.problems import ProblemLog

STORIES_DIR = "stories"
Lint = Callable[[str, str, ProblemLog], bool]  # (rel_path, file text, where to report) -> hold it back

STORY_FIELDS = {
    "title": "标题",
    "date": "活动日期",
    "branch": "所属支部",
    "kind": "活动类型",
    "tags": "标签",
    "description": "摘要",
    "cover": "封面图",
    "author": "撰稿",
    "photographer": "摄影",
    "source": "来源",
    "editor": "责任编辑",
    "reviews": "审核记录",
    "source_file": "投稿原件",
    "slug": "网址名",
    "draft": "草稿",
    "status": "审核状态",
    "photos": "照片说明",
    "video": "视频",
    "expires": "下线日期",
    "pin": "置顶",
}
# Keys MkDocs/Material understand on any page; allowed so staff may use them, never required.
# (Material's own page ``status`` is not among them: here ``status`` is the review status.)
PASSTHROUGH_FIELDS = {"hide", "search", "template", "icon", "subtitle"}


def story_source_paths(docs_dir: Path) -> list[str]:
    """Every story file, hidden folders and files left out, in path order (folder by folder). Strings and
    os.walk: rglob's Path objects cost 10× at 9,000 stories."""
    found: list[list[str]] = []
    for parent, folders, files in os.walk(docs_dir / STORIES_DIR):
        folders[:] = [f for f in folders if not f.startswith(".")]
        found.extend(os.path.join(parent, name).split(os.sep) for name in files
                     if name.endswith(".md") and not name.startswith("."))
    return [os.sep.join(parts) for parts in sorted(found)]


def load_stories(root: Path, docs_dir: Path, settings: ColumnSettings, branches: dict[str, Branch],
                 log: ProblemLog, branch_folders: set[str] | None = None,
                 lint: Lint | None = None,
                 review: ReviewSettings | None = None, today: dt.date | None = None,
                 cache: StoryCache | None = None) -> list[Story]:
    """Every valid story. ``lint(rel_path, text, log)`` sees each valid story's file text as it is read and
    returns True to hold the story back (a wording error). ``today`` dates the review signatures.
    ``cache`` (the preview's) hands back stories whose files did not change since it last read them."""
    kinds = settings.kind_lookup()
    review = review or settings.review  # read (and reported on) once, with column.yml
    today = today or today_in(settings.timezone)
    folders = branch_folders or set()

    def load(path: Path, into: ProblemLog) -> Story | None:
        return load_story(root, docs_dir, path, kinds, branches, into, folders, review, lint, today)

    sources = story_source_paths(docs_dir)
    load_slug_cache(root)  # slugs from the titles of earlier builds (keyed by the title, never stale)
    if cache is None:
        stories = [story for path in sources if (story := load(Path(path), log)) is not None]
    else:
        stories = cache.load_all(sources, docs_dir, (today, settings, branches, folders), load, log)
    if cache is None or len(cache.reloaded) == len(sources):  # the file keeps every title only when all were read
        save_slug_cache(root)
    return stories


def load_story(root: Path, docs_dir: Path, path: Path, kinds: dict, branches: dict[str, Branch],
               log: ProblemLog, branch_folders: set[str], review: ReviewSettings | None = None,
               lint: Lint | None = None, today: dt.date | None = None) -> Story | None:
    rel_path = project_path(path, root)
    src_uri = path.relative_to(docs_dir).as_posix()
    doc = read_document(path, rel_path, log)
    if doc is None:
        return None
    fields = FieldReader(doc, rel_path, log, STORY_FIELDS)
    fields.unknown_keys(STORY_FIELDS.keys() | PASSTHROUGH_FIELDS)
    title = fields.text("title", required=True, hint="请写稿件标题，例如 title: 区调一支部开展主题党日活动。")
    date = fields.date("date", required=True)
    branch_slugs = _branches(fields, branches, branch_folders)
    kind = _kind(fields, kinds)
    slug = _slug(fields, title)
    review = review or ReviewSettings()
    status = _status(fields, review)
    expires = fields.date("expires")  # a bad date is an error: better held back than shown past its end
    pin_until = _pin(fields)
    entries = _reviews(fields)
    status, on_record = _review_standing(fields, review, status, entries, today or dt.date.today(), date)
    # Every field is checked before deciding, so one run reports all of the file's problems.
    if date is not None:
        _check_year_folder(fields, src_uri, date.year)
    found = find_references(doc.body)
    references = _references(fields, found, docs_dir, src_uri)
    body = without(doc.body, references.refused) if references.refused else doc.body
    description = fields.text("description")
    cover = _cover(fields, docs_dir, src_uri)
    photos, gallery, captions = _photos(fields, cover, references.images, docs_dir, src_uri, title)
    video, video_problem = read_video(fields.meta.get("video"), src_uri, docs_dir, root, title)
    if video_problem:
        fields.problem("video", video_problem, level="warning")
    held = lint is not None and lint(rel_path, doc.text, log)  # an error-level wording hit holds the story back
    if fields.failed or date is None or kind is None or not slug or held:
        return None
    text = plain_text(doc.body, found)  # every image and link goes, refused or not
    return Story(
        source_path=rel_path,
        src_uri=src_uri,
        title=title,
        date=date,
        branches=branch_slugs,
        kind=kind,
        slug=slug,
        body=body,  # without the images and links it may not show (reported above)
        tags=story_tags(fields.text_list("tags")),
        description=description or summarize(text),
        description_written=bool(description),
        cover=cover,
        photos=photos,
        gallery=gallery,
        captions=captions,
        video=video,
        author=fields.text("author"),
        photographer=fields.text("photographer"),
        source=fields.text("source"),
        editor=fields.text("editor"),
        status=status,
        expires=expires,
        pin_until=pin_until,
        reviews=entries,
        standing=on_record,
        reviewers=tuple(e.name for e in on_record.signed) if on_record else single_level_reviewers(entries),
        char_count=count_characters(text),
        extra_meta={k: v for k, v in doc.meta.items() if k in PASSTHROUGH_FIELDS},
        key_lines=doc.key_lines,
        page_links=_page_links(found, references.refused),
    )


def _page_links(found: list[Reference], refused: list[Reference]) -> tuple[str, ...]:
    """The body's links to other pages of the column (``.md``), without #part or ?query."""
    targets = (r.target.split("#", 1)[0].split("?", 1)[0] for r in found if r.kind == "link" and r not in refused)
    return tuple(t for t in targets if t.endswith(".md") and "://" not in t)


def _branches(fields: FieldReader, branches: dict[str, Branch], branch_folders: set[str]) -> tuple[str, ...]:
    slugs = fields.text_list("branch")
    if not slugs:
        fields.failed = True
        fields.log.add(fields.rel_path, "缺少必填字段 branch（所属支部）。请写支部文件夹名，例如 branch: dizhi-xianfeng；"
                       "双联稿件写成列表 branch: [支部甲, 支部乙]。", line=1, field="branch")
        return ()
    known = []
    for slug in slugs:
        if slug in branches:
            if slug not in known:
                known.append(slug)
            continue
        by_name = branches_named(slug, branches)
        if len(by_name) == 1:
            fields.problem("branch", f"branch 要写支部文件夹名，不是中文名称：请把“{slug}”改成 {by_name[0]}。")
        elif by_name:
            fields.problem("branch", f"branch 要写支部文件夹名，不是中文名称；“{slug}”是 {len(by_name)} 个支部共用的名称，"
                                     f"请改成其中一个文件夹名：{'、'.join(by_name)}。")
        elif slug in branch_folders:
            fields.problem("branch", f"支部 {slug} 的文件夹缺少或写错了品牌档案 branches/{slug}/index.md，"
                                     "请先修好它（见同一次构建里关于该文件的提示）。")
        else:
            choices = "、".join(sorted(branches)[:12]) or "（还没有任何支部）"
            fields.problem("branch", f"所属支部“{slug}”不存在。branch 要写 branches/ 下的支部文件夹名，"
                                     f"现有：{choices}。")
    return tuple(known)


def _kind(fields: FieldReader, kinds: dict):
    name = fields.text("kind", required=True, hint="请写活动类型，例如 kind: 主题党日。")
    if not name:
        return None
    kind = kinds.get(name)
    if kind is None:
        labels = "、".join(dict.fromkeys(k.label for k in kinds.values()))
        fields.problem("kind", f"活动类型“{name}”不在栏目配置 column.yml 里。请改成其中之一：{labels}；"
                               "如需新类型，请管理员在 column.yml 的 kinds 中添加。")
    return kind


def _slug(fields: FieldReader, title: str) -> str:
    explicit = fields.text("slug")
    if explicit:
        if not is_valid_slug(explicit):
            fields.problem("slug", f"slug“{explicit}”会成为网址，只能用小写字母、数字和连字符，例如 chong-zou-di-zhi-lu。")
            return ""
        return explicit
    slug = slugify(title)
    if title and not slug:
        fields.problem("slug", "无法从标题生成网址名，请在 front matter 里写 slug（小写字母、数字和连字符）。")
    return slug


def _cover(fields: FieldReader, docs_dir: Path, src_uri: str) -> str:
    cover = fields.text("cover")
    if not cover:
        return ""
    if "://" in cover:
        fields.problem("cover", "封面图不能引用其他网站的图片（政府网站不得加载第三方资源）。请把图片放进稿件的图片文件夹。")
        return ""
    site_path = posixpath.normpath(cover.lstrip("/") if cover.startswith("/")
                                   else posixpath.join(posixpath.dirname(src_uri), cover))
    if site_path.startswith("..") or not (docs_dir / site_path).is_file():
        fields.problem("cover", f"封面图 {cover} 不存在（按稿件所在文件夹查找：content/{site_path}）。"
                                "请检查文件名、大小写和扩展名，或删掉 cover 这一行。", level="warning")
        return ""
    return site_path


def _references(fields: FieldReader, found: list[Reference], docs_dir: Path, src_uri: str) -> BodyReferences:
    """The body's images and links, each refused one reported where it is written."""
    references = check_references(found, docs_dir, src_uri)
    for line, message in references.problems:
        fields.log.add(fields.rel_path, message, level="warning", line=fields.doc.body_line + line - 1, field="body")
    return references


def _photos(fields: FieldReader, cover: str, inline: list[Photo], docs_dir: Path, src_uri: str, title: str
            ) -> tuple[tuple[str, ...], tuple[Photo, ...], dict[str, str]]:
    """All local images the story shows (cover, body, gallery), its gallery, and their captions."""
    shown = {cover, *(p.site_path for p in inline)} - {""}
    gallery, listed = read_gallery(fields, docs_dir, src_uri, shown)
    _report_missing_captions(fields, [*inline, *gallery], title)
    paths = dict.fromkeys([cover] if cover else [])
    paths.update(dict.fromkeys(p.site_path for p in (*inline, *gallery)))
    captions = {**listed, **{p.site_path: p.caption for p in (*gallery, *inline) if p.caption}}
    return tuple(paths), gallery, captions


def _report_missing_captions(fields: FieldReader, photos: list[Photo], title: str) -> None:
    bare = [posixpath.basename(p.site_path) for p in photos if not p.caption]
    if bare:
        names = "、".join(bare[:6]) + ("等" if len(bare) > 6 else "")
        fields.log.add(fields.rel_path, f"{len(bare)} 张照片没有说明文字（{names}），页面上会用“{title}（图N）”"
                       "作为替代文字。请在 photos: 里写“- 文件名: 说明”，正文图片写在 ![说明](文件名) 的方括号里。",
                       level="info", field="photos", line=fields.doc.line_of("photos") or 1)


def _status(fields: FieldReader, review: ReviewSettings) -> str:
    """``status`` wins; the older ``draft: true`` still keeps a story back."""
    if fields.boolean("draft"):
        return "draft"
    raw = fields.meta.get("status")
    status = parse_status(raw, review)
    if status is None:
        # Never the default status: with default_status: published an unknown word would publish.
        close = closest_status(raw, review)
        guess = f"是否想写“{close}”？" if close else ""
        fields.problem("status", f"审核状态 status 的值“{raw}”不是栏目配置里的状态。{guess}请写 {status_choices(review)} "
                                 f"之一（其他叫法可由管理员写进 column.yml 的 review.aliases）；"
                                 f"本篇暂按“{review.label('review')}”处理，不会发布。", level="warning")
        return "review"
    return status


def _check_year_folder(fields: FieldReader, src_uri: str, year: int) -> None:
    parts = src_uri.split("/")
    if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) != year:
        fields.problem("date", f"稿件放在 {parts[1]} 年的文件夹里，但日期是 {year} 年。请核对日期，"
                               f"或把文件移到 content/stories/{year}/。", level="warning")


def _pin(fields: FieldReader) -> dt.date | None:
    """``pin: true`` pins for good, ``pin: 2026-12-31`` through that day, ``pin: false`` or none not at all."""
    value = fields.meta.get("pin")
    if value is None or value == "" or value is False:
        return None
    if value is True or str(value).strip().lower() in ("是", "yes", "true"):
        return dt.date.max
    if str(value).strip().lower() in ("否", "no", "false"):
        return None
    until = parse_date(value)
    if until is None:
        fields.problem("pin", f"置顶 pin 的值“{value}”无法识别。长期置顶写 pin: true，置顶到某天写 pin: 2026-12-31；"
                              "本篇暂不置顶。", level="warning")
    return until


def _review_report(fields: FieldReader):
    def report(message: str, line: int) -> None:
        fields.log.add(fields.rel_path, message, level="warning", line=line or fields.doc.line_of("reviews"),
                       field="reviews")
    return report


def _reviews(fields: FieldReader) -> tuple:
    lines = item_lines(fields.doc.text, fields.doc.line_of("reviews")) if "reviews" in fields.doc.key_lines else ()
    return read_entries(fields.meta.get("reviews"), _review_report(fields), lines)


def _review_standing(fields: FieldReader, review: ReviewSettings, status: str, entries: tuple,
                     today: dt.date, date: dt.date | None) -> tuple[str, ReviewStanding | None]:
    """With levels configured the signatures decide; ``status`` then only keeps a draft back."""
    if date is None or not review.on_record_for(date):
        return status, None
    where = standing(entries, review, today, _review_report(fields))
    if status not in ("review", "published"):  # a draft (or any status added later) is never signed into print
        return status, where
    if where.complete:
        return "published", where
    if status == "published" and "status" in fields.meta:
        fields.problem("status", f"已启用分级审核（column.yml 的 review.levels），status: {review.label('published')} "
                                 f"不能代替签署：本篇{where.summary()}，暂不发布。请用 dangjian approve 记录审核。",
                       level="warning")
    return "review", where
