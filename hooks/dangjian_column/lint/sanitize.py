"""Safe HTML: one allow-list (nh3) for rendered story bodies, and warnings for raw HTML in Markdown.

Staff paste text from WeChat's editor and Word; it can carry scripts, event handlers and inline styles.
``clean_html`` keeps ordinary formatting, tables, pictures, local video and links; everything else goes.
nh3 does the cleaning (a well-kept Rust sanitiser); a small stdlib parse beside it only *describes*
what the allow-list removes, so staff learn why their pasted code disappeared.

``style``: kept, but only the properties Python-Markdown itself writes (``text-align`` on table cells)
and a few harmless layout ones; colours, fonts and sizes pasted from WeChat are dropped so the theme
stays readable on phones.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "small", "source", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "video",
})
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "style"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "target", "name"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"}),
    "source": frozenset({"src", "type", "srcset", "sizes", "media"}),
    "video": frozenset({"src", "poster", "controls", "width", "height", "preload", "muted", "loop", "playsinline"}),
    "iframe": frozenset({"src", "width", "height", "allowfullscreen", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "details": frozenset({"open"}),
    "abbr": frozenset({"title"}),
}
SAFE_STYLE_PROPERTIES = frozenset({"text-align", "vertical-align", "width", "height"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "src", "poster"})
# Removed with everything inside them: their content is code, never text a reader should see.
CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "select", "object", "embed"})

_FRIENDLY_TAGS = {
    "script": "<script> 脚本", "style": "<style> 样式表", "iframe": "<iframe> 外部网页嵌入",
    "form": "<form> 表单", "input": "<input> 表单输入框", "button": "<button> 按钮", "select": "<select> 下拉框",
    "textarea": "<textarea> 文本框", "svg": "<svg> 矢量图代码", "object": "<object> 插件", "embed": "<embed> 插件",
    "link": "<link> 外部资源", "meta": "<meta> 页面设置", "font": "<font> 字体标签", "center": "<center> 居中标签",
    "section": "<section> 排版容器", "math": "<math> 公式代码", "audio": "<audio> 音频", "base": "<base> 地址设置",
}


@dataclass(frozen=True)
class CleanResult:
    html: str
    removed: list[str] = field(default_factory=list)  # what was removed, in words staff understand


@dataclass(frozen=True)
class HtmlPolicy:
    iframe_hosts: frozenset[str] = frozenset()  # hosts an <iframe src> may point at; default: none

    def allows_iframe(self, src: str) -> bool:
        host = (urlsplit(src).hostname or "").lower()
        return urlsplit(src).scheme == "https" and host in self.iframe_hosts


DEFAULT_POLICY = HtmlPolicy()


def clean_html(html: str, policy: HtmlPolicy = DEFAULT_POLICY, *, describe: bool = True) -> CleanResult:
    """The HTML with everything outside the allow-list removed, and what was removed.

    ``describe=False`` skips the description (a second parse): the build has already warned about raw
    HTML when the story was loaded, and only needs the clean result for every page.
    """
    removed = describe_removals(html, policy) if describe else []
    cleaned = _cleaner(policy).clean(html)
    if policy.iframe_hosts:  # an iframe whose address was refused is an empty box: drop it entirely
        cleaned = _EMPTY_IFRAME.sub("", cleaned)
    return CleanResult(html=cleaned, removed=removed)


@functools.lru_cache(maxsize=8)
def _cleaner(policy: HtmlPolicy) -> nh3.Cleaner:
    """One nh3 cleaner per policy: building the allow-list for every body cost a quarter of the cleaning."""
    tags = set(TAGS) | ({"iframe"} if policy.iframe_hosts else set())
    attributes = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items() if tag in tags}
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    return nh3.Cleaner(
        tags=tags, clean_content_tags=set(CONTENT_TAGS), attributes=attributes,
        attribute_filter=lambda tag, attr, value: _filter_attribute(tag, attr, value, policy),
        url_schemes=set(URL_SCHEMES), link_rel="noopener", strip_comments=True,
        filter_style_properties=set(SAFE_STYLE_PROPERTIES),
    )


_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)


def _filter_attribute(tag: str, attr: str, value: str, policy: HtmlPolicy) -> str | None:
    if _url_problem(tag, attr, value, policy):
        return None
    return value


def _url_problem(tag: str, attr: str, value: str, policy: HtmlPolicy) -> str:
    """Why a URL-valued attribute is refused ("" when it is fine)."""
    if attr == "srcset":
        urls = [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
        # srcset lists image candidates (on <img> and <picture><source>): judged as image addresses
        return next((p for p in (_url_problem("img", "src", u, policy) for u in urls) if p), "")
    if attr not in URL_ATTRIBUTES:
        return ""
    scheme = _scheme(value)
    if tag == "iframe":
        return "" if policy.allows_iframe(value) else "iframe"
    if tag in ("video", "source") and (scheme or value.strip().startswith("//")):
        return "remote-video"  # local video only: no third-party hosts on a government site
    if scheme and scheme not in URL_SCHEMES:
        return scheme
    return ""


_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def _scheme(url: str) -> str:
    # Browsers ignore tabs/newlines inside a scheme ("java\tscript:"), and Python-Markdown expands a tab
    # to spaces first ("java    script:"): compare without any whitespace or control character.
    match = _SCHEME.match(re.sub(r"[\s\x00-\x1f\x7f]", "", url))
    return match.group(1).lower() if match else ""


class _Describer(HTMLParser):
    """Walks the input once and names each thing the allow-list will remove."""

    def __init__(self, policy: HtmlPolicy) -> None:
        super().__init__(convert_charrefs=True)
        self.policy = policy
        self.removed: dict[str, None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = TAGS | ({"iframe"} if self.policy.iframe_hosts else set())
        if tag not in allowed:
            self.removed[_FRIENDLY_TAGS.get(tag, f"<{tag}> 标签")] = None
            return
        names = TAG_ATTRIBUTES.get(tag, frozenset()) | GLOBAL_ATTRIBUTES
        for name, value in attrs:
            self._attribute(tag, name, value or "", names)

    def _attribute(self, tag: str, name: str, value: str, names: frozenset[str]) -> None:
        if name == "markdown":  # md_in_html reads and removes it before anything is rendered
            return
        if name.startswith("on"):
            self.removed[f"{name} 事件属性"] = None
        elif name not in names:
            self.removed[f"{name} 属性"] = None
        elif name == "style":
            dropped = [p for p in _style_properties(value) if p not in SAFE_STYLE_PROPERTIES]
            if dropped:
                self.removed[f"style 里的 {'、'.join(dropped)} 样式（版式由网站统一设置）"] = None
        else:
            problem = _url_problem(tag, name, value, self.policy)
            if problem == "iframe":
                self.removed["<iframe> 外部网页嵌入（该网站不在允许列表里）"] = None
            elif problem == "remote-video":
                self.removed["外部网站的视频地址（只能放本站的视频文件）"] = None
            elif problem:
                self.removed[f"{problem}: 链接"] = None

    def handle_comment(self, data: str) -> None:
        self.removed["<!-- --> 注释"] = None


def _style_properties(style: str) -> list[str]:
    return [part.split(":", 1)[0].strip().lower() for part in style.split(";") if ":" in part]


def describe_removals(html: str, policy: HtmlPolicy = DEFAULT_POLICY) -> list[str]:
    describer = _Describer(policy)
    describer.feed(html)
    describer.close()
    return list(describer.removed)


# --- raw HTML written into a Markdown body ---------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_TAG = re.compile(r"<([a-zA-Z][\w:-]*)(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_HINT = "发布时会被删除。请删除这段代码，或改用 Markdown 写法。"


def raw_html_warnings(markdown_body: str, policy: HtmlPolicy = DEFAULT_POLICY) -> list[tuple[int, int, str]]:
    """(line, column, message) for each raw HTML tag in a Markdown body that the allow-list would change.

    Line and column are 1-based within ``markdown_body``; code spans and fenced code are not HTML.
    """
    if "<" not in markdown_body:
        return []
    masked = _mask_code(markdown_body)
    warnings = []
    for match in _TAG.finditer(masked):
        removed = describe_removals(match.group(0), policy)
        if removed:
            line, column = line_and_column(markdown_body, match.start())
            warnings.append((line, column, f"正文里的 HTML 含有 {'、'.join(removed)}，{_HINT}"))
    return warnings


def _mask_code(text: str) -> str:
    """Code replaced by spaces of the same length, so offsets still point into the original."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))
    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and character column of ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1
