"""One entry point from a project folder to everything a site builder needs (no MkDocs involved).

``prepare_site`` runs the whole pipeline — settings, content, photos, page plan, outward files —
and returns a ``SitePlan``. The MkDocs hooks only move its pages into MkDocs and render them;
``dangjian check`` and the benchmark call the same function, so they see the same problems. A
builder other than MkDocs (Material's successor ignores ``hooks:``) would start from here too.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from dangjian_column.config.publishing import check_base_url
from dangjian_column.config.settings import load_settings, today_in
from dangjian_column.content.branches import BRANCHES_DIR, check_pairings, load_branches
from dangjian_column.content.catalog import Catalog, build_catalog
from dangjian_column.content.history import RepositoryHistory
from dangjian_column.content.photos import alt_text
from dangjian_column.content.reference_check import checked_body, page_scope
from dangjian_column.content.sourcefile import decode_text, parse_document, project_path
from dangjian_column.content.status import preview_from_env
from dangjian_column.content.stories import STORIES_DIR, load_stories
from dangjian_column.content.storycache import StoryCache
from dangjian_column.content.topics import load_topics
from dangjian_column.desk.admin import ADMIN_DIR, redirect_page
from dangjian_column.desk.panel import stand_in_pages, story_panel
from dangjian_column.imaging import publish
from dangjian_column.imaging.check import check_images
from dangjian_column.imaging.media import MediaLibrary, build_media, forget_failed, rewrite_body_images
from dangjian_column.lint.content_lint import ColumnLint
from dangjian_column.lint.sanitize import HtmlPolicy, clean_html
from dangjian_column.model import ColumnSettings, Story
from dangjian_column.pages import urls
from dangjian_column.pages.breadcrumb import Crumb, page_url, trail
from dangjian_column.pages.fingerprint import Fingerprinter
from dangjian_column.pages.galleries import photo_alt
from dangjian_column.pages.memory import PlanMemory, reuse_or_make
from dangjian_column.pages.planner import intro_markdown, plan_column
from dangjian_column.pages.plans import ColumnPlan, PagePlan
from dangjian_column.problems import ProblemLog
from dangjian_column.publishing.publication import Publication
from dangjian_column.publishing.search import IndexResult, SearchThumb, index_column

ImageMode = Literal["process", "inspect", "skip"]


@dataclass
class HandwrittenPages:
    """The pages of ``content/`` outside ``stories/`` (about.md, intros of generated pages), read by the
    column before MkDocs renders them, so ``check`` and the build report the same problems."""

    unreadable: set[str] = field(default_factory=set)  # src_uri of pages that are not UTF-8: left out
    bodies: dict[str, str] = field(default_factory=dict)  # src_uri -> body without its front matter
    refused: set[str] = field(default_factory=set)  # src_uri of pages whose body lost refused references


@dataclass
class Column:
    settings: ColumnSettings
    catalog: Catalog
    plan: ColumnPlan
    problems: ProblemLog
    pages: HandwrittenPages = field(default_factory=HandwrittenPages)

    def published_story(self, src_uri: str) -> Story | None:
        return self._published.get(src_uri)

    def __post_init__(self) -> None:
        self._published = {s.src_uri: s for s in self.catalog.stories}


def load_column(root: Path, docs_dir: Path, today: dt.date | None = None,
                settings: ColumnSettings | None = None, problems: ProblemLog | None = None,
                *, preview: bool = False, plan: bool = True, cache: StoryCache | None = None) -> Column:
    """Load, validate, index and plan. Problems are collected, never raised.

    ``preview`` lists unapproved and future stories too (with a banner); production never does.
    """
    log = problems if problems is not None else ProblemLog()
    settings = settings or load_settings(root, log)
    if cache is None:
        branches = load_branches(root, log)
    else:
        branches = cache.load_branches(root / BRANCHES_DIR, lambda into: load_branches(root, into), log)
    check_pairings(branches, log)
    folders = {p.name for p in (root / BRANCHES_DIR).glob("*") if p.is_dir()}
    lint = ColumnLint(root, settings, log)  # wording + raw HTML: the same for check and build
    lint.branches(branches)
    today = today or today_in(settings.timezone)
    stories = load_stories(root, docs_dir, settings, branches, log, folders, lint=lint.story, today=today,
                           cache=cache)
    topics = load_topics(root, settings, branches, log)
    lint.profiles(t.source_path for t in topics.values())
    history = RepositoryHistory(root, project_path(docs_dir / STORIES_DIR, root))  # who keeps a contested URL
    catalog = build_catalog(settings, branches, stories, today, log, preview=preview,
                            first_added=history, topics=topics)
    pages = read_handwritten_pages(root, docs_dir, log)
    return Column(settings=settings, catalog=catalog, plan=plan_column(catalog) if plan else ColumnPlan(),
                  problems=log, pages=pages)


def read_handwritten_pages(root: Path, docs_dir: Path, log: ProblemLog) -> HandwrittenPages:
    """Decode every hand-written page and split its front matter (optional), reporting what is wrong."""
    pages = HandwrittenPages()
    for path in _handwritten_sources(docs_dir):
        src_uri = path.relative_to(docs_dir).as_posix()
        rel_path = project_path(path, root)
        text = decode_text(path.read_bytes(), rel_path, log)
        if text is None:
            pages.unreadable.add(src_uri)
            continue
        doc = parse_document(text, rel_path, log, front_matter_required=False)
        if doc is not None:
            body = checked_body(doc.body, doc.body_line, page_scope(docs_dir, src_uri), src_uri, rel_path, log)
            pages.bodies[src_uri] = body
            if body != doc.body:
                pages.refused.add(src_uri)
    return pages


def _handwritten_sources(docs_dir: Path) -> list[Path]:
    """The Markdown files of ``content/`` outside ``stories/`` (not walked: 9,000 files there), hidden ones left out."""
    found = []
    for parent, folders, files in os.walk(docs_dir):
        folders[:] = [f for f in folders if not f.startswith(".") and not (parent == str(docs_dir) and f == STORIES_DIR)]
        found.extend(Path(parent, name) for name in files if name.endswith(".md") and not name.startswith("."))
    return sorted(found)


@dataclass
class SitePlan:
    """The column ready to render: pages with their Markdown and context, images, outward files."""

    root: Path
    docs_dir: Path
    column: Column
    media: MediaLibrary
    publication: Publication
    html_policy: HtmlPolicy
    photos_checked: int = 0  # images whose headers ``inspect`` mode looked at
    memory: PlanMemory | None = None  # the preview's: page-input digests handed back while their sources are equal

    @property
    def problems(self) -> ProblemLog:
        return self.column.problems

    @property
    def catalog(self) -> Catalog:
        return self.column.catalog

    @property
    def empty_sections(self) -> tuple[str, ...]:
        """URL prefixes of page groups with nothing to show: no topics, no 专题 tab (an empty listing
        would be a blank column)."""
        return () if self.catalog.topics else (urls.TOPICS,)

    # What a builder does with it, page by page. None of this knows which generator calls it.

    def generated_pages(self, take_handwritten: Callable[[str], bool]) -> list[PagePlan]:
        """Every generated page; a hand-written page at the same path (``take_handwritten`` tells the
        builder to drop it and says whether there was one) becomes its introduction."""
        pages = self.column.plan.pages
        for i, page in enumerate(pages):
            if not take_handwritten(page.src_uri):
                continue
            body = self.column.pages.bodies.get(page.src_uri)
            if body is not None:  # a new plan, not the planned one changed: the preview's memory holds that
                pages[i] = self._generated[page.src_uri] = replace(
                    page, markdown=f"{intro_markdown(body)}\n\n{page.markdown}".strip())
        return pages

    def page_markdown(self, src_uri: str, markdown: str) -> str:
        """The Markdown a page is rendered from: a hand-written page the builder read itself (about.md) without the
        references its check refused, as a story or an introduction is; any other page as it is."""
        pages = self.column.pages
        return pages.bodies[src_uri] if src_uri in pages.refused and src_uri not in self._generated else markdown

    def extra_files(self) -> dict[str, str | bytes]:
        """Files beside the pages: stats downloads (CSV/JSON), feeds and the home-page widget."""
        return {**self.column.plan.downloads, **self.publication.outward_files()}

    def page_meta(self, src_uri: str) -> dict:
        """Front-matter-like meta for a page: its template, title and description, HTML-escaped
        (Material prints page.meta title and description into <title>, <meta> and the header as is)."""
        story = self.column.published_story(src_uri)
        if story is not None:
            return {**story.extra_meta, "title": html.escape(story.title),
                    "description": html.escape(story.description), "template": "column/story.html"}
        page = self._generated.get(src_uri)
        if page is not None:
            # dj_noindex: main.html writes robots noindex and sitemap.xml leaves the page out
            return {"title": html.escape(page.title), "template": page.template,
                    **({"dj_noindex": True} if page.noindex else {})}
        return {}

    def render_body(self, src_uri: str, body_html: str, page_url: str, base_url: str, page_title: str) -> str:
        """A rendered body made safe (pasted HTML never runs script), its WeChat export kept for
        ``finish``, and its local images turned into responsive, lightbox-linked pictures."""
        body_html = clean_html(body_html, self.html_policy, describe=False).html
        story = self.column.published_story(src_uri)
        if story is not None:
            path, export = self.publication.wechat_export(story, body_html)
            self._wechat[path] = export

            def fallback_alt(path: str, n: int) -> str:
                return photo_alt(story, path)
        else:
            def fallback_alt(path: str, n: int) -> str:
                return alt_text("", page_title, n)
        body_html = rewrite_body_images(body_html, page_url, base_url, self.media, fallback_alt)
        self._keep_for_search(src_uri, story, body_html)
        return body_html

    def _keep_for_search(self, src_uri: str, story: Story | None, body_html: str) -> None:
        """The index is made in ``finish``; it keeps the very string the page holds, so no copy."""
        key = self.search_body_key(src_uri)
        if key is not None:
            self._search_bodies[key] = body_html

    def search_body_key(self, src_uri: str) -> str | None:
        """Under which key the search index takes this page's body: a story's src_uri, a branch's URL (its
        brand story); None for pages the index does not read."""
        if self.column.published_story(src_uri) is not None:
            return src_uri
        page = self._generated.get(src_uri)
        if page is not None and page.markdown and page.context.get("page_type") == "branch":
            return page.context["branch"].url
        return None

    def search_body(self, key: str) -> str | None:
        return self._search_bodies.get(key)

    def keep_search_body(self, key: str, body_html: str) -> None:
        """The body of a page this build did not render (a rebuild reused it), for the search index."""
        self._search_bodies.setdefault(key, body_html)

    def generated_page(self, src_uri: str) -> PagePlan | None:
        return self._generated.get(src_uri)

    def page_context(self, src_uri: str) -> dict | None:
        """The template context of a generated page or a story page (``column`` in templates)."""
        page = self._generated.get(src_uri)
        if page is not None:
            branch = page.context.get("branch") if page.context.get("page_type") == "branch" else None
            return {**page.context, "social": self.publication.branch_social(branch)} if branch else page.context
        story = self.column.published_story(src_uri)
        if story is not None and src_uri in self.column.plan.story_context:
            return {**self.column.plan.story_context[src_uri], "social": self.publication.story_social(story)}
        return None

    def trail(self, src_uri: str, url: str, fallback_title: str) -> list[Crumb]:
        """当前位置: home, the page's ancestors that are column pages, then the page itself."""
        story = self.column.published_story(src_uri)
        page = self._generated.get(src_uri)
        title = story.title if story else page.title if page else fallback_title
        key = (url, title)  # asked twice for each page: by page_inputs and when the page is rendered
        found = self._trails.get(key)
        if found is None:
            found = self._trails[key] = trail(url, title, self._titles)
        return found

    def desk_pages(self, desk_url: str) -> dict[str, str]:
        """In the preview with the 写稿台: /admin/ leading to the desk, and a stand-in page with its
        problems at the address of each story an error keeps out (dest path -> HTML)."""
        pages = {f"{ADMIN_DIR}/index.html": redirect_page(desk_url)}
        pages.update(stand_in_pages(self.docs_dir, self.problems, self.column.published_story, desk_url,
                                    self.column.settings.title))
        return pages

    def desk_panel(self, src_uri: str, desk_url: str) -> str:
        """A story page's 写稿台检查结果 panel: that file's problems as `dangjian check` prints them."""
        return story_panel(self.problems, src_uri, desk_url)

    def page_inputs(self) -> dict[str, tuple]:
        """src_uri -> everything the column gives the builder for that page (generated pages and published
        stories): its meta or title and template, Markdown, context, breadcrumb, the problems its desk panel
        shows and where its links lead. The same inputs and the same templates and config: the same page.

        A story page also takes the story and its branches whole (its WeChat export and search record read
        fields its page does not show). A generated page with Markdown of its own (a brand story, a topic's
        or a hand-written introduction) has links and images the builder resolves: it also takes every
        story's address when it names a ``.md`` file, and the renditions of every image of the site."""
        problems = self.problems.by_path()
        own_markdown = _MarkdownInputs(self)
        result = self.media.result  # a branch names its logo: its digest follows the renditions
        branches = {slug: reuse_or_make(self.memory, "branch digest", slug, (branch, result),
                                        lambda branch=branch: own_markdown.prints.digest(branch))
                    for slug, branch in self.catalog.branches.items()}
        found: dict[str, tuple] = {}
        for page in self.column.plan.pages:
            found[page.src_uri] = (page.title, page.template, page.markdown, page.noindex,
                                   self.page_context(page.src_uri),
                                   self.trail(page.src_uri, page_url(page.src_uri), page.title),
                                   *own_markdown.of(page.markdown))
        for story in self.catalog.stories:  # its meta (page_meta) is made of the story alone
            found[story.src_uri] = (self.page_context(story.src_uri), self.trail(story.src_uri, story.url, story.title),
                                    problems.get(story.source_path, []),
                                    [self._link_target(story, link) for link in story.page_links],
                                    story, [branches.get(slug) for slug in story.branches])
        return found

    def fingerprints(self) -> dict[str, str]:
        """src_uri -> a digest of the page's inputs, with the renditions of every photo they name (a page
        shows a photo through its path): comparable across processes, unlike the inputs themselves."""
        prints = Fingerprinter(self.media.image)
        return {src_uri: prints.digest(*parts) for src_uri, parts in self.page_inputs().items()}

    def changed_pages(self, earlier: SitePlan, earlier_inputs: dict[str, tuple], inputs: dict[str, tuple]) -> set[str]:
        """The pages whose inputs differ from ``earlier``'s, new ones included. Compared by value (a fraction
        of the digests' cost: unchanged strings are shared, so most comparisons stop at identity); when a
        photo's renditions changed, by fingerprints, which follow each photo a page names."""
        if earlier.media.result.images != self.media.result.images:
            before = Fingerprinter(earlier.media.image)
            now = Fingerprinter(self.media.image)
            return {uri for uri, parts in inputs.items()
                    if uri not in earlier_inputs or before.digest(*earlier_inputs[uri]) != now.digest(*parts)}
        return {uri for uri, parts in inputs.items() if earlier_inputs.get(uri) != parts}

    def _link_target(self, story: Story, link: str) -> str:
        """Where a Markdown link to another page of the column leads now (MkDocs writes its URL)."""
        src_uri = posixpath.normpath(posixpath.join(posixpath.dirname(story.src_uri), link))
        target = self.column.published_story(src_uri)
        return target.url if target else f"{src_uri}:{src_uri in self._generated or src_uri in self.column.pages.bodies}"

    def story_outputs(self, story: Story) -> tuple[str, ...]:
        """Site paths written for a story besides its page (its WeChat export)."""
        return (self.publication.wechat_path(story),)

    def keep_trails(self, earlier: SitePlan) -> None:
        """The breadcrumbs ``earlier`` made, when the column pages' titles (all a trail is made of besides
        the page's own URL and title, its key) are the same."""
        if earlier._titles == self._titles:
            self._trails = earlier._trails

    def keep_search_bodies(self, earlier: SitePlan) -> None:
        """An incremental rebuild renders only changed pages: the others' bodies come from the plan before
        (unchanged, by their fingerprints), for the pages that still exist."""
        exists = {s.src_uri for s in self.catalog.stories} | {b.url for b in self.catalog.branches.values()}
        for key, body in earlier._search_bodies.items():
            if key in exists:
                self._search_bodies.setdefault(key, body)

    def finish(self, site_dir: Path) -> IndexResult:
        """After the pages are written: image renditions, WeChat export pages, then the search index."""
        self.write_beside_pages(site_dir)
        return self.write_search_index(site_dir)

    def write_beside_pages(self, site_dir: Path) -> None:
        """Image renditions and the WeChat export pages of the stories rendered in this build."""
        publish(self.media.result, site_dir)  # renditions hard-linked from the cache
        for site_path, page in self._wechat.items():  # standalone pages, no theme
            target = site_dir / site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, encoding="utf-8")

    def write_search_index(self, site_dir: Path) -> IndexResult:
        return index_column(site_dir, self.catalog, self._search_bodies, self.search_thumb)

    def search_thumb(self, site_path: str) -> SearchThumb | None:
        """A search result's picture: the renditions of a cover or logo closest to ``images.thumb_widths``
        (a cover has them; a logo's own widths are 160/320 too)."""
        fallback, webp = self.media.thumb_set(site_path, self.catalog.settings.images.thumb_widths)
        if not fallback:
            return None
        return SearchThumb(fallback=tuple((r.site_path, r.width) for r in fallback),
                           webp=tuple((r.site_path, r.width) for r in webp),
                           width=fallback[0].width, height=fallback[0].height)

    def __post_init__(self) -> None:
        self._generated = {page.src_uri: page for page in self.column.plan.pages}
        self._titles = {page_url(page.src_uri): page.title for page in self.column.plan.pages}  # for trail()
        self._trails: dict[tuple[str, str], list[Crumb]] = {}
        self._wechat: dict[str, str] = {}  # site path -> WeChat export page, written by finish()
        self._search_bodies: dict[str, str] = {}  # story src_uri or branch url -> its sanitised body HTML


class _MarkdownInputs:
    """What a generated page's own Markdown reaches beyond its text, made once per plan and only if asked.
    As digests: the preview compares every page's inputs after each save, and ~150 brand stories each
    comparing 1,000 images' renditions cost more than the rest of the comparison."""

    def __init__(self, site: SitePlan):
        self._site = site
        self.prints = Fingerprinter(site.media.image)
        self._images: str | None = None
        self._story_urls: str | None = None

    def of(self, markdown: str) -> tuple:
        if not markdown:
            return ()
        if self._images is None:
            media = self._site.media
            self._images = reuse_or_make(  # the preview's photo library hands the same result back
                self._site.memory, "images digest", None, (media.result, media.labels),
                lambda: self.prints.digest(sorted((path, media.image(path)) for path in media.labels)))
        if ".md" not in markdown:
            return (self._images,)
        if self._story_urls is None:
            self._story_urls = self.prints.digest([(s.src_uri, s.url) for s in self._site.catalog.stories])
        return (self._images, self._story_urls)


@dataclass
class SiteStart:
    """What a builder needs before it lists files: settings read once, the base-URL check, the preview switch."""

    root: Path
    settings: ColumnSettings
    problems: ProblemLog
    preview: bool
    base_url_problem: str | None

    @property
    def switched_off(self) -> tuple[str, ...]:
        """URL prefixes of page groups column.yml switched off (their nav tabs go with them)."""
        groups = ((urls.LEARNING, self.settings.learning_pages), (urls.STATS, self.settings.assessment_pages))
        return tuple(prefix for prefix, on in groups if not on)


def start_site(root: Path, base_url: str, *, serving: bool = False) -> SiteStart:
    """Preview (unapproved stories with a banner) is the default when serving, never otherwise;
    ``DANGJIAN_PREVIEW`` overrides both."""
    problems = ProblemLog()
    return SiteStart(root=root, settings=load_settings(root, problems), problems=problems,
                     preview=preview_from_env(default=serving), base_url_problem=check_base_url(base_url))


def prepare_site(root: Path, docs_dir: Path, *, base_url: str = "", preview: bool = False,
                 today: dt.date | None = None, images: ImageMode = "process", plan: bool = True,
                 settings: ColumnSettings | None = None, problems: ProblemLog | None = None,
                 cache: StoryCache | None = None, memory: PlanMemory | None = None) -> SitePlan:
    """Load → photos → plan → publication, collecting problems (never raising).

    ``images``: ``process`` runs the photo pipeline (the build), ``inspect`` reads only image headers
    and reports what the pipeline would refuse (``check``), ``skip`` leaves photos alone (``list``).
    Photos the pipeline refused are taken out before pages are planned, so galleries, counts and
    covers agree with what is shown.
    """
    log = problems if problems is not None else ProblemLog()
    settings = settings or load_settings(root, log)
    column = load_column(root, docs_dir, today, settings, log, preview=preview, plan=False, cache=cache)
    media, checked = MediaLibrary(), 0
    if images == "process":
        media = build_media(column.catalog, root, docs_dir, settings.images, log, memory)
        forget_failed(column.catalog, media)
    elif images == "inspect":
        checked = check_images(column.catalog, root, docs_dir, log)
    if plan:
        column.plan = plan_column(column.catalog, memory)
    return SitePlan(root=root, docs_dir=docs_dir, column=column, media=media,
                    publication=Publication(column.catalog, media, base_url, settings.publishing),
                    html_policy=settings.html, photos_checked=checked, memory=memory)


def is_story_path(src_uri: str) -> bool:
    return src_uri.startswith(f"{STORIES_DIR}/") and src_uri.endswith(".md")


def branch_assets(root: Path, slug: str, base: str = BRANCHES_DIR) -> list[str]:
    """Files in a branch (or, with ``base=TOPICS_DIR``, a topic) folder that the site needs: all but the Markdown."""
    folder = root / base / slug
    return sorted(
        p.relative_to(root).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() != ".md" and not p.name.startswith(".")
    )
