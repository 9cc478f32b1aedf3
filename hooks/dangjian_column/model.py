"""The content model: dataclasses for the column settings, branch profiles and stories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dangjian_column.config.freshness import FreshnessSettings
from dangjian_column.config.identity import Identity
from dangjian_column.config.images import ImageSettings
from dangjian_column.config.publishing import PublishingSettings
from dangjian_column.config.review import ReviewSettings
from dangjian_column.lint.privacy import PrivacyScanner
from dangjian_column.lint.sanitize import HtmlPolicy
from dangjian_column.lint.terminology import Terminology
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
    search_full_text: bool = True
    related_count: int = 4
    learning_pages: bool = True  # related stories and the 互学互鉴 pages
    assessment_pages: bool = True  # the 考核统计 pages, their downloads and each branch's coverage row
    required_monthly: tuple[str, ...] = ()  # kind keys every branch should hold each month
    # The feature sections of column.yml, read once by config/ (one module per section).
    images: ImageSettings = field(default_factory=ImageSettings)
    publishing: PublishingSettings = field(default_factory=PublishingSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings, hash=False)
    html: HtmlPolicy = field(default_factory=HtmlPolicy)
    freshness: FreshnessSettings = field(default_factory=FreshnessSettings)
    privacy: PrivacyScanner = field(default_factory=PrivacyScanner)
    identity: Identity = field(default_factory=Identity)
    terminology: Terminology = field(default_factory=Terminology, compare=False, hash=False)

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
    # short_name as written, when another branch wrote the same one and the full name is shown instead
    written_short_name: str = ""

    @property
    def url(self) -> str:
        return urls.branch_url(self.slug)


@dataclass
class Topic:
    """A special topic (专题): ``topics/<slug>/index.md``, its banner beside it; the body is the introduction.

    Which stories it holds: ``stories`` (an explicit, ordered list, always included) first, then every
    published story dated within ``start``..``end`` that has one of ``tags``, ``kinds`` or ``branches``
    (any one suffices; with none of the three, every story in the date range)."""

    slug: str
    source_path: str  # e.g. "topics/dangji-xuexi/index.md"
    title: str
    body: str  # the introduction, Markdown
    description: str = ""  # one or two sentences for the 专题 index, the home page and the feeds
    banner: str = ""  # site path, e.g. "topics/<slug>/banner.jpg"; "" when absent
    start: dt.date | None = None
    end: dt.date | None = None
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # kind keys
    branches: tuple[str, ...] = ()  # branch slugs
    stories: tuple[tuple[str, int], ...] = ()  # (reference as written, line) for the explicit list
    order: int = 1000

    @property
    def url(self) -> str:
        return urls.topic_url(self.slug)

    @property
    def selects(self) -> bool:
        """Whether it selects stories by criteria at all (besides its explicit list)."""
        return bool(self.tags or self.kinds or self.branches or self.start or self.end)


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
    description: str = ""  # written in the front matter, or summarised from the text
    description_written: bool = False  # False: ``description`` repeats the text, so no lead on the page
    cover: str = ""  # site path of the cover image, "" when none
    photos: tuple[str, ...] = ()  # site paths of every local image it shows: cover, body images, gallery
    gallery: tuple = ()  # photos.Photo items shown under the text (its photo folder minus cover and body images)
    captions: dict = field(default_factory=dict)  # site path -> caption, for the photos that have one
    video: object = None  # video.Video: a local MP4/WebM or a link to a video-channel post
    author: str = ""
    photographer: str = ""
    source: str = ""
    editor: str = ""  # 责任编辑, shown in the page's footer line
    status: str = "published"  # draft | review | published | withdrawn (see content/status.py)
    expires: dt.date | None = None  # last day shown; from the next day on it is taken down (content/takedown.py)
    pin_until: dt.date | None = None  # pinned (置顶) through this day; date.max for ``pin: true``
    reviews: tuple = ()  # reviews.ReviewEntry items, as recorded by ``dangjian approve`` / ``reject``
    standing: object = None  # reviews.ReviewStanding with review levels configured; None with one level
    reviewers: tuple[str, ...] = ()  # who signed, shown as 审核 in the footer line
    char_count: int = 0
    extra_meta: dict = field(default_factory=dict)
    key_lines: dict = field(default_factory=dict)  # front-matter key -> line, for messages made after loading
    page_links: tuple[str, ...] = ()  # .md pages its body links to, as written (MkDocs writes their URLs)

    @property
    def url(self) -> str:
        return urls.story_url(self.date.year, self.slug)

    @property
    def dest_uri(self) -> str:
        return urls.index_file(self.url)

    def pinned_on(self, today: dt.date) -> bool:
        return self.pin_until is not None and today <= self.pin_until

    @property
    def is_joint(self) -> bool:
        return len(self.branches) > 1
