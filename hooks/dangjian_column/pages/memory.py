"""What the last plan made, kept for the next one: the preview plans the whole column after every save.

A value is handed back only while the inputs it was made from are equal (``==``) to the ones it was
made from last time, so a re-plan can never be stale, only slower. Stories a save did not touch come
from the story cache as the same objects, so most comparisons stop at identity, and a reused card or
context is the very object the previous plan's page inputs hold: comparing those stops at identity too.

A build plans once and passes no memory (``None``): nothing is kept, nothing is compared.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class PlanMemory:
    def __init__(self) -> None:
        self._kept: dict[tuple[str, Hashable], tuple[tuple, object]] = {}
        self._made: dict[tuple[str, Hashable], tuple[tuple, object]] = {}
        self._carried: set[str] = set()  # families whose values outlive a plan that did not ask for them
        self._interned: dict[object, object] = {}
        self._interned_now: dict[object, object] = {}

    def reuse(self, family: str, key: Hashable, inputs: tuple, make: Callable[[], T]) -> T:
        """``make()``, or what it gave last plan for ``(family, key)`` if ``inputs`` are equal to then."""
        slot = (family, key)
        found = self._kept.get(slot)
        if found is None or found[0] != inputs:
            found = (inputs, make())
        self._made[slot] = found
        return found[1]  # type: ignore[return-value]

    def intern(self, value: T) -> T:
        """The earlier object equal to ``value`` (hashable, immutable), so later comparisons stop at identity."""
        found = self._interned_now.get(value)
        if found is None:
            found = self._interned.get(value, value)
            self._interned_now[value] = found
        return found  # type: ignore[return-value]

    def carry(self, family: str) -> None:
        """Keep ``family``'s values through plans that do not ask for them: a value made of many of them
        (and handed back whole) would otherwise leave the next plan that needs them to make every one."""
        self._carried.add(family)

    def next_plan(self) -> None:
        """The plan is complete: keep what it made (and only that, but for carried families) for the next one."""
        if self._carried:
            for slot, found in self._kept.items():
                if slot[0] in self._carried:
                    self._made.setdefault(slot, found)
        self._kept, self._made = self._made, {}
        self._interned, self._interned_now = self._interned_now, {}


def reuse_or_make(memory: PlanMemory | None, family: str, key: Hashable, inputs: tuple, make: Callable[[], T]) -> T:
    return make() if memory is None else memory.reuse(family, key, inputs, make)


def interned(memory: PlanMemory | None, value: T) -> T:
    return value if memory is None else memory.intern(value)
