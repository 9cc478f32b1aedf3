"""Render once the template pieces that are the same on thousands of pages (issue 13).

Material draws the header, the tabs, the navigation drawer, the stylesheets, the scripts and its
``__config`` JSON on every page; with the column's masthead and footer that was about half the Jinja time
of a 12,000-page build, for output that differs between pages only in the relative URLs it links to. A
template wraps such a piece in ``{% call dj_once("name") %}…{% endcall %}`` (``nav=true`` for pieces that
show which nav entry is active); ``TemplateCache`` renders it the first time and hands the same string to
every page whose links would come out the same.

Never stale, by construction:

- one ``TemplateCache`` per build (made in the hooks' ``on_env``), so nothing outlives a rebuild;
- the key of a piece is made from what its output depends on: every URL the piece passes through the ``url``
  and ``script_tag`` filters is recorded while it renders, and the key is the page's folder depth plus the
  part of its folder those URLs share (the only things a relative URL depends on, see ``signature``);
- a ``nav=true`` piece is rendered afresh on pages that are in the nav (the only pages where an entry is
  active), and nothing is cached for a page without a URL (the 404 page);
- the pieces (main.html, partials/header.html) read nothing else of the page: the per-page parts (title,
  description, table of contents, the ``hidden`` switch) stay outside them.

``dj_same(value, variant…)`` is the same idea for a piece made of one immutable value (a story card): kept per
value (by identity), variant and page depth for one build, or until the preview's next update.

``DANGJIAN_TEMPLATE_CACHE=0`` renders every piece on every page; ``tests/test_build_reuse.py`` builds the
sample site both ways and compares every page byte for byte.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Hashable
from urllib.parse import urlsplit

from jinja2 import pass_context
from markupsafe import Markup

CACHE_ENV = "DANGJIAN_TEMPLATE_CACHE"


def _parts(path: str) -> list[str]:
    """The path's folders and name as MkDocs compares them (mkdocs.utils._norm_parts)."""
    path = posixpath.normpath("/" + path)[1:]
    return path.split("/") if path else []


def page_folder(url: str) -> tuple[str, ...]:
    """The folder a relative URL is resolved from: the URL minus a last part that has a dot (a file)."""
    folder, _, name = url.rpartition("/")
    return tuple(_parts(folder if "." in name else url))


class _Piece:
    __slots__ = ("_signatures", "prefixes", "rendered", "targets")

    def __init__(self) -> None:
        self.targets: list[str] = []  # every URL the piece passed through the filters
        self.prefixes: set[tuple[str, ...]] = set()  # leading parts of every URL the piece linked to
        self.rendered: dict[tuple, Markup] = {}
        self._signatures: dict[tuple[str, ...], tuple] = {}  # folder -> signature, for the prefixes as they are

    def add_target(self, target: str) -> None:
        if target not in self.targets:
            self.targets.append(target)
            self.prefixes.update(_prefixes(target))
            self._signatures.clear()

    def signature(self, folder: tuple[str, ...]) -> tuple:
        """What decides every relative URL from ``folder`` to the recorded targets: the folder's depth and its
        longest leading part that is also a leading part of a target (MkDocs' relative URL is '..' for each
        folder past the common part, then the target's remaining parts)."""
        known = self._signatures.get(folder)
        if known is not None:
            return known
        shared = 0
        for n in range(1, len(folder) + 1):
            if folder[:n] not in self.prefixes:
                break
            shared = n
        known = self._signatures[folder] = (len(folder), folder[:shared])
        return known


class TemplateCache:
    """``dj_once`` for the templates; ``install`` wraps the URL filters so each piece's targets are recorded."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = os.environ.get(CACHE_ENV, "1") != "0" if enabled is None else enabled
        self._same: dict[tuple, tuple[object, Markup]] = {}  # (id, variant..., base_url) -> (object, output)
        self._pieces: dict[str, _Piece] = {}
        self._recording: list[list[str]] = []  # URLs passed to the filters by the pieces being rendered
        self._nav_urls: frozenset[str] | None = None
        self._folders: dict[str, tuple[str, ...]] = {}  # page URL -> page_folder
        self.renders = 0  # how many times a piece was actually rendered (tests, benchmarks)

    def install(self, env) -> None:
        """Register ``dj_once`` and record what the ``url`` and ``script_tag`` filters are asked for."""
        @pass_context
        def dj_once(context, name: str, *, caller: Callable[[], str], nav: bool = False) -> Markup:
            return self.once(context, name, caller, nav)

        env.globals["dj_once"] = dj_once

        @pass_context
        def dj_same(context, value: object, *variant: Hashable, caller: Callable[[], str]) -> Markup:
            return self.same(context, value, variant, caller)

        env.globals["dj_same"] = dj_same
        for name in ("url", "script_tag"):
            if name in env.filters:
                env.filters[name] = self._recorded(env.filters[name])

    def _recorded(self, original: Callable) -> Callable:
        @pass_context
        def recorded(context, value, *args, **kwargs):
            if self._recording:
                self._recording[-1].append(str(value))
            return original(context, value, *args, **kwargs)
        return recorded

    def once(self, context, name: str, caller: Callable[[], str], nav: bool = False) -> Markup:
        """The piece ``name`` for the page of ``context``: rendered by ``caller`` or reused."""
        page = context.get("page")
        url = getattr(page, "url", None)
        if not self.enabled or url is None or (nav and url in self._nav_page_urls(context)):
            return Markup(caller())
        piece = self._pieces.get(name)
        folder = self._folders.get(url)
        if folder is None:
            folder = self._folders[url] = page_folder(url)
        if piece is not None:
            hit = piece.rendered.get((context.get("base_url"), *piece.signature(folder)))
            if hit is not None:
                if self._recording:  # a piece inside a piece: the outer one links there too
                    self._recording[-1].extend(piece.targets)
                return hit
        else:
            piece = self._pieces[name] = _Piece()
        self._recording.append([])
        try:
            output = Markup(caller())
        finally:
            targets = self._recording.pop()
        self.renders += 1
        if self._recording:
            self._recording[-1].extend(targets)
        for target in targets:
            piece.add_target(target)
        piece.rendered[(context.get("base_url"), *piece.signature(folder))] = output
        return output

    def same(self, context, value: object, variant: tuple, caller: Callable[[], str]) -> Markup:
        """The markup of an immutable ``value`` (a frozen story card), rendered once per ``variant`` and page
        depth (``base_url``): a card is on five or six listings, and each of 3,000 listing pages drew 20 cards
        (≈ 3 s of a 9,000-story build). Only for markup that reads nothing but ``value``, ``variant`` and
        ``base_url`` (no ``url`` filter). Keyed by identity, so only within one build: the preview, which keeps
        its templates between saves while a photo can change under an unchanged card, calls ``forget_objects``
        before each update."""
        if not self.enabled:
            return Markup(caller())
        key = (id(value), *variant, context.get("base_url"))
        found = self._same.get(key)
        if found is None or found[0] is not value:
            found = self._same[key] = (value, Markup(caller()))  # holding value keeps its id from being reused
        return found[1]

    def forget_objects(self) -> None:
        """Drop what ``same`` kept: the next pages are drawn from a new plan."""
        self._same.clear()

    def _nav_page_urls(self, context) -> frozenset[str]:
        if self._nav_urls is None:
            nav = context.get("nav")
            self._nav_urls = frozenset(p.url for p in getattr(nav, "pages", []) or [])
        return self._nav_urls


def _prefixes(target: str) -> list[tuple[str, ...]]:
    """The leading parts of a URL a filter resolves relative to the page; none for an absolute one."""
    split = urlsplit(target)
    if split.scheme or split.netloc or target.startswith(("/", "#")):
        return []
    parts = _parts(target)
    return [tuple(parts[:n]) for n in range(1, len(parts) + 1)]
