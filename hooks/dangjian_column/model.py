"""The content model: dataclasses for the column settings, branch profiles and stories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dangjian_column.pages import urls


@dataclass(frozen=True)
class ActivityKind:
    key: str
    label: str
    order: int
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnSettings:
    title: str
    organisation: str
    page_size: int
    latest_count: int
    timezone: str
    reading_speed: int
    kinds: tuple[ActivityKind, ...]
    search_full_text: bool = False
    related_count: int = 4
    learning_pages: bool = True  # related stories and the 互学互鉴 pages
    assessment_pages: bool = True  # the 考核统计 pages, their downloads and each branch's coverage row
    required_monthly: tuple[str, ...] = ()  # kind keys every branch should hold each month
    # Feature sections of column.yml (images, publishing, review, terminology), each read by its own module.
    sections: dict = field(default_factory=dict, compare=False, hash=False)

    def kind_lookup(self) -> dict[str, ActivityKind]:
        """Every name a story may use for a kind (key, label, alias) mapped to the kind."""
        names: dict[str, ActivityKind] = {}
        for kind in self.kinds:
            for name in (kind.key, kind.label, *kind.aliases):
                names[name] = kind
        return names


@dataclass(frozen=True)
class Honour:
    year: int
    title: str


@dataclass(frozen=True)
class Pairing:
    """A 双联 pairing: with another branch (``branch`` slug) or an outside partner (``partner``)."""

    branch: str = ""
    partner: str = ""
    note: str = ""


@dataclass(frozen=True)
class TextItem:
    """A highlight or an experience: a short title and an optional longer text."""

    title: str
    text: str = ""
    theme: str = ""  # optional: the theme it is grouped under on the 亮点墙 / 经验做法 pages
@dataclass
class Branch:
    slug: str
    source_path: str  # e.g. "branches/dizhi-xianfeng/index.md", relative to the project root
    name: str
    short_name: str
    brand: str
    slogan: str
    body: str  # the brand story, Markdown
    logo: str = ""  # site path of the logo, e.g. "branches/<slug>/logo.png"; "" when absent
    parent: str = ""
    category: str = ""
    highlights: tuple[TextItem, ...] = ()
    experiences: tuple[TextItem, ...] = ()
    honours: tuple[Honour, ...] = ()
    pairings: tuple[Pairing, ...] = ()
    order: int = 1000

    @property
    def url(self) -> str:
        return urls.branch_url(self.slug)


@dataclass
class Story:
    source_path: str  # relative to the project root, e.g. "content/stories/2025/x.md"
    src_uri: str  # relative to docs_dir, e.g. "stories/2025/x.md"
    title: str
    date: dt.date
    branches: tuple[str, ...]
    kind: ActivityKind
    slug: str
    body: str
    tags: tuple[str, ...] = ()
    description: str = ""
    cover: str = ""  # site path of the cover image, "" when none
    photos: tuple[str, ...] = ()  # site paths of every local image it shows: cover, body images, gallery
    gallery: tuple = ()  # photos.Photo items shown under the text (its photo folder minus cover and body images)
    captions: dict = field(default_factory=dict)  # site path -> caption, for the photos that have one
    video: object = None  # video.Video: a local MP4/WebM or a link to a video-channel post
    author: str = ""
    photographer: str = ""
    source: str = ""
    status: str = "published"  # draft | review | published (see review.py)
    char_count: int = 0
    extra_meta: dict = field(default_factory=dict)
    key_lines: dict = field(default_factory=dict)  # front-matter key -> line, for messages made after loading

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def url(self) -> str:
        return urls.story_url(self.date.year, self.slug)

    @property
    def dest_uri(self) -> str:
        return urls.index_file(self.url)

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    @property
    def approved(self) -> bool:
        return self.status == "published"

    @property
    def is_joint(self) -> bool:
        return len(self.branches) > 1
