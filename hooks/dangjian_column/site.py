"""One entry point from a project folder to the whole planned column (no MkDocs involved)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.config.settings import load_settings
from dangjian_column.content.branches import BRANCHES_DIR, check_pairings, load_branches
from dangjian_column.content.catalog import Catalog, build_catalog
from dangjian_column.content.history import RepositoryHistory
from dangjian_column.content.sourcefile import decode_text
from dangjian_column.content.status import review_settings_from
from dangjian_column.content.stories import STORIES_DIR, load_stories
from dangjian_column.lint.content_lint import ColumnLint
from dangjian_column.model import ColumnSettings, Story
from dangjian_column.pages.planner import plan_column
from dangjian_column.pages.plans import ColumnPlan
from dangjian_column.problems import ProblemLog


@dataclass
class Column:
    settings: ColumnSettings
    catalog: Catalog
    plan: ColumnPlan
    problems: ProblemLog

    def published_story(self, src_uri: str) -> Story | None:
        return self._published.get(src_uri)

    def __post_init__(self) -> None:
        self._published = {s.src_uri: s for s in self.catalog.stories}


def today_in(timezone: str) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()


def load_column(root: Path, docs_dir: Path, today: dt.date | None = None,
                settings: ColumnSettings | None = None, problems: ProblemLog | None = None,
                *, preview: bool = False, plan: bool = True) -> Column:
    """Load, validate, index and plan. Problems are collected, never raised.

    ``preview`` lists unapproved and future stories too (with a banner); production never does.
    """
    log = problems if problems is not None else ProblemLog()
    settings = settings or load_settings(root, log)
    branches = load_branches(root, log)
    check_pairings(branches, log)
    folders = {p.name for p in (root / BRANCHES_DIR).glob("*") if p.is_dir()}
    lint = ColumnLint(root, settings, log)  # wording + raw HTML: the same for check and build
    lint.branches(branches)
    review = review_settings_from(settings.sections.get("review"), log)  # column.yml's review: section
    stories = load_stories(root, docs_dir, settings, branches, log, folders, lint=lint.story, review=review)
    history = RepositoryHistory(root, _rel_folder(docs_dir / STORIES_DIR, root))  # who keeps a contested URL
    catalog = build_catalog(settings, branches, stories, today or today_in(settings.timezone), log, preview=preview,
                            first_added=history)
    return Column(settings=settings, catalog=catalog, plan=plan_column(catalog) if plan else ColumnPlan(),
                  problems=log)


def _rel_folder(folder: Path, root: Path) -> str:
    try:
        return folder.relative_to(root).as_posix()
    except ValueError:  # docs_dir outside the project: no story's source_path can match anyway
        return folder.as_posix()


def is_story_path(src_uri: str) -> bool:
    return src_uri.startswith(f"{STORIES_DIR}/") and src_uri.endswith(".md")


def check_page_encoding(path: Path, rel_path: str, log: ProblemLog) -> bool:
    """Hand-written pages are rendered by MkDocs itself; make sure it will be able to read them."""
    return decode_text(path.read_bytes(), rel_path, log) is not None


def branch_assets(root: Path, slug: str) -> list[str]:
    """Files in a branch folder that the site needs (everything but the Markdown profile)."""
    folder = root / BRANCHES_DIR / slug
    return sorted(
        p.relative_to(root).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() != ".md" and not p.name.startswith(".")
    )
