"""Decap CMS's configuration, generated from the content model so nothing is written by hand twice.

Every choice staff make from a list comes from the project: branches by their Chinese names (the value
stored is the folder slug, as the content model wants), activity kinds by their column.yml labels,
status by the configured labels, tags already used offered in the hint.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from dangjian_column.commands.new import CREDIT_FIELDS
from dangjian_column.content.branches import BRANCHES_DIR, load_branches
from dangjian_column.content.stories import STORIES_DIR
from dangjian_column.desk.tags import known_tags
from dangjian_column.model import Branch, ColumnSettings
from dangjian_column.problems import ProblemLog

DOCS_DIR = "content"
STORY_FOLDER = f"{DOCS_DIR}/{STORIES_DIR}"
# The file and photo-folder name `dangjian new story` makes: content/stories/<year>/<year>-<month>-<slug>.md
STORY_PATH = "{{year}}/{{year}}-{{month}}-{{slug}}"
SLUG_PATTERN = ["^[a-z0-9]+(-[a-z0-9]+)*$", "网址名只能用小写字母、数字和连字符，例如 chong-zou-di-zhi-lu"]


def desk_config(root: Path, settings: ColumnSettings, *, api_url: str, site_url: str = "") -> dict:
    """The whole config.yml Decap reads at /admin/config.yml."""
    branches = load_branches(root, ProblemLog())
    config = {
        "backend": {"name": "proxy", "proxy_url": api_url},  # our Python local backend, no git, no account
        "publish_mode": "simple",
        "locale": "zh_Hans",
        "load_config_file": False,
        # Decap needs a site-wide media folder; every collection below keeps its own beside each file.
        "media_folder": STORY_FOLDER,
        "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [story_collection(settings, branches, known_tags(root / DOCS_DIR)), branch_collection()],
    }
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    return config


def config_yaml(config: dict) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=10_000)


def story_collection(settings: ColumnSettings, branches: dict[str, Branch], tags: list[str]) -> dict:
    return {
        "name": "stories",
        "label": "活动稿件",
        "label_singular": "稿件",
        "folder": STORY_FOLDER,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "path": STORY_PATH,
        "slug": "{{fields.slug}}",
        "identifier_field": "title",
        # photos go into the story's own folder, named like the file (the content model's convention)
        "media_folder": "{{filename}}",
        "public_folder": "{{filename}}",
        "summary": "{{date | date('YYYY-MM-DD')}} {{title}}（{{status}}）",
        # the desk's 查看 link: the story's page in the preview (or its problems, while an error keeps it out)
        "preview_path": "stories/{{year}}/{{fields.slug}}/",
        "sortable_fields": ["date", "title"],
        "editor": {"preview": False},  # the preview that counts is the site's own page, after the rebuild
        "view_groups": [{"label": "年份", "field": "date", "pattern": r"\d{4}"}],
        "fields": story_fields(settings, branches, tags),
    }


def story_fields(settings: ColumnSettings, branches: dict[str, Branch], tags: list[str]) -> list[dict]:
    labels = settings.review.labels
    return [
        {"name": "title", "label": "标题", "widget": "string"},
        {"name": "date", "label": "活动日期", "widget": "datetime", "date_format": "YYYY-MM-DD",
         "time_format": False, "format": "YYYY-MM-DD", "picker_utc": True},
        {"name": "status", "label": "审核状态", "widget": "select", "default": labels["review"],
         "options": [labels[key] for key in ("draft", "review", "published", "withdrawn")],
         "hint": "写完选“" + labels["review"] + "”送审；只有审核人改为“" + labels["published"] + "”后才会发布"},
        {"name": "branch", "label": "所属支部", "widget": "select", "multiple": True, "min": 1,
         "options": branch_options(branches), "hint": "双联稿件选两个（或更多）支部"},
        {"name": "kind", "label": "活动类型", "widget": "select",
         "options": [{"label": k.label, "value": k.label} for k in settings.kinds]},
        # dj-slug (desk/admin.py): a text field that offers the title's pinyin when the writer reaches it
        {"name": "slug", "label": "网址名", "widget": "dj-slug", "pattern": SLUG_PATTERN,
         "hint": "点这里会按标题自动填上拼音（小写字母和连字符，例如 chong-zou-di-zhi-lu），可以改短；"
                 "它也是文件名的一部分，发布后不要再改"},
        {"name": "tags", "label": "标签", "widget": "list", "required": False, "default": [],
         "hint": "多个标签用逗号分开。" + (f"已有标签：{'、'.join(tags)}" if tags else "例如 红色教育, 野外一线")},
        {"name": "description", "label": "摘要", "widget": "text", "required": False,
         "hint": "一两句话，显示在列表里；不写则自动取正文开头"},
        {"name": "cover", "label": "封面图", "widget": "image", "required": False, "choose_url": False},
        {"name": "photos", "label": "活动照片的说明和顺序", "widget": "list", "required": False,
         "summary": "{{fields.file}}：{{fields.caption}}",
         "hint": "照片文件夹里其余的照片排在正文下方；这里给它们写说明、定顺序",
         "fields": [
             # stored as <name>/03.jpg, which photos: reads like cover: (from the story's folder)
             {"name": "file", "label": "照片", "widget": "image", "choose_url": False},
             {"name": "caption", "label": "说明", "widget": "string", "required": False},
         ]},
        {"name": "video", "label": "活动视频", "widget": "string", "required": False,
         "hint": "照片文件夹里的 MP4 文件（如 2025-03-xxx/huodong.mp4），或视频号链接 https://…"},
        *({"name": key, "label": label, "widget": "string", "required": False}
          for key, label in CREDIT_FIELDS.items()),
        {"name": "body", "label": "正文", "widget": "markdown", "modes": ["rich_text", "raw"],
         "buttons": ["bold", "italic", "heading-two", "heading-three", "quote", "bulleted-list",
                     "numbered-list", "link"], "editor_components": ["image"]},
    ]


def branch_options(branches: dict[str, Branch]) -> list[dict]:
    """The branches by their Chinese names, in brand-wall order; the stored value is the folder slug."""
    ordered = sorted(branches.values(), key=lambda b: (b.order, b.slug))
    return [{"label": f"{b.name}（{b.brand}）" if b.brand else b.name, "value": b.slug} for b in ordered]


def branch_collection() -> dict:
    return {
        "name": "branches",
        "label": "支部品牌档案",
        "label_singular": "支部",
        "folder": BRANCHES_DIR,
        # a new branch needs its folder slug checked against the others: `dangjian new branch` does that
        "create": False,
        "extension": "md",
        "format": "frontmatter",
        "path": "{{slug}}/index",
        "media_folder": "",
        "public_folder": "",
        "identifier_field": "name",
        "editor": {"preview": False},
        "summary": "{{name}}（{{brand}}）",
        "fields": [
            {"name": "name", "label": "支部全称", "widget": "string"},
            {"name": "short_name", "label": "简称", "widget": "string", "required": False},
            {"name": "brand", "label": "品牌名称", "widget": "string"},
            {"name": "slogan", "label": "品牌理念或口号", "widget": "string", "required": False},
            {"name": "logo", "label": "品牌标识", "widget": "image", "required": False, "choose_url": False},
            {"name": "parent", "label": "所属单位", "widget": "string", "required": False},
            {"name": "category", "label": "支部类别", "widget": "string", "required": False},
            {"name": "order", "label": "品牌墙顺序", "widget": "number", "required": False,
             "value_type": "int"},
            {"name": "body", "label": "品牌故事", "widget": "markdown"},
        ],
    }
