"""New stories and branches from a skeleton, checked with the same rules the build uses.

Files are written only after every value has passed; nothing existing is ever overwritten. The slug is
always written explicitly, so a story's URL never changes with a new pypinyin version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from dangjian_column.content.branches import BRANCHES_DIR, PROFILE_FILE, load_branches
from dangjian_column.content.fields import parse_date
from dangjian_column.content.slugs import is_valid_slug, slugify
from dangjian_column.content.stories import STORIES_DIR
from dangjian_column.model import ActivityKind, ColumnSettings
from dangjian_column.problems import ProblemLog


class ScaffoldError(Exception):
    """A value staff gave is not acceptable; the message says what to write instead (Chinese)."""


@dataclass(frozen=True)
class StoryDraft:
    title: str
    date: dt.date
    branches: tuple[str, ...]
    kind: ActivityKind
    slug: str

    @property
    def stem(self) -> str:
        """File and photo-folder name, as in content/stories/2025/2025-03-zhuti-dangri-chongzou.md."""
        return f"{self.date:%Y-%m}-{self.slug}"


@dataclass(frozen=True)
class StoryFiles:
    markdown: Path
    photos: Path

    def image_src(self, name: str) -> str:
        """How the story file refers to a photo in its folder."""
        return f"{self.photos.name}/{name}"


def validate_story(root: Path, settings: ColumnSettings, *, title: str, date: str, branch: str, kind: str,
                   slug: str = "") -> StoryDraft:
    """The checked values of a new story, or ScaffoldError naming the first bad one."""
    parsed = parse_date(date)
    if parsed is None:
        raise ScaffoldError(f"日期“{date}”无效，请写成 2025-03-15 这样的格式。")
    kind_found = settings.kind_lookup().get(kind.strip())
    if kind_found is None:
        labels = "、".join(k.label for k in settings.kinds)
        raise ScaffoldError(f"活动类型“{kind}”不在 column.yml 里，请写其中之一：{labels}。")
    slugs = tuple(s.strip() for s in branch.replace("，", ",").split(",") if s.strip())
    known = load_branches(root, ProblemLog())
    for name in slugs or ("",):
        if name not in known:
            choices = "、".join(sorted(known)[:12]) or "（还没有任何支部，请先运行 dangjian new branch）"
            raise ScaffoldError(f"支部“{name}”不存在。--branch 要写 branches/ 下的支部文件夹名，现有：{choices}。"
                                "双联稿件用逗号分开，例如 --branch zhibu-a,zhibu-b。")
    if not title.strip():
        raise ScaffoldError("标题不能为空。")
    slug = slug.strip() or slugify(title)
    if not is_valid_slug(slug):
        raise ScaffoldError(f"网址名“{slug}”只能用小写字母、数字和连字符，例如 chong-zou-di-zhi-lu。")
    return StoryDraft(title=title.strip(), date=parsed, branches=slugs, kind=kind_found, slug=slug)


def story_files(docs_dir: Path, draft: StoryDraft) -> StoryFiles:
    folder = docs_dir / STORIES_DIR / str(draft.date.year)
    return StoryFiles(markdown=folder / f"{draft.stem}.md", photos=folder / draft.stem)


def claim_story_files(docs_dir: Path, draft: StoryDraft) -> StoryFiles:
    """Create the photo folder; refuse when the story (or a non-empty photo folder) already exists."""
    files = story_files(docs_dir, draft)
    if files.markdown.exists():
        raise ScaffoldError(f"{files.markdown} 已存在，不会覆盖。请换一个 --slug，或直接编辑这个文件。")
    if files.photos.is_dir() and any(files.photos.iterdir()):
        raise ScaffoldError(f"照片文件夹 {files.photos} 已存在且不是空的，不会覆盖。请换一个 --slug。")
    files.photos.mkdir(parents=True, exist_ok=True)
    return files


def _value(value: object) -> str:
    """A YAML scalar, quoted only when needed (titles with colons, leading quotes …)."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip().removesuffix(
        "\n...").removesuffix("...").strip()


CREDIT_FIELDS = {"author": "撰稿人", "photographer": "摄影", "source": "来源单位", "editor": "责任编辑"}


def story_text(draft: StoryDraft, *, status: str = "待审", body: str = "", cover: str = "",
               credits: dict[str, str] | None = None, captions: dict[str, str] | None = None,
               source_file: dict[str, str] | None = None) -> str:
    """The story file. ``credits``: author/photographer/source/editor found in a submission; ``captions``:
    photo file name -> caption (the cover's, which has no place in the body); ``source_file``: what the
    submission was (name, sha256), so importing the same file again is recognised."""
    credits = credits or {}
    branch = draft.branches[0] if len(draft.branches) == 1 else list(draft.branches)
    lines = [
        "---",
        f"title: {_value(draft.title)}   # 标题（必填）",
        f"date: {draft.date.isoformat()}   # 活动日期（必填），年-月-日",
        f"status: {status}   # 审核状态：草稿 | 待审 | 已发布。审核通过后由审核人改为 已发布",
        f"branch: {_value(branch)}   # 所属支部（支部文件夹名）；双联稿件写成 [支部甲, 支部乙]",
        f"kind: {_value(draft.kind.label)}   # 活动类型，写 column.yml 中的名称",
        f"slug: {draft.slug}   # 网址名，已固定写出；发布后不要再改",
        "tags: []   # 标签，可选，例如 [红色教育, 野外一线]",
        "# description: 一两句话的摘要，显示在列表里；不写则自动取正文开头",
        f"cover: {cover}   # 封面图，相对于本文件" if cover else
        f"# cover: {draft.stem}/01.jpg   # 封面图：照片放进同名文件夹 {draft.stem}/",
        *(f"{key}: {_value(credits[key])}   # {label}" if credits.get(key) else f"# {key}: {label}"
          for key, label in CREDIT_FIELDS.items()),
        *_captions(captions or {}),
        *([f"source_file: {_value(source_file)}   # 投稿原件（dangjian import 写入，用来识别重复导入）"]
          if source_file else []),
        "---",
        "",
    ]
    return "\n".join(lines) + (body.rstrip() + "\n" if body.strip() else "正文从这里开始。段落之间空一行。\n")


def _captions(captions: dict[str, str]) -> list[str]:
    if not captions:
        return []
    return ["photos:   # 照片说明（来自 Word 的图片说明），可修改", *(f"  - {_value({f'{name}': text})[1:-1]}"
                                                             for name, text in captions.items())]


BRANCH_SKELETON = """---
name: {name}   # 支部全称（必填）
short_name: {short_name}   # 简称，用在列表和卡片上
brand: {brand}   # 品牌名称（必填）
# slogan: 品牌理念或口号
# logo: logo.png   # 品牌标识图片，放在本文件夹里（建议正方形，至少 256×256 像素）
# parent: 所属单位
# category: 支部类别，如 机关支部、项目一线
# order: 100   # 在品牌墙上的顺序，数字小的在前
# highlights:   # 品牌亮点：每项一句话，或写 title、text 和 theme
#   - title: 亮点名称
#     text: 一两句说明
#     theme: 在“亮点墙”上归入的主题（最好写稿件用过的标签或活动类型）
# experiences:   # 经验做法：写法同上
#   - title: 做法名称
#     text: 一两句说明
# honours:   # 荣誉：年份 + 名称
#   - year: 2025
#     title: 荣誉名称
# pairings:   # 双联：结对的支部（写支部文件夹名）或外部单位（写名称）
#   - branch: 另一个支部的文件夹名
#     note: 上下级单位支部双联
#   - partner: 某某社区党委
#     note: 联合共建
---
这里写品牌故事：品牌的由来、内涵和成效，几段文字即可，可以用 `## 小标题`。
"""


def new_branch(root: Path, *, slug: str, name: str, brand: str, short_name: str = "") -> Path:
    if not is_valid_slug(slug):
        raise ScaffoldError(f"支部标识“{slug}”会成为网址，只能用小写字母、数字和连字符，例如 dizhi-xianfeng。")
    if not name.strip() or not brand.strip():
        raise ScaffoldError("支部全称（--name）和品牌名称（--brand）都不能为空。")
    folder = root / BRANCHES_DIR / slug
    if folder.exists():
        raise ScaffoldError(f"支部文件夹 {folder} 已存在，不会覆盖。请换一个支部标识，或直接编辑 {folder / PROFILE_FILE}。")
    folder.mkdir(parents=True)
    path = folder / PROFILE_FILE
    path.write_text(BRANCH_SKELETON.format(name=_value(name.strip()), brand=_value(brand.strip()),
                                           short_name=_value((short_name or name).strip())), encoding="utf-8")
    return path
