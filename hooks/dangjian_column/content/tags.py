"""Tags as staff type them, made comparable and given URLs that do not move.

``#主题党日``, ``主题党日 `` and ``主题 党日`` are one tag. Staff paste tags from WeChat (``#话题``,
full-width ``＃``), add stray spaces, or vary the case of English words. Each variant used to become
its own tag page, and a variant that sorted first took over the established tag's URL. Stories keep
the cleaned form they wrote (``clean_tag``); the catalog merges them on ``tag_key`` and shows the form
of the first-published story; tags whose pinyin is the same (安全生产, 安全/生产) claim URLs in the order
they were first published.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping

from dangjian_column.content.slugs import claim, slugify
from dangjian_column.model import Story
from dangjian_column.pages.urls import tag_url
from dangjian_column.problems import ProblemLog

Seniority = Callable[[Story], tuple]  # sort key: the story published first sorts first (catalog.published_first)

_SPACES = re.compile(r"\s+")
# A space between two characters of which one is not ASCII (CJK, full-width punctuation) carries no
# meaning in Chinese text: "主题 党日" is "主题党日". Between two ASCII words it does ("Party Day").
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")


def clean_tag(raw: str) -> str:
    """The tag as it should be shown: NFKC (full-width ``＃``/letters become ASCII), no ``#`` around
    it (``#话题`` and Weibo's ``#话题#``), whitespace collapsed, no space next to a Chinese character."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", raw)).strip()
    if text.startswith("#"):
        text = text.lstrip("#").rstrip("#").strip()
    return _CJK_SPACE.sub("", text)


@functools.lru_cache(maxsize=4096)  # a column has tens to hundreds of tags, each met thousands of times
def tag_key(label: str) -> str:
    """What two tags must share to be one tag: the cleaned form, ASCII letters in lower case.

    Only ASCII is folded: ``str.casefold`` would also fold letters that Chinese text never varies."""
    return clean_tag(label).translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def story_tags(raw: tuple[str, ...]) -> tuple[str, ...]:
    """A story's tags, cleaned, each tag once (the first spelling wins), empty ones (a lone ``#``) dropped."""
    tags: dict[str, str] = {}
    for text in raw:
        label = clean_tag(text)
        if label:
            tags.setdefault(tag_key(label), label)
    return tuple(tags.values())


def merge_tags(stories: list[Story], seniority: Seniority) -> list[Story]:
    """Variants of one tag become one: every story shows the spelling of the first-published story that
    used the tag, so the tag has one page, one label and one count. Stories whose tags change are copies."""
    spellings: dict[str, dict[str, list[Story]]] = defaultdict(dict)  # key -> spelling -> its stories
    for story in stories:
        for tag in story.tags:
            spellings[tag_key(tag)].setdefault(tag, []).append(story)
    label = {}
    for key, variants in spellings.items():
        label[key] = next(iter(variants)) if len(variants) == 1 else min(
            variants, key=lambda spelling: min(map(seniority, variants[spelling])))
    merged = []
    for story in stories:
        tags = tuple(dict.fromkeys(label[tag_key(tag)] for tag in story.tags))
        merged.append(story if tags == story.tags else dataclasses.replace(story, tags=tags))
    return merged


_NUMBERED = re.compile(r"(?:-\d+)+$")


def tag_slugs(by_tag: dict[str, list[Story]], seniority: Seniority, log: ProblemLog,
              held: Mapping[str, list[Story]] | None = None) -> dict[str, str]:
    """Tag -> URL slug. Tags whose slugs could meet (``a``, ``a-2``…) claim them in the order they were
    first published: an established tag keeps its URL, a newcomer gets ``-2`` and is reported.

    ``held``: the tags of taken-down stories (撤稿, expired). They still hold what they claimed, so when the
    last story of ``a`` is taken down, the tag at ``a-2`` stays there instead of moving to ``a``."""
    live_keys = {tag_key(tag) for tag in by_tag}
    claimants = {tag: stories for tag, stories in (held or {}).items() if tag_key(tag) not in live_keys}
    claimants.update(by_tag)
    families: dict[str, list[str]] = defaultdict(list)
    for tag in claimants:
        families[_NUMBERED.sub("", slugify(tag) or "tag")].append(tag)
    slugs: dict[str, str] = {}
    for tags in families.values():
        if len(tags) == 1:
            slugs[tags[0]] = slugify(tags[0]) or "tag"
        else:  # only here is the history read (seniority)
            _claim_in_order(tags, claimants, seniority, slugs, log, live=by_tag)
    return dict(sorted((tag, slug) for tag, slug in slugs.items() if tag in by_tag))


def _claim_in_order(tags: list[str], by_tag: Mapping[str, list[Story]], seniority: Seniority,
                    slugs: dict[str, str], log: ProblemLog, live: Mapping[str, list[Story]]) -> None:
    first = {tag: min(by_tag[tag], key=seniority) for tag in tags}
    owners: dict[str, str] = {}  # slug -> the tag holding it
    for tag in sorted(tags, key=lambda t: seniority(first[t])):
        base = slugify(tag) or "tag"
        slug = claim(base, set(owners))
        owners[slug] = tag
        slugs[tag] = slug
        if slug != base and tag in live:
            owner = owners[base]
            _report(log, tag, first[tag], owner, first[owner], base, slug)


def _report(log: ProblemLog, tag: str, story: Story, owner_tag: str, owner: Story, base: str, slug: str) -> None:
    log.add(story.source_path, f"标签“{tag}”的网址 {tag_url(base)} 已被先发布的标签“{owner_tag}”使用（见 "
            f"{owner.source_path}），本标签的页面改用 {tag_url(slug)}。如果两者是同一个标签，请把本篇的标签改成"
            f"“{owner_tag}”；如果不是，请换一个写法。", level="warning", field="tags",
            line=story.key_lines.get("tags", 0))
