"""The WeChat export as it was made before issue 13 (BeautifulSoup reshaping + css-inline over the whole
article), kept only as the reference the single-pass export in ``dangjian_column.publishing.wechat`` is
compared with (tests/test_wechat_equivalence.py). Not used by the build.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import css_inline
from bs4 import BeautifulSoup, Tag
from dangjian_column.publishing.wechat import _ACCENT, _CSS, KEPT_ATTRIBUTES, ImageUrl

WECHAT_WIDTH = 677


def export_article(body_html: str, *, title: str, brand_header: dict, source_line: str, page_url_abs: str,
                   image_url: ImageUrl, width: int = WECHAT_WIDTH) -> str:
    """WeChat-safe HTML of one story: brand header, title, body, 参考链接, source line; inline styles only.

    ``brand_header`` has ``brand``, ``branch`` (name), ``slogan`` and ``logo_url`` (absolute or None).
    ``image_url`` maps an image's original (page-relative) src to the absolute URL of a ~960-px JPEG,
    or None to leave the picture out (its caption stays as text).
    """
    soup = BeautifulSoup(body_html, "html.parser")
    _drop_unsafe(soup)
    _flatten_lists(soup)
    refs = _number_links(soup, page_url_abs)
    _place_images(soup, image_url)
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


def _place_images(soup: BeautifulSoup, image_url: ImageUrl) -> None:
    for figure in soup.find_all("figure"):
        figure.name = "section"
    for img in soup.find_all("img"):
        figcaption = img.find_parent("section") and img.find_parent("section").find("figcaption")
        caption = "" if figcaption else (img.get("alt") or "").strip()
        src = image_url(img.get("src") or "")
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
