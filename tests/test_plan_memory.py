"""The preview's plan memory (pages/memory.py) hands back the last plan's cards, contexts, related lists
and download texts: after every kind of change, a plan made with it must equal one made afresh."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from dangjian_column.content.catalog import build_catalog
from dangjian_column.model import Story
from dangjian_column.pages.memory import PlanMemory
from dangjian_column.pages.planner import plan_column
from dangjian_column.problems import ProblemLog
from dangjian_column.site import load_column
from generate_corpus import generate


@pytest.fixture(scope="module")
def column(tmp_path_factory):
    root = tmp_path_factory.mktemp("memory") / "project"
    generate(root, branches=6, stories_per_branch=8, seed=7)
    return load_column(root, root / "content", plan=False)


def _replace(stories: list[Story], index: int, **changes) -> list[Story]:
    return [dataclasses.replace(s, **changes) if i == index else s for i, s in enumerate(stories)]


CHANGES = {
    "body and length": lambda s, c: _replace(s, 3, body=s[3].body + "新的一段。", char_count=s[3].char_count + 5),
    "title": lambda s, c: _replace(s, 5, title="改过的标题"),
    "tags": lambda s, c: _replace(s, 7, tags=("新标签", *s[7].tags)),
    # tags another story has: the related lists (scored by shared tags) change
    "tags shared": lambda s, c: _replace(s, 7, tags=tuple(dict.fromkeys((*s[7].tags, *s[20].tags, *s[30].tags)))),
    "kind": lambda s, c: _replace(s, 2, kind=c.settings.kinds[-1]),
    "branch": lambda s, c: _replace(s, 4, branches=tuple(reversed(list(c.branches)))[:2]),
    "date": lambda s, c: _replace(s, 6, date=s[6].date.replace(year=s[6].date.year - 1)),
    "cover and photos": lambda s, c: _replace(s, next(i for i, x in enumerate(s) if x.cover), cover="", photos=()),
    "pinned": lambda s, c: _replace(s, 6, pin_until=dt.date.max),
    "a story leaves": lambda s, c: s[1:],
    "a story arrives": lambda s, c: [*s, dataclasses.replace(s[0], src_uri="stories/2026/x.md", slug="x-new",
                                                            source_path="content/stories/2026/x.md")],
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_plan_made_with_memory_equals_a_fresh_one_after_each_change(column, change):
    catalog = column.catalog

    def plan(stories: list[Story], memory: PlanMemory | None):
        again = build_catalog(catalog.settings, catalog.branches, stories, catalog.today, ProblemLog(),
                              topics=catalog.topics)
        return plan_column(again, memory)

    memory = PlanMemory()
    before = plan(catalog.stories, memory)  # remembered from here on
    assert before == plan(catalog.stories, memory)  # nothing changed: all handed back, still equal
    changed = CHANGES[change](catalog.stories, catalog)
    remembered, fresh = plan(changed, memory), plan(changed, None)
    assert remembered == fresh
    assert remembered != before  # the change reached the plan: the comparison above could fail


CATALOG_CHANGES = {
    "a branch's short name": lambda c: {"branches": {
        slug: dataclasses.replace(b, short_name="新的简称") if i == 0 else b for i, (slug, b) in enumerate(c.branches.items())}},
    # from the newest story's day (the months after it still to come on the heat-map) a month on
    "the day moves on a month": lambda c: {"today": max(s.date for s in c.stories) + dt.timedelta(days=31)},
}
BEFORE = {"the day moves on a month": lambda c: {"today": max(s.date for s in c.stories)}}


@pytest.mark.parametrize("change", CATALOG_CHANGES)
def test_a_plan_made_with_memory_equals_a_fresh_one_after_a_change_beyond_the_stories(column, change):
    """Listings and the assessment views are handed back whole while what they read is equal: a branch's
    name or the day (pins, the heat-map's months to come) must reach them."""
    catalog = column.catalog

    def plan(memory: PlanMemory | None, branches=catalog.branches, today=catalog.today):
        again = build_catalog(catalog.settings, branches, catalog.stories, today, ProblemLog(), topics=catalog.topics)
        return plan_column(again, memory)

    memory = PlanMemory()
    before = plan(memory, **BEFORE.get(change, lambda c: {})(catalog))
    changes = CATALOG_CHANGES[change](catalog)
    remembered, fresh = plan(memory, **changes), plan(None, **changes)
    assert remembered == fresh
    assert remembered != before


def test_unchanged_stories_get_the_last_plans_objects(column):
    """What makes re-planning cheap in the preview: a page that did not change is made of the same objects."""
    catalog = column.catalog
    memory = PlanMemory()
    first = plan_column(catalog, memory)
    second = plan_column(catalog, memory)
    uri = catalog.stories[0].src_uri
    assert second.story_context[uri] is first.story_context[uri]


def test_a_plan_made_with_memory_equals_a_fresh_one_through_a_run_of_saves(column):
    """One memory through every change in turn, as a day of saves in the preview: what a plan handed back
    whole (the related lists while no story's facts change) must not leave a later plan stale."""
    catalog = column.catalog

    def plan(stories: list[Story], memory: PlanMemory | None):
        again = build_catalog(catalog.settings, catalog.branches, stories, catalog.today, ProblemLog(),
                              topics=catalog.topics)
        return plan_column(again, memory)

    memory, stories = PlanMemory(), catalog.stories
    plan(stories, memory)
    for change in ("body and length", "title", "tags shared", "body and length", "date", "kind", "a story arrives"):
        stories = CHANGES[change](stories, catalog)
        assert plan(stories, memory) == plan(stories, None), change


def test_a_carried_family_outlives_a_plan_that_did_not_ask_for_it():
    memory = PlanMemory()
    memory.carry("kept")
    made = []
    for family in ("kept", "dropped"):
        memory.reuse(family, 1, ("same",), lambda family=family: made.append(family) or family)
    memory.next_plan()  # the first plan asked for both
    memory.next_plan()  # the second for neither
    for family in ("kept", "dropped"):
        memory.reuse(family, 1, ("same",), lambda family=family: made.append(family) or family)
    assert made == ["kept", "dropped", "dropped"]
