"""Images and links written in a story body, found the way Python-Markdown itself reads them.

A hand-written regex misreads phone names such as ``IMG_2023 (1).JPG`` (nested parentheses),
``<IMG_2023 (1).JPG>`` and titles; Python-Markdown's own inline processors (``getText``/``getLink``
with its bracket counting, and the reference processors with their definitions) are used instead,
block by block as Python-Markdown sees them, so what is found here is what the page will show.
Raw ``<img src>`` and ``<a href>`` tags are found too. Each reference keeps its span in the body,
so a refused one can be taken out of the Markdown before MkDocs renders it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Literal

from markdown.blockprocessors import ReferenceProcessor
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    LINK_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

Kind = Literal["image", "link"]

_FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BLOCK_GAP = re.compile(r"\n[ \t]*\n")
_RAW_TAG = re.compile(r"<(img|a)\b[^<>]*>", re.I)
# attr_list after an inline image (``![说明](01.jpg){: width=300}``) goes with the image
_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*[^{}\n]*\}")


@dataclass(frozen=True)
class Reference:
    kind: Kind
    target: str  # the src/href exactly as Python-Markdown (or the raw tag) gives it
    text: str  # alt text of an image, text of a link
    start: int  # span in the body
    end: int
    line: int  # 1-based line in the body
    raw_html: bool = False
    # for a Markdown link: the spans to delete so that only its text is left ("[" and "](...)")
    unwrap: tuple[tuple[int, int], ...] = field(default=(), compare=False)


def mask_code(text: str) -> str:
    """Code and comments replaced by spaces of the same length: offsets still point into ``text``."""
    if "`" in text or "~~~" in text:  # most stories have no code: skip the multi-line patterns
        text = _CODE_SPAN.sub(_blank, _FENCE.sub(_blank, text))
    return _COMMENT.sub(_blank, text) if "<!--" in text else text


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def find_references(body: str) -> list[Reference]:
    """Every image and link of ``body``, in order (code and comments are not looked at)."""
    if "[" not in body and "<" not in body:
        return []  # no image, link or tag (most stories): nothing to scan
    masked = mask_code(body)
    definitions, masked = _definitions(masked) if "]:" in masked else ({}, masked)
    finder = _Finder(definitions)
    found: list[Reference] = []
    offset = 0
    for block in _BLOCK_GAP.split(masked):
        start = masked.index(block, offset)
        found += finder.block(block, start)
        offset = start + len(block)
    # an image's alt text is plain text to Python-Markdown: ``![<img src=x>](01.jpg)`` holds no <img>
    alts = [(r.start, r.end) for r in found if r.kind == "image"]
    found += [r for r in _raw_tags(masked) if not any(start < r.start < end for start, end in alts)]
    found.sort(key=lambda r: r.start)
    return [_with_line(body, r) for r in found]


def without(body: str, refused: list[Reference]) -> str:
    """``body`` with each refused image removed and each refused link reduced to its text."""
    cuts: list[tuple[int, int]] = []
    for ref in refused:
        # an attr_list right after it (``{: width=300}``) goes too, or it would show as text
        attrs = None if ref.raw_html else _ATTR_LIST.match(body, ref.end)
        end = attrs.end() if attrs else ref.end
        if ref.unwrap:  # a Markdown link: "[" and "](...)" go, its text stays
            (open_start, open_end), (close_start, _) = ref.unwrap
            cuts += [(open_start, open_end), (close_start, end)]
        else:
            cuts.append((ref.start, end))
    out, pos = [], 0
    for start, end in sorted(set(cuts)):
        if start < pos:  # nested in a span already cut
            continue
        out.append(body[pos:start])
        pos = end
    out.append(body[pos:])
    return "".join(out)


def _definitions(masked: str) -> tuple[dict[str, tuple[str, str]], str]:
    """``[id]: target "title"`` definitions, keyed as Python-Markdown keys them (lower case), and the
    text with them blanked: Python-Markdown removes them before any inline pattern runs."""
    refs: dict[str, tuple[str, str]] = {}

    def take(match: re.Match) -> str:
        ref_id = match.group(1).strip().lower()
        if ref_id.startswith("^"):  # a footnote (the footnotes extension reads it first)
            return match.group(0)
        refs.setdefault(ref_id, (match.group(2).lstrip("<").rstrip(">"), match.group(5) or match.group(6) or ""))
        return _blank(match)

    return refs, ReferenceProcessor.RE.sub(take, masked)


class _Finder:
    """Python-Markdown's inline processors, tried at each ``[`` and ``![`` in their own order."""

    def __init__(self, references: dict[str, tuple[str, str]]) -> None:
        # The processors only read ``md.references`` and look up ``md.treeprocessors['inline']`` to
        # unescape (a KeyError there means "nothing stashed"): a stand-in avoids building a Markdown.
        md = SimpleNamespace(references=references, treeprocessors={})
        self.images = [ImageInlineProcessor(IMAGE_LINK_RE, md), ImageReferenceInlineProcessor(IMAGE_LINK_RE, md),
                       ShortImageReferenceInlineProcessor(IMAGE_LINK_RE, md)]
        self.links = [LinkInlineProcessor(LINK_RE, md), ReferenceInlineProcessor(LINK_RE, md),
                      ShortReferenceInlineProcessor(LINK_RE, md)]

    def block(self, block: str, offset: int) -> list[Reference]:
        images = self._all("image", self.images, block, offset, [])
        # a "[" inside an image (``![说明][id]``) starts no link: Python-Markdown already made it an <img>
        return images + self._all("link", self.links, block, offset, [(r.start, r.end) for r in images])

    def _all(self, kind: Kind, processors: list, block: str, offset: int,
             taken: list[tuple[int, int]]) -> list[Reference]:
        found = []
        for match in processors[0].compiled_re.finditer(block):
            if any(start < offset + match.start() < end for start, end in taken):
                continue
            ref = self._first(kind, processors, match, block, offset)
            if ref is not None:
                found.append(ref)
        return found

    def _first(self, kind: Kind, processors: list, match: re.Match, block: str, offset: int) -> Reference | None:
        for processor in processors:
            element, start, end = processor.handleMatch(match, block)
            if element is None or start is None:
                continue
            text, text_end, _ = processor.getText(block, match.end(0))
            target = element.get("src" if kind == "image" else "href", "")
            unwrap = ((offset + start, offset + match.end(0)), (offset + text_end - 1, offset + end))
            return Reference(kind, target, element.get("alt", text), offset + start, offset + end, 0,
                             unwrap=unwrap if kind == "link" else ())
        return None


class _Attrs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.attrs = {k: v or "" for k, v in attrs}

    handle_startendtag = handle_starttag


def tag_attributes(tag: str) -> dict[str, str]:
    """The attributes of one start tag, entities decoded (``<img src="a&amp;b.jpg">`` → ``a&b.jpg``)."""
    parser = _Attrs()
    parser.feed(tag)
    return parser.attrs


def _raw_tags(masked: str) -> list[Reference]:
    found = []
    for match in _RAW_TAG.finditer(masked):
        attrs = tag_attributes(match.group(0))
        image = match.group(1).lower() == "img"
        target = attrs.get("src" if image else "href")
        if target is not None:
            found.append(Reference("image" if image else "link", target.strip(), attrs.get("alt", "").strip(),
                                   match.start(), match.end(), 0, raw_html=True))
    return found


def _with_line(body: str, ref: Reference) -> Reference:
    return replace(ref, line=body.count("\n", 0, ref.start) + 1)
