"""The preview's 写稿台 panel on a story page: that file's problems, worded as `dangjian check` words them,
and a link back to the story in the desk. Only `dangjian serve`'s preview has it (never a build)."""

from __future__ import annotations

from dataclasses import dataclass

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
