"""A story's rendered body as HTML that survives pasting into the WeChat official-account editor.

WeChat's editor keeps only inline styles (it drops ``<style>``, classes, ids and scripts), allows no
links except to other WeChat articles, and shows pictures only when their URL is absolute. So the
body is reshaped (unsafe elements dropped, lists at most two levels deep, links turned into numbered
references, pictures made absolute with their captions), styled by a small stylesheet inlined with
css-inline, and every class and id is removed afterwards.

The body is the sanitiser's output (nh3, serialised by html5ever: every tag starts with ``<`` and a
letter, attribute values are quoted, elements are closed), so it is read by one tokenising regex into
a small tree instead of BeautifulSoup, which cost ~90 % of the export at 9,000 stories (issue 13).
``tests/test_wechat_equivalence.py`` checks the result equals the BeautifulSoup version's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import css_inline

from dangjian_column.config.publishing import PublishingSettings

ImageUrl = Callable[[str], "str | None"]
ImageSize = Callable[[str], "tuple[int, int] | None"]
KEPT_ATTRIBUTES = {"href", "src", "alt", "width", "height", "style", "colspan", "rowspan", "start"}
_ACCENT = "#c8161d"
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)  # one for every story (its set-up is per call otherwise)

_CSS = """
section.dj-wx { width: 100%; max-width: {width}px; margin: 0 auto; color: #333; font-size: 16px;
  line-height: 1.75; letter-spacing: .5px; word-wrap: break-word; }
.dj-wx-brand { display: block; padding: 12px 14px; margin: 0 0 20px; border-left: 4px solid {accent};
  background: #fdf3f3; }
.dj-wx-logo { display: inline-block; width: 48px; height: 48px; margin: 0 10px 0 0; vertical-align: middle;
  border-radius: 4px; }
.dj-wx-brandname { display: block; color: {accent}; font-size: 18px; font-weight: bold; }
.dj-wx-branch { display: block; color: #666; font-size: 14px; }
.dj-wx-slogan { display: block; color: #666; font-size: 14px; }
.dj-wx-title { margin: 0 0 16px; font-size: 22px; line-height: 1.4; font-weight: bold; color: #222; }
p { margin: 0 0 16px; text-align: justify; }
h2 { margin: 28px 0 14px; padding: 0 0 4px; font-size: 18px; font-weight: bold; color: {accent};
  border-bottom: 1px solid #f0d5d5; }
h3, h4, h5, h6 { margin: 22px 0 12px; font-size: 17px; font-weight: bold; color: #333; }
ul, ol { margin: 0 0 16px; padding: 0 0 0 24px; }
li { margin: 0 0 6px; }
li ul, li ol { margin: 6px 0 0; }
blockquote { margin: 0 0 16px; padding: 10px 14px; border-left: 3px solid #ddd; background: #f7f7f7;
  color: #666; }
table { width: 100%; margin: 0 0 16px; border-collapse: collapse; font-size: 14px; }
th, td { padding: 6px 8px; border: 1px solid #ddd; text-align: left; }
th { background: #f5f5f5; font-weight: bold; }
img { display: block; width: 100%; max-width: 100%; height: auto; margin: 0 auto; }
.dj-wx-cap { display: block; margin: 6px 0 0; color: #666; font-size: 13px; text-align: center; }
.dj-wx-ref { color: {accent}; font-size: 12px; }
.admonition { margin: 0 0 16px; padding: 10px 14px; border-left: 3px solid {accent}; background: #fdf3f3; }
.admonition-title { margin: 0 0 6px; font-weight: bold; }
.footnote { color: #666; font-size: 14px; }
hr { margin: 20px 0; border: 0; border-top: 1px solid #ddd; }
.dj-wx-refs { margin: 28px 0 0; padding: 12px 0 0; border-top: 1px solid #eee; color: #666; font-size: 13px; }
.dj-wx-refs-title { margin: 0 0 6px; font-weight: bold; }
.dj-wx-refs p { margin: 0 0 4px; word-break: break-all; }
.dj-wx-source { margin: 24px 0 0; color: #666; font-size: 13px; word-break: break-all; }
.dj-wx-credit { margin: 4px 0 0; color: #666; font-size: 13px; }
"""


def export_article(body_html: str, *, title: str, brand_header: dict, source_line: str, page_url_abs: str,
                   image_url: ImageUrl, width: int = PublishingSettings.wechat_width,
                   image_size: ImageSize | None = None, credits: tuple[str, ...] = ()) -> str:
    """WeChat-safe HTML of one story: brand header, title, body, 参考链接, source line and the credit lines
    (``credits``: "撰稿：…　摄影：…", "责任编辑：…　审核：…", as the story page's footer); inline styles only.

    ``brand_header`` has ``brand``, ``branch`` (name), ``slogan`` and ``logo_url`` (absolute or None).
    ``image_url`` maps an image's original (page-relative) src to the absolute URL of a ~960-px JPEG,
    or None to leave the picture out (its caption stays as text); ``image_size`` maps it to that file's
    pixel size, written as ``width``/``height`` so the export page keeps the photo's box while it loads
    (without them the text jumped down under each arriving photo: Lighthouse's layout shift, 0.18–0.33).
    """
    body = _parse(body_html)  # script, style and the other unsafe elements are left out as it reads
    lowered = body_html.lower()  # each step below is skipped when the body has nothing it changes
    if lowered.count("<ul") + lowered.count("<ol") >= 3:  # (a third level needs three lists)
        _flatten_lists(body)
    refs = _number_links(body, page_url_abs) if "<a" in lowered else []
    if "<img" in lowered or "<fig" in lowered:
        _place_images(body, image_url, image_size)
    article = (f'<section class="dj-wx">{_brand(brand_header)}'
               f'<h1 class="dj-wx-title">{html.escape(title)}</h1>{_serialize(body.children)}'
               f'{_references(refs)}{_source(source_line, page_url_abs)}{_credits(credits)}</section>')
    css = _CSS.replace("{width}", str(width)).replace("{accent}", _ACCENT)
    inlined = _INLINER.inline_fragment(article, css)
    return _strip_attributes(inlined)


# --- a small tree of the body ---------------------------------------------------------------------------
#
# Elements are _Element; text is a str holding its HTML as written (entities and all), so it is copied out
# unchanged; a comment is a _Comment (a str that is not text). The tree follows html.parser as
# BeautifulSoup uses it: void elements close at once, an end tag closes up to the nearest open element of its
# name (or is ignored), ``<x/>`` is an empty element, script and style hold raw text up to their end tag.

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
                   "source", "track", "wbr"})
_RAW_TEXT = frozenset({"script", "style"})
_UNSAFE = frozenset({"script", "style", "iframe", "object", "embed", "link", "meta", "noscript"})
# Material's ¶ permalinks and the footnotes' ↩ links point inside the page: meaningless in WeChat.
_IN_PAGE_LINK_CLASSES = frozenset({"headerlink", "footnote-backref"})
_TOKEN = re.compile(r"""<!--(.*?)-->|<(/?)([a-zA-Z][^\s/>]*)((?:\s*[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(/?)>""",
                    re.S)


class _Comment(str):
    pass


class _Element:
    __slots__ = ("attrs", "children", "name", "parent")

    def __init__(self, name: str, attrs: dict[str, str], parent: _Element | None = None) -> None:
        self.name = name
        self.attrs = attrs
        self.children: list[_Element | str] = []
        self.parent = parent

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def elements(self):
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, _Element):
                yield child
                yield from child.elements()

    def text(self, strip: bool = False) -> str:
        """BeautifulSoup's get_text(): the text below, each piece stripped and empty ones dropped with ``strip``."""
        parts = []
        for child in self.children:
            if isinstance(child, _Element):
                parts.append(child.text(strip))
            elif not isinstance(child, _Comment):
                piece = html.unescape(child)
                parts.append(piece.strip() if strip else piece)
        return "".join(parts)

    def extract(self) -> _Element:
        if self.parent is not None:
            _remove(self.parent.children, self)
            self.parent = None
        return self

    def insert_after(self, node: _Element) -> None:
        node.extract()
        siblings = self.parent.children
        siblings.insert(_index(siblings, self) + 1, node)
        node.parent = self.parent

    def unwrap(self) -> None:
        siblings = self.parent.children
        at = _index(siblings, self)
        for child in self.children:
            if isinstance(child, _Element):
                child.parent = self.parent
        siblings[at:at + 1] = self.children
        self.children, self.parent = [], None

    def find_parent(self, name: str) -> _Element | None:
        node = self.parent
        while node is not None and node.name != name:
            node = node.parent
        return node


def _index(siblings: list, node: _Element) -> int:
    return next(i for i, child in enumerate(siblings) if child is node)


def _remove(siblings: list, node: _Element) -> None:
    del siblings[_index(siblings, node)]


_ATTRIBUTE_VALUE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def _attributes(text: str) -> dict[str, str]:
    attrs = {}
    for m in _ATTRIBUTE_VALUE.finditer(text):
        value = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4) or ""
        attrs[m.group(1).lower()] = html.unescape(value) if "&" in value else value
    return attrs


def _parse(fragment: str) -> _Element:
    root = _Element("", {})
    node, pos = root, 0
    for m in _TOKEN.finditer(fragment):
        if m.start() < pos:  # inside a script or style skipped below
            continue
        if m.start() > pos:
            _append_text(node, fragment[pos:m.start()])
        pos = m.end()
        if m.group(1) is not None:
            node.children.append(_Comment(m.group(0)))
            continue
        name = m.group(3).lower()
        if m.group(2):  # an end tag
            open_element = node
            while open_element is not None and open_element.name != name:
                open_element = open_element.parent
            if open_element is not None and open_element is not root:
                node = open_element.parent
            continue
        attrs = _attributes(m.group(4)) if m.group(4) else {}
        unsafe = name in _UNSAFE or (name == "a" and not _IN_PAGE_LINK_CLASSES.isdisjoint(attrs.get("class", "").split()))
        element = _Element(name, attrs, node)
        if not unsafe:  # an unsafe one is read (its content goes with it) but never joins the tree
            node.children.append(element)
        if name in _RAW_TEXT and not m.group(5):
            end = re.compile(rf"</{name}\s*>", re.I).search(fragment, pos)
            pos = end.end() if end else len(fragment)
        elif name not in _VOID and not m.group(5):
            node = element
    if pos < len(fragment):
        _append_text(node, fragment[pos:])
    return root


_ASCII_SPACES = " \n\t\f\r"


def _append_text(node: _Element, raw: str) -> None:
    """As BeautifulSoup keeps text: a run of ASCII white space alone becomes one newline (if it has one) or
    one space, except inside pre and textarea."""
    plain = html.unescape(raw) if "&" in raw else raw
    if not plain.strip(_ASCII_SPACES) and not any(a.name in ("pre", "textarea") for a in _ancestors(node)):
        raw = "\n" if "\n" in plain else " "
    node.children.append(raw)


def _ancestors(node: _Element | None):
    while node is not None:
        yield node
        node = node.parent


def _serialize(nodes: list) -> str:
    out: list[str] = []
    _write(nodes, out)
    return "".join(out)


def _write(nodes: list, out: list[str]) -> None:
    for node in nodes:
        if not isinstance(node, _Element):
            out.append(node)
            continue
        # in name order, as BeautifulSoup writes them (css-inline keeps the order; the kept ones stay in it)
        attrs = "".join(f' {k}="{_escape_attribute(v)}"' for k, v in sorted(node.attrs.items()))
        out.append(f"<{node.name}{attrs}>")
        if node.name not in _VOID:
            _write(node.children, out)
            out.append(f"</{node.name}>")


def _escape_attribute(value: str) -> str:
    return html.escape(value, quote=True) if any(c in value for c in '&"<>\'') else value


# --- the reshaping ---------------------------------------------------------------------------------------

def _flatten_lists(body: _Element) -> None:
    """WeChat indents a third list level off the phone screen: deeper items join the second level."""
    deep = [(lst, depth) for lst, depth in _lists_with_depth(body) if depth >= 3]
    for lst, _ in sorted(deep, key=lambda pair: pair[1], reverse=True):
        anchor = lst.find_parent("li") or lst
        for item in [c for c in lst.children if isinstance(c, _Element) and c.name == "li"]:
            anchor.insert_after(item)
            anchor = item
        lst.extract()


def _lists_with_depth(node: _Element, depth: int = 0):
    for child in node.children:
        if isinstance(child, _Element):
            if child.name in ("ul", "ol"):
                yield child, depth + 1
                yield from _lists_with_depth(child, depth + 1)
            else:
                yield from _lists_with_depth(child, depth)


def _number_links(body: _Element, page_url_abs: str) -> list[str]:
    """Links become their text plus ``[n]``; the URLs are listed under 参考链接 (WeChat strips links)."""
    refs: list[str] = []
    for link in [e for e in body.elements() if e.name == "a"]:
        href = (link.attrs.get("href") or "").strip()
        target = urljoin(page_url_abs, href) if href and not href.startswith("#") else ""
        if urlsplit(target).scheme not in ("http", "https") or _same_page(target, page_url_abs):
            link.unwrap()  # in-page anchors, mailto: and the like keep their text only
            continue
        if target not in refs:
            refs.append(target)
        marker = _Element("sup", {"class": "dj-wx-ref"})
        marker.children.append(f"[{refs.index(target) + 1}]")
        link.insert_after(marker)
        link.unwrap()
    return refs


def _same_page(url: str, page_url_abs: str) -> bool:
    return urlsplit(url)._replace(fragment="") == urlsplit(page_url_abs)._replace(fragment="")


def _place_images(body: _Element, image_url: ImageUrl, image_size: ImageSize | None = None) -> None:
    images = []
    for element in body.elements():
        if element.name == "figure":
            element.name = "section"
        elif element.name == "img":
            images.append(element)
    for img in images:
        section = img.find_parent("section")
        figcaption = next((e for e in section.elements() if e.name == "figcaption"), None) if section else None
        caption = "" if figcaption else (img.attrs.get("alt") or "").strip()
        original = img.attrs.get("src") or ""
        src = image_url(original)
        if caption:
            cap = _Element("span", {"class": "dj-wx-cap"})
            cap.children.append(html.escape(caption, quote=False))
            img.insert_after(cap)
        shown = caption or (figcaption.text(strip=True) if figcaption else "")
        alt = (img.attrs.get("alt") or "").strip()
        if src is None:
            img.extract()
        else:  # a caption printed under the photo is not read out twice (axe image-redundant-alt)
            img.attrs = {"src": src, "alt": "" if alt == shown else alt}
            size = image_size(original) if image_size else None
            if size:  # the export page keeps the photo's box while it loads (no layout shift)
                img.attrs.update(width=str(size[0]), height=str(size[1]))
    for figcaption in [e for e in body.elements() if e.name == "figcaption"]:
        figcaption.name = "span"
        figcaption.attrs["class"] = "dj-wx-cap"


def _brand(header: dict) -> str:
    logo = header.get("logo_url")
    parts = [f'<img class="dj-wx-logo" src="{html.escape(logo)}" alt="">' if logo else ""]
    parts.append('<span style="display:inline-block;vertical-align:middle">')
    for key, css in (("brand", "dj-wx-brandname"), ("branch", "dj-wx-branch"), ("slogan", "dj-wx-slogan")):
        if header.get(key):
            parts.append(f'<span class="{css}">{html.escape(str(header[key]))}</span>')
    parts.append("</span>")
    return f'<section class="dj-wx-brand">{"".join(parts)}</section>'


def _references(refs: list[str]) -> str:
    if not refs:
        return ""
    rows = "".join(f"<p>[{n}] {html.escape(url)}</p>" for n, url in enumerate(refs, 1))
    return f'<section class="dj-wx-refs"><p class="dj-wx-refs-title">参考链接</p>{rows}</section>'


def _credits(lines: tuple[str, ...]) -> str:
    return "".join(f'<p class="dj-wx-credit">{html.escape(line)}</p>' for line in lines if line)


def _source(source_line: str, page_url_abs: str) -> str:
    source = source_line.strip()
    if source and not source.startswith("来源"):
        source = f"来源：{source}"
    text = f"{source}  原文：{page_url_abs}" if source else f"原文：{page_url_abs}"
    return f'<p class="dj-wx-source">{html.escape(text)}</p>'


# css-inline serialises with html5ever: every real tag starts with "<" + a letter (text has "&lt;"), every
# attribute is written ` name="value"` (lower-case name, `"` inside a value as &quot;), void elements
# without a slash. So a tokenising regex is exact here and saves a second HTML parse per story, and the
# attributes to drop are cut out of each tag by a second regex in one call (issue 13: half the time of
# matching each attribute in Python).
_START_TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)((?: [^\s"'>/=]+="[^"]*")+)>""")
_KEPT = "|".join(sorted(KEPT_ATTRIBUTES))
_DROPPED_ATTRIBUTE = re.compile(rf""" (?!(?:{_KEPT})=)[^\s"'>/=]+="[^"]*["]""")


def _strip_attributes(fragment: str) -> str:
    return _START_TAG.sub(lambda m: f"<{m.group(1)}{_DROPPED_ATTRIBUTE.sub('', m.group(2))}>", fragment)


# The export page's own look; the article inside it carries only its inline styles.
_PAGE_CSS = """
body{margin:0;background:#f2f2f2;font:15px/1.6 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",
sans-serif;color:#333}
.bar{position:sticky;top:0;display:flex;gap:12px;align-items:center;padding:10px 16px;background:#fff;
border-bottom:1px solid #ddd}
.bar a{color:#c8161d}
.bar button{padding:6px 18px;border:0;border-radius:4px;background:#0b7a3e;color:#fff;font-size:15px;cursor:pointer}
.bar .hint{color:#5f5f5f;font-size:13px}
.paper{max-width:677px;margin:16px auto;padding:20px 16px;background:#fff}
"""

_COPY_SCRIPT = """
(function () {
  var button = document.getElementById("dj-wx-copy");
  var status = document.getElementById("dj-wx-status");
  var article = document.getElementById("dj-wx-article");
  function say(text) { status.textContent = text; }
  function copyBySelection() {
    var range = document.createRange();
    range.selectNodeContents(article);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    selection.removeAllRanges();
    return ok;
  }
  button.addEventListener("click", function () {
    var html = article.innerHTML;
    var done = function () { say("已复制，可到公众号编辑器里粘贴。"); };
    var fallback = function () {
      say(copyBySelection() ? "已复制，可到公众号编辑器里粘贴。" : "复制失败：请用鼠标全选正文后按 Ctrl+C。");
    };
    if (navigator.clipboard && window.ClipboardItem) {
      var item = new ClipboardItem({
        "text/html": new Blob([html], {type: "text/html"}),
        "text/plain": new Blob([article.innerText], {type: "text/plain"})
      });
      navigator.clipboard.write([item]).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
"""


def wechat_page(article_html: str, *, title: str, back_url: str) -> str:
    """A standalone page showing the export with a 复制全文 button (rich-text copy for WeChat's editor)."""
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{html.escape(title)} · 公众号版</title>
<style>{_PAGE_CSS}</style>
</head>
<body>
<div class="bar">
<button type="button" id="dj-wx-copy">复制全文</button>
<a href="{html.escape(back_url)}">返回原文</a>
<span class="hint" id="dj-wx-status" role="status">复制后在公众号编辑器正文处粘贴；标题请另行填写。</span>
</div>
<div class="paper" id="dj-wx-article">{article_html}</div>
<script>{_COPY_SCRIPT}</script>
</body>
</html>
"""
