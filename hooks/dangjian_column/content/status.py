"""Review status (审核状态): which stories a production build may publish, and how staff write it.

A story is ``draft`` (草稿), ``review`` (待审), ``published`` (已发布) or ``withdrawn`` (撤稿: taken down
after publication, its URL answers a notice page; see content/takedown.py). Only a production build filters
on it: a preview build (``dangjian serve``, ``dangjian build --preview``, ``DANGJIAN_PREVIEW=1``) shows
every story, with a banner on the unapproved ones.

Two ways to approve, chosen in column.yml (AUTHORING.md 审核流程):

- one level (no ``review.levels``): ``status: 已发布`` publishes; ``dangjian approve`` sets it and records
  who approved in ``reviews:``;
- review on record (``review.levels: standard`` for 初审 → 复审 → 终审, or a list of levels): the signatures
  in ``reviews:`` decide (content/reviews.py); ``status`` then only keeps a 草稿 back, and a hand-written
  ``已发布`` without every signature is reported and not published.
"""

from __future__ import annotations

import difflib
import os

from dangjian_column.config.review import STATUSES, ReviewSettings, normal

PREVIEW_ENV = "DANGJIAN_PREVIEW"


def parse_status(value: object, review: ReviewSettings) -> str | None:
    """The status key for what a story wrote, or None when it is not a configured status word."""
    if value is None or value == "":
        return review.default_status
    return review.lookup().get(normal(value))


def closest_status(value: object, review: ReviewSettings) -> str:
    """The configured label that ``value`` most resembles ("发布" → "已发布"), or "" when none is close."""
    words = {normal(w): w for w in (*review.labels.values(), *(a for ws in review.aliases.values() for a in ws))}
    close = difflib.get_close_matches(normal(value), list(words), n=1, cutoff=0.5)
    return str(words[close[0]]) if close else ""


def status_choices(review: ReviewSettings) -> str:
    return " | ".join(review.labels[key] for key in STATUSES)


def preview_from_env(default: bool = False) -> bool:
    value = os.environ.get(PREVIEW_ENV, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return default
