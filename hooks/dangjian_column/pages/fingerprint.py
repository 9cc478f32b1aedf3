"""A page's fingerprint: a digest of everything the column hands the builder for that page.

Two builds that give a page the same fingerprint render it the same, as long as the templates and
the builder's configuration are the same too (the builder's side: the preview rebuilds everything
when those change). The incremental preview re-renders exactly the pages whose fingerprint changed.

The digest walks the page's plan — title, Markdown, template, context, breadcrumb, problems shown —
through dataclasses, dicts and sequences. A string that names a processed photo brings that photo's
renditions in, since the page's ``<picture>`` is made from them. Each dataclass instance (a story card
is shared by dozens of pages) is digested once per pass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from pathlib import PurePath

Digest = str
_SCALARS = {bool, int, float}
_FIELDS: dict[type, tuple[str, ...]] = {}  # dataclass -> its field names

class Fingerprinter:
    """One pass: the memo holds objects by id, so it lives no longer than the plan that holds them."""

    def __init__(self, photo_facts: Callable[[str], object | None]):
        self._photo_facts = photo_facts
        self._memo: dict[int, Digest] = {}
        self._keep: list[object] = []  # what the memo's ids refer to, alive for as long as the memo
        self._in_facts = False

    def digest(self, *parts: object) -> Digest:
        out: list[str] = []
        for part in parts:
            self._walk(part, out)
        return hashlib.blake2b("\x1f".join(out).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def _walk(self, value: object, out: list[str]) -> None:
        kind = type(value)  # dispatch on the exact type first: this runs about a hundred times per page
        if kind is str:
            out.append(value)
            if "/" in value and not self._in_facts and (facts := self._photo_facts(value)) is not None:
                self._in_facts = True  # the facts name the photo again
                try:
                    self._walk(facts, out)
                finally:
                    self._in_facts = False
        elif kind is list or kind is tuple:
            out.append("[")
            for item in value:
                if type(item) is str and "/" not in item:  # most items: no call needed
                    out.append(item)
                else:
                    self._walk(item, out)
            out.append("]")
        elif kind is dict:
            out.append("{")
            for key, item in value.items():
                out.append(key if type(key) is str else str(key))
                if type(item) is str and "/" not in item:
                    out.append(item)
                elif item is None or item is True or item is False:
                    out.append(repr(item))
                else:
                    self._walk(item, out)
            out.append("}")
        elif value is None or kind in _SCALARS:
            out.append(repr(value))
        elif kind in _FIELDS or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            out.append(self._object(value))
        elif isinstance(value, str):  # Markup and other str subclasses
            out.append(str(value))
        elif isinstance(value, dt.date):
            out.append(value.isoformat())
        elif isinstance(value, PurePath):
            out.append(value.as_posix())
        elif isinstance(value, Mapping):
            self._walk(dict(value), out)
        elif isinstance(value, list | tuple):
            self._walk(list(value), out)
        elif isinstance(value, set | frozenset):
            self._walk(sorted(value, key=repr), out)
        else:  # no rule for it: a token no other pass makes, so the page is always rendered (never stale)
            out.append(f"{type(value).__name__}@{id(self)}:{id(value)}")

    def _object(self, value: object) -> Digest:
        key = id(value)
        found = self._memo.get(key)
        if found is None:
            kind = type(value)
            names = _FIELDS.get(kind)
            if names is None:
                names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
            found = self._memo[key] = self.digest(kind.__name__, [getattr(value, name) for name in names])
            self._keep.append(value)
        return found
