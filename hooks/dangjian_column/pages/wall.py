"""The home page's brand wall, grouped so it stays a few screens long with 150 branches.

Branches are grouped by ``category`` (机关 / 项目一线 …), or by ``parent`` (上级单位) where no category is
given; groups keep the order of their first branch in the wall (the branches' ``order``).
"""

from __future__ import annotations

from dataclasses import dataclass

from dangjian_column.pages.views import BranchCard

OTHER_GROUP = "其他支部"
# Up to this many branches the wall is shown whole; above it only the first group starts open.
OPEN_ALL_UP_TO = 24


@dataclass(frozen=True)
class WallGroup:
    label: str
    cards: tuple[BranchCard, ...]
    open: bool


def wall_groups(cards: list[BranchCard]) -> list[WallGroup]:
    grouped: dict[str, list[BranchCard]] = {}
    for card in cards:
        grouped.setdefault(card.category or card.parent or OTHER_GROUP, []).append(card)
    open_all = len(cards) <= OPEN_ALL_UP_TO
    return [WallGroup(label, tuple(members), open_all or i == 0)
            for i, (label, members) in enumerate(grouped.items())]
