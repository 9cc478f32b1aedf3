"""Mutual-learning pages (互学互鉴): pairings, the highlights wall and the experiences index.

Pages (all generated, under ``learning/``):

- ``learning/`` — the entry page with a count for each of the three pages below.
- ``learning/pairings/`` (双联结对) — every pairing once.

  * Branch ↔ branch: one entry per pair, whichever side (or both) wrote it in ``pairings``, at the
    anchor ``pair-<a>--<b>`` (the two folder slugs sorted). Its joint stories are the published stories
    whose ``branches`` include both, newest first. Notes written by either side are shown, each once.
  * Branch ↔ outside partner: at ``pair-<slug>--<pinyin of the partner name>`` (``-2``, ``-3`` … if two
    names of one branch give the same pinyin). Its stories are that branch's stories whose title,
    summary or body contains the partner's full name exactly as written in ``pairings``, newest first.
  * Order: branches in display order, each branch's pairings in the order written; a pair is listed
    where it is first met. Pairings written by one side only are still shown; the loader reports them
    (``branches.check_pairings``).

- ``learning/highlights/`` (亮点墙) and ``learning/experiences/`` (经验做法) — every branch's items,
  grouped by theme.

Theme rule (deterministic; the same content always gives the same grouping):

1. The vocabulary is every tag used by at least one published story, plus every activity kind's label
   and aliases (an alias stands for its kind's label). A tag spelled like a kind label is one theme;
   a tag spelled like a kind alias stays the tag's theme.
2. A term matches an item when it occurs, exactly as written, in the item's title or text.
3. When several terms match, a term found in the title beats one found only in the text; then the
   longer term wins (it is more specific); then tags before kinds; then a tag's name in Unicode order,
   or a kind's place in ``column.yml``.
4. An item that matches nothing goes to 「其他」.

An item's own ``theme`` (optional, in the branch profile) comes first: a tag or kind name joins that
theme (and links to its stories); any other name makes a theme of its own, listed after the tags.

Groups are shown with the most items first (ties: tags by name, then kinds in configured order),
「其他」 always last; inside a group, branches in display order and each branch's items as written.
Each item links to its branch and to up to three stories of that branch that show the theme (the
theme's tag among the story's tags, or the theme's kind as the story's kind), newest first.

Everything is computed in one pass over the branches (plus one pass over the stories for the joint
stories; a partner pairing reads only its own branch's stories): matching scans each item's text once
per distinct term length, so the cost grows with the amount of content, not with the number of
branch × theme combinations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dangjian_column.content.catalog import Catalog
from dangjian_column.content.slugs import claim, slugify
from dangjian_column.model import Branch, Pairing, Story, TextItem
from dangjian_column.pages.memory import reuse_or_make
from dangjian_column.pages.plans import PagePlan, common_context
from dangjian_column.pages.urls import EXPERIENCES, HIGHLIGHTS, LEARNING, PAIRINGS, kind_url, source_uri
from dangjian_column.pages.views import BranchCard, Link, StoryCard, ViewBuilder

OTHER_THEME = "其他"
STORIES_PER_ITEM = 3

PairKey = tuple[str, str, str]  # ("branch", a, b) with a < b, or ("partner", slug, partner name)


# Pairings ----------------------------------------------------------------------------------------

def pair_key(slug: str, pairing: Pairing) -> PairKey:
    if pairing.branch:
        a, b = sorted((slug, pairing.branch))
        return ("branch", a, b)
    return ("partner", slug, pairing.partner)


def pairing_anchors(branches: dict[str, Branch]) -> dict[PairKey, str]:
    """The anchor of every pair on the pairings page; branch pages link to the same anchors."""
    anchors: dict[PairKey, str] = {}
    taken: set[str] = set()
    for slug, branch in branches.items():
        for pairing in branch.pairings:
            key = pair_key(slug, pairing)
            if key in anchors:
                continue
            if key[0] == "branch":
                anchor = f"pair-{key[1]}--{key[2]}"
                taken.add(anchor)
            else:
                anchor = claim(f"pair-{slug}--{slugify(pairing.partner, 40) or 'partner'}", taken)
            anchors[key] = anchor
    return anchors


@dataclass
class PairView:
    anchor: str
    first: BranchCard
    second: BranchCard | None  # None for an outside partner
    partner: str
    notes: list[str] = field(default_factory=list)
    stories: list[StoryCard] = field(default_factory=list)


# Themes ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Theme:
    label: str
    rank: tuple  # (0, tag name) for tags, (1, kind order) for kinds, (2,) for 其他
    anchor: str
    link: Link | None = None


@dataclass(frozen=True)
class ItemView:
    title: str
    text: str
    branch: BranchCard
    stories: tuple[StoryCard, ...]


@dataclass
class ThemeGroup:
    theme: Theme
    items: list[ItemView] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.theme.label

    @property
    def anchor(self) -> str:
        return self.theme.anchor

    @property
    def link(self) -> Link | None:
        return self.theme.link


class ThemeMatcher:
    """Finds an item's theme by the rule in the module docstring."""

    def __init__(self, catalog: Catalog, views: ViewBuilder):
        self.themes: dict[str, Theme] = {}
        terms: dict[str, tuple[str, int]] = {}  # term -> (theme label, 0 for tag / 1 for kind)
        for tag in sorted(catalog.by_tag):
            self.themes[tag] = Theme(tag, (0, tag), f"theme-tag-{catalog.tag_slugs[tag]}", views.tag_links[tag])
            terms[tag] = (tag, 0)
        for order, kind in enumerate(catalog.settings.kinds):
            if kind.label not in self.themes:  # a tag spelled like the kind keeps its theme, covering both
                self.themes[kind.label] = Theme(kind.label, (1, order), f"theme-kind-{kind.key}",
                                                Link(kind.label, kind_url(kind.key)))
            for name in (kind.label, *kind.aliases):
                terms.setdefault(name, (kind.label, 1))
        self.other = Theme(OTHER_THEME, (2,), "theme-other")
        self.custom: dict[str, Theme] = {}  # themes named by items that are neither tags nor kinds
        self.terms = terms
        self.lengths = sorted({len(t) for t in terms if t})
        # What each text was found to name, kept by the preview's memory while the terms are the same: the
        # scan of every highlight and experience was most of the learning pages' time per save.
        self._seen: dict[str, frozenset[str]] = reuse_or_make(
            views.memory, "learning terms", None, (terms,), dict)

    def _found(self, text: str) -> frozenset[str]:
        seen = self._seen.get(text)
        if seen is None:
            found = set()
            for i in range(len(text)):
                for length in self.lengths:
                    if i + length > len(text):
                        break
                    if text[i:i + length] in self.terms:
                        found.add(text[i:i + length])
            seen = self._seen[text] = frozenset(found)
        return seen

    def theme_of(self, item: TextItem) -> Theme:
        if item.theme:
            known = self.terms.get(item.theme)
            if known is not None:
                return self.themes[known[0]]
            return self.custom.setdefault(item.theme, Theme(item.theme, (1.5, item.theme),
                                                            f"theme-{slugify(item.theme) or 'custom'}"))
        in_title = self._found(item.title)
        in_text = self._found(item.text) - in_title
        candidates = [(0, term) for term in in_title] + [(1, term) for term in in_text]
        if not candidates:
            return self.other

        def preference(candidate: tuple[int, str]) -> tuple:
            where, term = candidate
            label, source = self.terms[term]
            return (where, -len(term), source, self.themes[label].rank, term)

        return self.themes[self.terms[min(candidates, key=preference)[1]][0]]

    def themes_of_story(self, story: Story) -> list[str]:
        labels = [t for t in story.tags if t in self.themes]
        if story.kind.label not in labels:
            labels.append(story.kind.label)
        return labels


# Pages -------------------------------------------------------------------------------------------

def learning_pages(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    matcher = ThemeMatcher(catalog, views)
    anchors = pairing_anchors(catalog.branches)
    joint = _joint_stories(catalog)
    pairs: dict[PairKey, PairView] = {}
    highlights: dict[str, ThemeGroup] = {}
    experiences: dict[str, ThemeGroup] = {}
    for slug, branch in catalog.branches.items():  # the one pass over the branches
        card = views.branch_cards[slug]
        for pairing in branch.pairings:
            _add_pair(pairs, anchors, joint, catalog, views, slug, pairing)
        if branch.highlights or branch.experiences:
            shown = _stories_by_theme(catalog.by_branch.get(slug, []), matcher)
            for items, groups in ((branch.highlights, highlights), (branch.experiences, experiences)):
                for item in items:
                    theme = matcher.theme_of(item)
                    group = groups.setdefault(theme.label, ThemeGroup(theme))
                    group.items.append(ItemView(item.title, item.text, card,
                                                tuple(views.cards(shown.get(theme.label, [])))))
    pair_list = list(pairs.values())
    highlight_groups = _ordered(highlights)
    experience_groups = _ordered(experiences)
    branch_pairs = [p for p in pair_list if p.second is not None]
    partner_pairs = [p for p in pair_list if p.second is None]
    n_highlights = sum(len(g.items) for g in highlight_groups)
    n_experiences = sum(len(g.items) for g in experience_groups)
    sections = [
        {"link": Link("双联结对", PAIRINGS, len(pair_list)), "unit": "对",
         "description": f"支部之间结对 {len(branch_pairs)} 对、与外部单位共建 {len(partner_pairs)} 对，"
                        "每一对的联合活动都在一起。"},
        {"link": Link("亮点墙", HIGHLIGHTS, n_highlights), "unit": "项",
         "description": f"各支部的品牌亮点，按主题分成 {len(highlight_groups)} 组，看看别人的好做法。"},
        {"link": Link("经验做法", EXPERIENCES, n_experiences), "unit": "条",
         "description": f"各支部总结的经验做法，按主题分成 {len(experience_groups)} 组，可学可用。"},
    ]
    return [
        PagePlan(source_uri(LEARNING), "互学互鉴", "column/learning-index.html",
                 {**common_context(catalog, "learning"), "sections": sections}),
        PagePlan(source_uri(PAIRINGS), "双联结对", "column/learning-pairings.html",
                 {**common_context(catalog, "pairings"), "branch_pairs": branch_pairs,
                  "partner_pairs": partner_pairs, "up": Link("互学互鉴", LEARNING)}),
        PagePlan(source_uri(HIGHLIGHTS), "亮点墙", "column/learning-wall.html",
                 {**common_context(catalog, "highlights"), "heading": "亮点墙", "groups": highlight_groups,
                  "total": n_highlights, "noun": "项亮点", "up": Link("互学互鉴", LEARNING),
                  "lead": "各支部的品牌亮点，按主题归类；点支部看品牌档案，点稿件看活动现场。"}),
        PagePlan(source_uri(EXPERIENCES), "经验做法", "column/learning-wall.html",
                 {**common_context(catalog, "experiences"), "heading": "经验做法", "groups": experience_groups,
                  "total": n_experiences, "noun": "条经验", "up": Link("互学互鉴", LEARNING),
                  "lead": "各支部总结的经验做法，按主题归类；点支部看品牌档案，点稿件看具体怎么做。"}),
    ]


def _joint_stories(catalog: Catalog) -> dict[PairKey, list[Story]]:
    """Stories of two or more branches, under every pair of their branches, newest first."""
    joint: dict[PairKey, list[Story]] = {}
    for story in catalog.stories:
        if not story.is_joint:
            continue
        slugs = sorted(set(story.branches))
        for i, a in enumerate(slugs):
            for b in slugs[i + 1:]:
                joint.setdefault(("branch", a, b), []).append(story)
    return joint


def _add_pair(pairs: dict[PairKey, PairView], anchors: dict[PairKey, str], joint: dict[PairKey, list[Story]],
              catalog: Catalog, views: ViewBuilder, slug: str, pairing: Pairing) -> None:
    if pairing.branch == slug:
        return  # reported by check_pairings
    key = pair_key(slug, pairing)
    pair = pairs.get(key)
    if pair is None:
        if key[0] == "branch":
            other = views.branch_cards.get(pairing.branch)
            if other is None:
                return
            stories = joint.get(key, [])
            pair = PairView(anchors[key], views.branch_cards[slug], other, "", stories=views.cards(stories))
        else:
            stories = [s for s in catalog.by_branch.get(slug, []) if _mentions(s, pairing.partner)]
            pair = PairView(anchors[key], views.branch_cards[slug], None, pairing.partner,
                            stories=views.cards(stories))
        pairs[key] = pair
    if pairing.note and pairing.note not in pair.notes:
        pair.notes.append(pairing.note)


def _mentions(story: Story, name: str) -> bool:
    return name in story.title or name in story.description or name in story.body


def _stories_by_theme(stories: list[Story], matcher: ThemeMatcher) -> dict[str, list[Story]]:
    """Up to three stories per theme label, from one branch's stories (already newest first)."""
    shown: dict[str, list[Story]] = {}
    for story in stories:
        for label in matcher.themes_of_story(story):
            bucket = shown.setdefault(label, [])
            if len(bucket) < STORIES_PER_ITEM:
                bucket.append(story)
    return shown


def _ordered(groups: dict[str, ThemeGroup]) -> list[ThemeGroup]:
    return sorted(groups.values(), key=lambda g: (g.theme.rank[0] == 2, -len(g.items), g.theme.rank))
