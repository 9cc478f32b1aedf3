"""Hostile content end to end: titles, captions, branch texts and pasted body HTML never become script.

One fixture project carries the payloads in every field staff fill in. The built site is checked file by
file (every .html, the feeds, the widget, the WeChat export, the sitemap and the search index's result records) by
parsing, and then in Chromium: no dialog may open and ``window.__xss`` must stay unset, including after
scrolling (lazy images), opening the photo lightbox and running a search that matches the title.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
from browser_support import StaticServer, built_and_served, jpeg_bytes, png_bytes
from bs4 import BeautifulSoup
from conftest import BuildResult, SiteProject, search_documents
from lxml import etree

TITLE = "<script>alert('title')</script>标题</title><img src=x onerror=alert(1)>"
DESCRIPTION = '"><svg onload=alert(2)>活动说明'
IMG3 = "<img src=x onerror=alert(3)>"
BRAND = "品牌" + IMG3
CAPTION = "<img src=x onerror=alert(4)>"
TAG = "<b>标签</b><img src=x onerror=alert(12)>"
AUTHOR = "<script>alert(13)</script>撰稿人"
PHOTOGRAPHER = '<img src=x onerror="window.__xss=14">'
BODY_ALT = "<img src=x onerror=window.__xss=15>"
STORY_FILE = "content/stories/2025/xss.md"
STORY_URL = "stories/2025/xss-story/"
BODY = f"""正文开始。

<script>alert(5)</script>

<img src="x" onerror="alert(6)">

<a href="javascript:alert(7)">点我</a>

<a href="jav&#x09;ascript:alert(8)">点我八</a>

<iframe src="https://evil.example/"></iframe>

<svg onload=alert(9)></svg>

<div onclick=alert(10)>点击</div>

![{BODY_ALT}](xss/02.jpg)

| 项目 | 人数 |
| --- | --- |
| 安全党课 | 22 |
"""
# (line in the story file, what the sanitiser names): the body starts after 19 lines of front matter
EXPECTED_REMOVALS = ["<script> 脚本", "onerror 事件属性", "javascript: 链接", "javascript: 链接",
                     "<iframe> 外部网页嵌入", "<svg> 矢量图代码", "onclick 事件属性", "onerror 事件属性"]

# Scripts the theme and the column put on pages, identified by src or by content; anything else fails.
ALLOWED_SRC = [re.compile(r"(^|/)assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$"),
               re.compile(r"(^|/)assets/javascripts/column\.js$")]
# main.html, a story with a cover (the whole script, character for character)
COVER_FIRST = ('(function(){var d=document.documentElement,done=0,P=window.PerformanceObserver;function go(){if(done)return;done=1;[].forEach.call(document.querySelectorAll(".dj-gallery--wait"),function(g){g.classList.remove("dj-gallery--wait")})}if(!P||(P.supportedEntryTypes||[]).indexOf("element")<0)return;d.classList.add("dj-hold");new P(function(l){l.getEntries().forEach(function(e){if(e.identifier==="dj-cover")go()})}).observe({type:"element",buffered:true});["scroll","touchstart","keydown","mousedown"].forEach(function(t){addEventListener(t,go,{once:true,passive:true})});setTimeout(go,4000)})()')
ALLOWED_INLINE = [
    re.compile(r"^__md_scope=new URL\(\"[./a-z]*\",location\),__md_hash="),  # Material base.html
    re.compile(r"^var target=document\.getElementById\(location\.hash\.slice\(1\)\);target&&target\.name"
               r"&&\(target\.checked=target\.name\.startsWith\(\"__tabbed_\"\)\)$"),  # Material base.html
    re.compile(r"^\s*\(function \(\) \{\s*var button = document\.getElementById\(\"dj-wx-copy\"\);"),  # wechat.py
    re.compile(r'^try\{if\(localStorage\.getItem\("dj-elder"\)==="1"\)document\.documentElement\.classList'
               r'\.add\("dj-elder"\)\}catch\(e\)\{\}if\(window\.speechSynthesis&&window\.SpeechSynthesisUtterance\)'
               r'document\.documentElement\.classList\.add\("dj-speech"\)$'),  # main.html: 长辈模式, 朗读 before the first paint
    re.compile(r'^if\(new URLSearchParams\(location\.search\)\.get\("q"\)\)document\.getElementById\("dj-search"\)'
               r'\.classList\.add\("dj-results--awaited"\)$'),  # column/search.html: the results' space kept
    re.compile("^" + re.escape(COVER_FIRST) + "$"),  # main.html, a story with a cover: the cover first
    # column/search.html: engine and manifest preloaded when there is a query (relative URLs only)
    re.compile(r'^if\(new URLSearchParams\(location\.search\)\.get\("q"\)\)\[\["(\.\./)*assets/javascripts/'
               r'search-engine\.js","script"\],\["(\.\./)*searchindex/manifest\.json","fetch"\]\]\.forEach\(function\(p\)'
               r'\{var l=document\.createElement\("link"\);l\.rel="preload";l\.href=p\[0\];l\.as=p\[1\];'
               r'if\(p\[1\]==="fetch"\)l\.crossOrigin="anonymous";document\.head\.appendChild\(l\)\}\)$'),
]
# main.html: the prefetch rule, data the browser reads (never run), exactly as written there
SPECULATION_RULES = {"prefetch": [{"where": {"and": [{"href_matches": "/*/"}, {"not": {"selector_matches":
                     "[download], [rel~=nofollow]"}}]}, "eagerness": "moderate"}]}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "xlink:href", "background")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200d\ufeff]")


@dataclass
class Hostile:
    project: SiteProject
    result: BuildResult
    server: StaticServer

    @property
    def site(self) -> Path:
        return self.result.site


def make_hostile_project(root: Path) -> SiteProject:
    project = SiteProject.create(root)
    project.branch("xss", name="第一党支部" + IMG3, short_name="一支部" + IMG3, brand=BRAND,
                   slogan="口号" + IMG3, logo="logo.png",
                   highlights=[{"title": "亮点" + IMG3, "text": "亮点说明" + IMG3, "theme": "青年党员"}],
                   body="品牌故事。")
    project.write("branches/xss/logo.png", png_bytes())
    for name in ("01", "02", "03"):
        project.write(f"content/stories/2025/xss/{name}.jpg", jpeg_bytes(640, 360))
    project.story("2025/xss.md", body=BODY, title=TITLE, date="2025-03-15", branch="xss", slug="xss-story",
                  description=DESCRIPTION, tags=[TAG], author=AUTHOR, photographer=PHOTOGRAPHER,
                  cover="xss/01.jpg", photos=[{"03.jpg": CAPTION}])
    return project


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    root = tmp_path_factory.mktemp("xss")
    project = make_hostile_project(root / "project")
    with built_and_served(project, strict=False) as (server, result):
        yield Hostile(project, result, server)


def _site_files(site: Path, suffix: str) -> list[Path]:
    return sorted(p for p in site.rglob(f"*{suffix}") if p.is_file())


# --------------------------------------------------------------------------- the build and its warnings


def test_plain_build_succeeds_and_warns_only_about_the_story_body(hostile):
    messages = hostile.result.messages
    assert all(m.startswith(STORY_FILE + ":") for m in messages), messages
    # the pasted <img src="x"> also names a photo that does not exist (tests/test_story_references.py)
    missing = [m for m in messages if "正文里的 <img> 图片 x 不存在" in m]
    assert len(missing) == 1 and missing[0].startswith(f"{STORY_FILE}:21: 警告: "), messages
    messages = [m for m in messages if m not in missing]
    removed = [re.search(r"HTML 含有 (.+?)，发布时会被删除", m).group(1) for m in messages]
    assert removed == EXPECTED_REMOVALS
    lines = [int(m.split(":")[1]) for m in messages]
    source = (hostile.project.root / STORY_FILE).read_text(encoding="utf-8").splitlines()
    assert [source[n - 1].strip()[:4] for n in lines] == ["<scr", "<img", "<a h", "<a h", "<ifr", "<svg",
                                                          "<div", "![<i"]


def test_strict_build_fails_on_exactly_those_warnings(hostile, tmp_path):
    strict = hostile.project.build(strict=True, site_dir=tmp_path / "strict-site")
    assert not strict.ok
    assert strict.messages == hostile.result.messages


# --------------------------------------------------------------------------- every output file, parsed


def _script_allowed(script) -> bool:
    src = script.get("src")
    if src is not None:
        return any(p.search(src) for p in ALLOWED_SRC)
    if script.get("id") == "__config" and script.get("type") == "application/json":
        json.loads(script.string)  # Material's config: data, never run
        return True
    if script.get("type") == "speculationrules":
        return json.loads(script.string) == SPECULATION_RULES
    text = script.string or ""
    return any(p.search(text) for p in ALLOWED_INLINE)


def _bad_url(value: str) -> bool:
    cleaned = _INVISIBLE.sub("", value).lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:text/html"))


def html_problems(markup: str, where: str) -> list[str]:
    """Everything in an HTML document or fragment that could run script."""
    soup = BeautifulSoup(markup, "lxml")
    problems = []
    for script in soup.find_all("script"):
        if not _script_allowed(script):
            problems.append(f"{where}: script {str(script)[:120]}")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                problems.append(f"{where}: <{tag.name} {name}=…>")
            if name.lower() in URL_ATTRIBUTES and any(_bad_url(v) for v in values):
                problems.append(f"{where}: <{tag.name} {name}={value!r}>")
            if name.lower() in ("srcset",) and any(_bad_url(part.strip()) for v in values for part in v.split(",")):
                problems.append(f"{where}: <{tag.name} srcset={value!r}>")
        if tag.name in ("iframe", "object", "embed", "frame") or (tag.name == "base" and tag.get("href")):
            problems.append(f"{where}: <{tag.name}>")  # the widget's <base target="_top"> is fine
    return problems


def test_no_html_file_carries_executable_markup(hostile):
    pages = _site_files(hostile.site, ".html")
    assert len(pages) > 20 and hostile.site / STORY_URL / "wechat" / "index.html" in pages
    problems = []
    for path in pages:
        problems += html_problems(path.read_text(encoding="utf-8"), path.relative_to(hostile.site).as_posix())
    assert problems == []


def test_the_hostile_title_is_text_on_the_story_page(hostile):
    soup = hostile.result.html(STORY_URL)
    assert soup.title.get_text() == f"{TITLE} - 党建品牌专栏"
    assert soup.select_one(".dj-story h1").get_text() == TITLE
    assert soup.select_one(".md-header__topic[data-md-component=header-topic]").get_text(strip=True) == TITLE
    metas = {m.get("property") or m.get("name"): m.get("content") for m in soup.find_all("meta")}
    assert metas["og:title"] == TITLE and metas["description"] == DESCRIPTION
    assert soup.select_one(".dj-story__lead").get_text() == DESCRIPTION
    credits = soup.select_one(".dj-credits").get_text(" ", strip=True)
    assert f"撰稿：{AUTHOR}" in credits and f"摄影：{PHOTOGRAPHER}" in credits
    assert [a.get_text() for a in soup.select(".dj-tags a")] == [f"#{TAG}"]
    assert soup.select_one(".dj-chip--branch strong").get_text() == BRAND
    captions = [c.get_text() for c in soup.select(".dj-gallery__caption")]
    assert captions == [CAPTION]
    alts = [img.get("alt") for img in soup.select(".dj-story__body picture img")]
    assert alts == [BODY_ALT]


def _as_html_shows(description: str) -> str:
    """The text a reader sees where ``description`` is used as HTML (GLightbox's innerHTML, search UIs)."""
    fragment = BeautifulSoup(description, "html.parser")
    assert fragment.find(True) is None, f"markup where text belongs: {description!r}"
    return fragment.get_text()


def test_lightbox_descriptions_are_html_escaped_text(hostile):
    soup = hostile.result.html(STORY_URL)
    cover, body_image, gallery = (soup.select(f"{where} a.dj-lightbox")
                                  for where in (".dj-story__cover", ".dj-story__body", ".dj-gallery"))
    [cover_link] = cover
    assert _as_html_shows(cover_link["data-description"]).startswith(TITLE)
    assert [_as_html_shows(a["data-description"]) for a in body_image] == [BODY_ALT]
    assert [_as_html_shows(a["data-description"]) for a in gallery] == [CAPTION]
    wall = hostile.result.html("branches/xss/photos/")
    assert CAPTION in [_as_html_shows(a["data-description"]) for a in wall.select("a.dj-lightbox")]


def test_the_harmless_body_survives_and_the_hostile_body_is_gone(hostile):
    body = hostile.result.html(STORY_URL).select_one(".dj-story__body")
    table = body.find("table")
    assert [td.get_text() for td in table.find_all("td")] == ["安全党课", "22"]
    assert [th.get_text() for th in table.find_all("th")] == ["项目", "人数"]
    links = {a.get_text(): a.get("href") for a in body.find_all("a") if a.get_text()}
    assert links.get("点我") is None and links.get("点我八") is None  # the text stays, the link does not
    assert "点我" in body.get_text() and "点击" in body.get_text()
    assert "alert(5)" not in body.get_text()  # script content goes with the script
    assert body.find(["svg", "iframe", "script"]) is None


def card_title(link) -> str:
    """A card's title as text: listings cut long titles, the whole one is then in title= (text, too)."""
    shown = link.get_text()
    if shown.endswith("…") and link.has_attr("title"):
        assert link["title"].startswith(shown[:-1].rstrip())
        return link["title"]
    return shown


def test_title_is_text_in_listings_nav_and_branch_pages(hostile):
    site = hostile.site
    home = hostile.result.html("")
    assert TITLE in [card_title(a) for a in home.select(".dj-lead__title a, .dj-headlines a")]
    tag_pages = sorted(site.glob("tags/*/index.html"))
    assert len(tag_pages) == 1
    tag = hostile.result.html(tag_pages[0].parent.relative_to(site).as_posix() + "/")
    assert tag.h1 is not None and TAG in tag.h1.get_text()
    assert tag.title.get_text().startswith("标签：" + TAG)
    branch = hostile.result.html("branches/xss/")
    text = branch.get_text()
    assert BRAND in text and "口号" + IMG3 in text and "亮点说明" + IMG3 in text
    assert TITLE in [card_title(a) for a in branch.select(".dj-card__title a")]
    assert branch.title.get_text().startswith(BRAND)
    wall = hostile.result.html("branches/xss/photos/")
    assert CAPTION in [c.get_text() for c in wall.select(".dj-gallery__caption")]
    assert TITLE in [a.get_text() for a in wall.select(".dj-gallery__story")]


def _xml_html_fields(root) -> list[str]:
    """RSS <description> (and content:encoded) is HTML to feed readers, whatever the spec says of titles."""
    return [el.text or "" for el in root.iter() if isinstance(el.tag, str)
            and etree.QName(el).localname in ("description", "encoded")]


def test_feeds_carry_the_title_as_text(hostile):
    feeds = _site_files(hostile.site, "feed.xml")
    assert {p.relative_to(hostile.site).as_posix() for p in feeds} >= {"feed.xml", "branches/xss/feed.xml"}
    for path in feeds:
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
        titles = [t.text for t in root.iter("title")]
        assert TITLE in titles, path
        shown = []
        for fragment in _xml_html_fields(root):  # readers render these as HTML
            assert html_problems(fragment, f"{path.name} (embedded)") == []
            assert BeautifulSoup(fragment, "html.parser").find(True) is None, fragment
            shown.append(BeautifulSoup(fragment, "html.parser").get_text())
        assert DESCRIPTION in shown, path  # the summary a reader sees is the text staff typed
        parsed = feedparser.parse(path.read_bytes())
        entry = next(e for e in parsed.entries if e.link.endswith(STORY_URL))
        assert entry.title == TITLE
    for path in _site_files(hostile.site, "feed.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        item = next(i for i in data["items"] if i["url"].endswith(STORY_URL))
        assert item["title"] == TITLE
        for key, value in item.items():
            if key.endswith("html"):
                assert html_problems(value, f"{path.name} {key}") == []


def test_widget_carries_the_title_as_text(hostile):
    for html_path in hostile.site.glob("widget/**/latest.html"):
        soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "lxml")
        assert TITLE in [t.get_text() for t in soup.select(".t")], html_path
        assert soup.find("script") is None and soup.find("img", onerror=True) is None
    for json_path in hostile.site.glob("widget/**/latest.json"):
        [item] = json.loads(json_path.read_text(encoding="utf-8"))["items"]
        assert item["title"] == TITLE and item["summary"] == DESCRIPTION
        assert [b["brand"] for b in item["branches"]] == [BRAND]


def test_sitemap_and_search_fragments(hostile):
    sitemap = etree.fromstring((hostile.site / "sitemap.xml").read_bytes())
    locs = [el.text for el in sitemap.iter("{*}loc")]
    assert locs and all(loc.startswith(hostile.server.base_url) for loc in locs)
    results = {d["u"]: d for d in search_documents(hostile.site)}
    assert results[STORY_URL]["t"] == TITLE  # kept as text; the search page sets textContent, never innerHTML
    # Material's own search index is not built any more (plugins: []): nothing there to escape.
    assert not (hostile.site / "search" / "search_index.json").exists()


# --------------------------------------------------------------------------- in the browser

SCROLL_AND_LOAD = """async () => {
    for (let y = 0; y <= document.body.scrollHeight; y += 400) { window.scrollTo(0, y);
        await new Promise(r => setTimeout(r, 30)); }
    const images = Array.from(document.images);
    images.forEach(i => { i.loading = 'eager'; });
    await Promise.all(images.map(i => i.complete ? null : new Promise(r => {
        i.addEventListener('load', r); i.addEventListener('error', r); setTimeout(r, 3000); })));
    return images.length;
}"""


def _browse(browser, hostile: Hostile, path: str, *, lightbox: bool = False):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        response = page.goto(hostile.server.url(path), wait_until="networkidle")
        assert response.status == 200, path
        page.evaluate(SCROLL_AND_LOAD)
        opened = 0
        if lightbox:
            page.wait_for_selector("html[data-dj-lightbox=ready]", state="attached")  # set up after the page's load
            for index in range(page.locator("a.dj-lightbox").count()):
                page.locator("a.dj-lightbox").nth(index).click()
                page.wait_for_selector(".gslide.current")  # the context's 10 s: CI's two workers once needed more than 5
                page.wait_for_timeout(300)
                page.keyboard.press("Escape")
                page.wait_for_selector(".glightbox-container", state="detached", timeout=5_000)
                opened += 1
        page.wait_for_load_state("networkidle")
        flag = page.evaluate("() => window.__xss === undefined ? null : String(window.__xss)")
        return dialogs, flag, opened, page, context
    except BaseException:
        context.close()
        raise


@pytest.mark.browser
@pytest.mark.parametrize("name", ["story", "branch", "home", "tag", "photo wall", "wechat", "widget"])
def test_no_dialog_fires_on_hostile_pages(browser, hostile, name):
    tag_dir = next(hostile.site.glob("tags/*/index.html")).parent.relative_to(hostile.site).as_posix()
    path = {"story": STORY_URL, "branch": "branches/xss/", "home": "", "tag": tag_dir + "/",
            "photo wall": "branches/xss/photos/", "wechat": STORY_URL + "wechat/",
            "widget": "widget/latest.html"}[name]
    dialogs, flag, _opened, _page, context = _browse(browser, hostile, path)
    context.close()
    assert dialogs == [] and flag is None


@pytest.mark.browser
@pytest.mark.parametrize("path", [STORY_URL, "branches/xss/photos/"])
def test_lightbox_shows_captions_as_text(browser, hostile, path):
    dialogs, flag, opened, _page, context = _browse(browser, hostile, path, lightbox=True)
    context.close()
    assert opened >= 1
    assert dialogs == [] and flag is None


@pytest.mark.browser
def test_search_results_for_the_hostile_title_run_nothing(browser, hostile):
    dialogs, flag, _opened, page, context = _browse(browser, hostile, "search/?q=标题")
    try:
        page.wait_for_selector(".dj-result__link", timeout=15_000)
        page.wait_for_load_state("networkidle")
        titles = page.locator(".dj-result__title").all_inner_texts()
        markup_in_excerpts = page.evaluate("""() => Array.from(document.querySelectorAll('.dj-result__excerpt *'))
            .filter(e => e.tagName !== 'MARK').map(e => e.outerHTML)""")
        assert TITLE in titles
        assert markup_in_excerpts == []
        assert dialogs == [] and flag is None
    finally:
        context.close()
