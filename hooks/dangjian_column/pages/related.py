"""Related stories from other branches (互学互鉴) for every story page.

For a story S, the candidates are published stories of the same kind as S or sharing at least one tag
with S, never S itself and never a story whose branches are all among S's branches (a reader of S
already reaches those from S's branch pages). Each candidate C gets an integer score::

    score(C) = 4 · [C.kind == S.kind]
             + 2 · min(number of tags C shares with S, 3)
             + 3 · [C shares no branch with S]
             + 1 · [C is dated within the 365 days up to the build's today]

so a same-kind story from another branch (7) beats one that also has S's branch on it (4), and a
story sharing two tags (4) equals a same-kind one. Ties are broken by date (newer first), then by
source path, so the order is the same on every build.

The top ``related_count`` (N) are chosen from the ranked candidates preferring variety: a candidate
whose first branch is already the first branch of a chosen story is deferred; deferred candidates
fill the remaining places in rank order. The chosen stories are shown in rank order.

Cost: the catalog's per-kind and per-tag lists are already newest first. From each list S belongs
to, at most ``CANDIDATES_PER_LIST`` (K) eligible stories are taken, looking at no more than
``SCAN_LIMIT`` entries, so each story has at most K · (1 + its tags) candidates and the whole run is
linear in the number of stories (times K log K) — never all pairs.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from dangjian_column.content.catalog import Catalog
from dangjian_column.model import Story
from dangjian_column.pages.memory import PlanMemory, reuse_or_make

CANDIDATES_PER_LIST = 20  # K: enough for N ≈ 4 and cheap at 10,000 stories
SCAN_LIMIT = 4 * CANDIDATES_PER_LIST
MAX_TAG_POINTS = 3  # shared tags counted at most this many times
RECENT_DAYS = 365


def related_stories(catalog: Catalog, memory: PlanMemory | None = None) -> dict[str, list[Story]]:
    """story src_uri -> up to ``related_count`` stories, best first."""
    count = catalog.settings.related_count
    if count <= 0:
        return {story.src_uri: [] for story in catalog.stories}
    recent_since = catalog.today - dt.timedelta(days=RECENT_DAYS)
    facts = {id(story): reuse_or_make(memory, "related facts", story.src_uri, (story, recent_since),
                                      lambda story=story: _Facts.of(story, recent_since))
             for story in catalog.stories}  # sets made once, not per pair
    by_uri = {story.src_uri: story for story in catalog.stories}
    if memory is None:
        chosen = _chosen(catalog, count, facts, None)
    else:  # every list at once while no story's facts changed (a save of a body or title), else one by one
        memory.carry("related")
        keys = tuple(facts[id(story)].key for story in catalog.stories)
        chosen = memory.reuse("related lists", None, (count, keys), lambda: _chosen(catalog, count, facts, memory))
    return {uri: [by_uri[c] for c in found] for uri, found in chosen.items()}


def _chosen(catalog: Catalog, count: int, facts: dict[int, _Facts], memory: PlanMemory | None
            ) -> dict[str, tuple[str, ...]]:
    heads: dict[int, str] = {}
    chosen = {}
    for story in catalog.stories:
        def choose(story: Story = story) -> tuple[str, ...]:
            return tuple(c.src_uri for c in _related(catalog, story, count, facts))

        # The preview plans again after every save; a story's list is worked out again only when what it is
        # made of changed: its own facts and the first SCAN_LIMIT stories of each list it is drawn from.
        chosen[story.src_uri] = choose() if memory is None else \
            memory.reuse("related", story.src_uri, (_inputs(catalog, story, count, facts, heads),), choose)
    return chosen


def _inputs(catalog: Catalog, story: Story, count: int, facts: dict[int, _Facts], heads: dict[int, str]) -> str:
    lists = [catalog.by_kind.get(story.kind.key, [])] + [catalog.by_tag.get(tag, []) for tag in dict.fromkeys(story.tags)]
    parts = [str(count), facts[id(story)].key]
    for stories in lists:
        head = heads.get(id(stories))
        if head is None:
            text = "\x1e".join(facts[id(s)].key for s in stories[:SCAN_LIMIT])
            head = heads[id(stories)] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        parts.append(head)
    return "\x1f".join(parts)


def score(story: Story, candidate: Story, recent_since: dt.date) -> int:
    """The documented score of ``candidate`` as related to ``story`` (see the module docstring)."""
    return _Facts.of(story, recent_since).score(_Facts.of(candidate, recent_since))


class _Facts:
    """What the score reads of one story, as sets, so scoring a pair costs two set operations."""

    __slots__ = ("branches", "key", "kind", "order", "recent", "tags")

    def __init__(self, kind: str, tags: frozenset[str], branches: frozenset[str], recent: bool, order: tuple,
                 key: str):
        self.kind, self.tags, self.branches, self.recent, self.order = kind, tags, branches, recent, order
        self.key = key  # everything above, and the branches in order (the first is the "lead"), as text

    @classmethod
    def of(cls, story: Story, recent_since: dt.date) -> _Facts:
        key = "\x1d".join([story.src_uri, story.kind.key, *sorted(set(story.tags)), "|", *story.branches,
                            str(story.date >= recent_since), story.date.isoformat(), story.source_path])
        return cls(story.kind.key, frozenset(story.tags), frozenset(story.branches), story.date >= recent_since,
                   (-story.date.toordinal(), story.source_path), key)

    def score(self, candidate: _Facts) -> int:
        return (4 * (candidate.kind == self.kind)
                + 2 * min(len(self.tags & candidate.tags), MAX_TAG_POINTS)
                + 3 * self.branches.isdisjoint(candidate.branches)
                + candidate.recent)


def _related(catalog: Catalog, story: Story, count: int, facts: dict[int, _Facts]) -> list[Story]:
    own = facts[id(story)]
    candidates: dict[str, Story] = {}  # by src_uri
    lists = [catalog.by_kind.get(story.kind.key, [])] + [catalog.by_tag.get(tag, []) for tag in dict.fromkeys(story.tags)]
    for stories in lists:
        taken = 0
        for candidate in stories[:SCAN_LIMIT]:
            if candidate is story or own.branches.issuperset(candidate.branches):
                continue
            candidates[candidate.src_uri] = candidate
            taken += 1
            if taken == CANDIDATES_PER_LIST:
                break

    def rank_key(candidate: Story) -> tuple:
        theirs = facts[id(candidate)]
        return (-own.score(theirs), *theirs.order)

    ranked = sorted(candidates.values(), key=rank_key)
    chosen: list[Story] = []
    deferred: list[Story] = []
    seen_leads: set[str] = set()
    for candidate in ranked:
        if len(chosen) == count:
            break
        lead = candidate.branches[0]
        if lead in seen_leads:
            deferred.append(candidate)
            continue
        seen_leads.add(lead)
        chosen.append(candidate)
    chosen.extend(deferred[: count - len(chosen)])
    rank = {c.src_uri: i for i, c in enumerate(ranked)}
    return sorted(chosen, key=lambda c: rank[c.src_uri])
