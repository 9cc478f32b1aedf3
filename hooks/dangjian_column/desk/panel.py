"""The preview's 写稿台 panel on a story page: that file's problems, worded as `dangjian check` words them,
and a link back to the story in the desk. Only `dangjian serve`'s preview has it (never a build)."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import frontmatter

from dangjian_column.content.fields import parse_date
from dangjian_column.content.slugs import is_valid_slug, slugify
from dangjian_column.content.stories import STORIES_DIR
from dangjian_column.desk.config import DOCS_DIR
from dangjian_column.problems import LEVEL_LABELS, ProblemLog


@dataclass(frozen=True)
class PanelLine:
    level: str  # error | warning | info, for the style
    label: str  # 错误 / 警告 / 提示
    text: str  # the whole line as `dangjian check` prints it


@dataclass(frozen=True)
class DeskPanel:
    lines: tuple[PanelLine, ...]
    edit_url: str
    path: str


def story_panel(problems: ProblemLog, src_uri: str, desk_url: str) -> DeskPanel:
    path = f"{DOCS_DIR}/{src_uri}"
    lines = tuple(PanelLine(p.level, LEVEL_LABELS[p.level], p.format()) for p in problems if p.path == path)
    entry = src_uri.removeprefix(f"{STORIES_DIR}/").removesuffix(".md")
    return DeskPanel(lines=lines, edit_url=f"{desk_url}#/collections/stories/entries/{entry}", path=path)


STAND_IN_PAGE = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>暂不能预览 · {title}</title>
<style>body{{font:16px/1.7 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}}
.dj-desk-panel{{padding:.6rem .9rem;border:1px solid #8d6e00;border-radius:.2rem;background:#fff8e1}}
.dj-desk-panel__error{{color:#b71c1c;font-weight:700}}</style></head>
<body><aside class="dj-desk-panel" aria-labelledby="dj-desk-title">
<h1 id="dj-desk-title">写稿台检查结果（仅预览可见）</h1>
<p>{path} 有错误，这篇稿件暂时不能预览，也不会发布。改正下面的问题并保存后，这里会自动换成稿件页面：</p>
<ul>{lines}</ul>
<p><a href="{edit_url}" rel="nofollow">回到写稿台修改这篇稿件</a></p>
</aside></body></html>
"""


def stand_in_pages(docs_dir: Path, problems: ProblemLog, published: Callable[[str], object],
                   desk_url: str, title: str) -> dict[str, str]:
    """A story kept out of the preview by an error has no page to carry the panel, so the preview puts a
    plain page with its problems at the address the story would have (dest path -> HTML)."""
    pages: dict[str, str] = {}
    stories = docs_dir / STORIES_DIR
    for path in sorted(stories.glob("*/*.md")) if stories.is_dir() else ():
        src_uri = path.relative_to(docs_dir).as_posix()
        panel = story_panel(problems, src_uri, desk_url)
        if published(src_uri) is not None or not panel.lines:
            continue
        pages.setdefault(f"{intended_url(path)}index.html", _stand_in(panel, title))
    return pages


def intended_url(path: Path) -> str:
    """The address a story file would be published at (stories/<year>/<slug>/), read as leniently as it can be:
    the date's year or else the folder's, ``slug:`` or else the title's pinyin or else the file name."""
    try:
        meta = frontmatter.loads(path.read_text(encoding="utf-8", errors="replace")).metadata
    except Exception:  # a broken front matter is what the page is about; any address of the file will do
        meta = {}
    date = parse_date(str(meta.get("date", "")))
    year = date.year if date else path.parent.name
    slug = str(meta.get("slug") or "").strip()
    if not is_valid_slug(slug):
        slug = slugify(str(meta.get("title") or "")) or path.stem
    return f"{STORIES_DIR}/{year}/{slug}/"


def _stand_in(panel: DeskPanel, title: str) -> str:
    lines = "".join(f'<li class="dj-desk-panel__{line.level}">{html.escape(line.text)}</li>' for line in panel.lines)
    return STAND_IN_PAGE.format(title=html.escape(title), path=html.escape(panel.path), lines=lines,
                                edit_url=html.escape(panel.edit_url, quote=True))
