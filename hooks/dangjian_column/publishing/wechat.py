"""A story's rendered body as HTML that survives pasting into the WeChat official-account editor.

WeChat's editor keeps only inline styles (it drops ``<style>``, classes, ids and scripts), allows no
links except to other WeChat articles, and shows pictures only when their URL is absolute. So the
body is reshaped with BeautifulSoup, styled by a small stylesheet inlined with css-inline, and every
class and id is removed afterwards.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import css_inline
from bs4 import BeautifulSoup, Tag

from dangjian_column.config.publishing import PublishingSettings

ImageUrl = Callable[[str], "str | None"]
ImageSize = Callable[[str], "tuple[int, int] | None"]
KEPT_ATTRIBUTES = {"href", "src", "alt", "width", "height", "style", "colspan", "rowspan", "start"}
_ACCENT = "#c8161d"

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
"""


def export_article(body_html: str, *, title: str, brand_header: dict, source_line: str, page_url_abs: str,
                   image_url: ImageUrl, width: int = PublishingSettings.wechat_width,
                   image_size: ImageSize | None = None) -> str:
    """WeChat-safe HTML of one story: brand header, title, body, 参考链接, source line; inline styles only.

    ``brand_header`` has ``brand``, ``branch`` (name), ``slogan`` and ``logo_url`` (absolute or None).
    ``image_url`` maps an image's original (page-relative) src to the absolute URL of a ~960-px JPEG,
    or None to leave the picture out (its caption stays as text); ``image_size`` maps it to that file's
    pixel size, written as ``width``/``height`` so the export page keeps the photo's box while it loads
    (without them the text jumped down under each arriving photo: Lighthouse's layout shift, 0.18–0.33).
    """
    soup = BeautifulSoup(body_html, "html.parser")
    _drop_unsafe(soup)
    _flatten_lists(soup)
    refs = _number_links(soup, page_url_abs)
    _place_images(soup, image_url, image_size)
    article = (f'<section class="dj-wx">{_brand(brand_header)}'
               f'<h1 class="dj-wx-title">{html.escape(title)}</h1>{soup}'
               f'{_references(refs)}{_source(source_line, page_url_abs)}</section>')
    css = _CSS.replace("{width}", str(width)).replace("{accent}", _ACCENT)
    inlined = css_inline.inline_fragment(article, css, load_remote_stylesheets=False)
    return _strip_attributes(inlined)


def _drop_unsafe(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(["script", "style", "iframe", "object", "embed", "link", "meta", "noscript"]):
        tag.decompose()
    # Material's ¶ permalinks and the footnotes' ↩ links point inside the page: meaningless in WeChat.
    for tag in soup.select("a.headerlink, a.footnote-backref"):
        tag.decompose()


def _flatten_lists(soup: BeautifulSoup) -> None:
    """WeChat indents a third list level off the phone screen: deeper items join the second level."""
    deep = [lst for lst in soup.find_all(["ul", "ol"]) if _list_depth(lst) >= 3]
    for lst in sorted(deep, key=_list_depth, reverse=True):
        parent_item = lst.find_parent("li")
        anchor = parent_item
        for item in [li for li in lst.find_all("li", recursive=False)]:
            anchor.insert_after(item.extract())
            anchor = item
        lst.decompose()


def _list_depth(lst: Tag) -> int:
    return 1 + len(lst.find_parents(["ul", "ol"]))


def _number_links(soup: BeautifulSoup, page_url_abs: str) -> list[str]:
    """Links become their text plus ``[n]``; the URLs are listed under 参考链接 (WeChat strips links)."""
    refs: list[str] = []
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
        target = urljoin(page_url_abs, href) if href and not href.startswith("#") else ""
        if urlsplit(target).scheme not in ("http", "https") or _same_page(target, page_url_abs):
            link.unwrap()  # in-page anchors, mailto: and the like keep their text only
            continue
        if target not in refs:
            refs.append(target)
        marker = soup.new_tag("sup", attrs={"class": "dj-wx-ref"})
        marker.string = f"[{refs.index(target) + 1}]"
        link.insert_after(marker)
        link.unwrap()
    return refs


def _same_page(url: str, page_url_abs: str) -> bool:
    return urlsplit(url)._replace(fragment="") == urlsplit(page_url_abs)._replace(fragment="")


def _place_images(soup: BeautifulSoup, image_url: ImageUrl, image_size: ImageSize | None = None) -> None:
    for figure in soup.find_all("figure"):
        figure.name = "section"
    for img in soup.find_all("img"):
        figcaption = img.find_parent("section") and img.find_parent("section").find("figcaption")
        caption = "" if figcaption else (img.get("alt") or "").strip()
        original = img.get("src") or ""
        src = image_url(original)
        if caption:
            cap = soup.new_tag("span", attrs={"class": "dj-wx-cap"})
            cap.string = caption
            img.insert_after(cap)
        shown = caption or (figcaption.get_text(strip=True) if figcaption else "")
        alt = (img.get("alt") or "").strip()
        if src is None:
            img.decompose()
        else:  # a caption printed under the photo is not read out twice (axe image-redundant-alt)
            img.attrs = {"src": src, "alt": "" if alt == shown else alt}
            size = image_size(original) if image_size else None
            if size:
                img.attrs.update(width=str(size[0]), height=str(size[1]))
    for figcaption in soup.find_all("figcaption"):
        figcaption.name = "span"
        figcaption["class"] = "dj-wx-cap"


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


def _source(source_line: str, page_url_abs: str) -> str:
    source = source_line.strip()
    if source and not source.startswith("来源"):
        source = f"来源：{source}"
    text = f"{source}  原文：{page_url_abs}" if source else f"原文：{page_url_abs}"
    return f'<p class="dj-wx-source">{html.escape(text)}</p>'


# css-inline serialises with html5ever: every real tag starts with "<" + a letter (text has "&lt;"), and
# attribute values are quoted, so a tokenising regex is exact here and saves a second HTML parse per
# story (the largest cost of the export at 10,000 stories).
_START_TAG = re.compile(r"""<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(/?)>""")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


def _strip_attributes(fragment: str) -> str:
    def keep(match: re.Match) -> str:
        kept = "".join(f" {m.group(0)}" for m in _ATTRIBUTE.finditer(match.group(2))
                       if m.group(1).lower() in KEPT_ATTRIBUTES)
        return f"<{match.group(1)}{kept}{match.group(3)}>"

    return _START_TAG.sub(keep, fragment)


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
