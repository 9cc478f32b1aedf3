"""Accessibility in a real browser: axe-core on every page kind, large text, the 长辈模式 toggle, the lightbox.

axe-core is the npm package (installed by .ci/run into tests/.node, outside git) injected by Playwright
into Debian's Chromium. Target (issue 14, WCAG 2.1 AA as GB/T 37668-2019 asks): no serious or critical
violation on any page kind at 390 and 1280 px, nor in 长辈模式.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import built_and_served, jpeg_bytes, png_bytes, render_everything
from conftest import SiteProject

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / ".node" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ELDER_BUTTON = "长辈模式"

LEAD = "机台旁的安全党课"
PAGES = {
    "home": "",
    "branch": "branches/tankuang/",
    "kind": "kinds/dangke-jin-yixian/",
    "year": "archive/2025/",
    "tag": "tags/ye-wai-yi-xian/",
    "story": "stories/2025/jitai-dangke/",
    "search": "search/?q=岩芯",
    "learning": "learning/",
    "stats": "stats/",
    "404": "404.html",
    "wechat": "stories/2025/jitai-dangke/wechat/",
}


def _require_axe() -> str:
    if AXE.exists():
        return AXE.read_text(encoding="utf-8")
    reason = f"无障碍测试需要 axe-core（npm install --prefix tests/.node axe-core），没有找到 {AXE}"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def make_project(root: Path) -> SiteProject:
    """Two branches of two categories, paired; stories with a cover, body photo, gallery, tags, a joint one."""
    project = SiteProject.create(root)
    project.branch("tankuang", brand="探矿尖兵", logo="logo.png", category="项目一线", parent="第一地质队",
                   slogan="哪里有矿，哪里就有党旗", highlights=["机台党课"], pairings=[{"branch": "dizhi"}],
                   body="探矿尖兵扎根野外一线。支部把党小组建在机台上，每个班组都有党员带班，"
                        "夜班交接时讲一讲安全要点和当天的岩芯情况，一年下来从未发生安全事故。")
    project.write("branches/tankuang/logo.png", png_bytes(300))
    project.write("content/index.md", "# 党建品牌专栏\n\n这里集中展示各党支部的党建品牌和活动风采：从机关办公室到钻塔机台、"
                  "从实验室到野外驻地，每个支部都有自己的品牌故事和做法，欢迎常来看看兄弟支部怎么干。\n")
    project.branch("dizhi", brand="地质先锋", category="机关", pairings=[{"branch": "tankuang"}], body="地质先锋服务地方发展。")
    project.story("2025/jitai.md", title=LEAD, date="2025-04-10", branch="tankuang", kind="党课进一线",
                  slug="jitai-dangke", tags=["野外一线", "安全生产"], cover="jitai/cover.jpg",
                  photos=[{"g1.jpg": "党员在机台前合影"}, {"g2.jpg": "知识抢答现场"}],
                  body="宣讲团来到钻探机台，讲每一米岩芯都是国家的家底。\n\n![机台夜景](jitai/night.jpg)\n\n"
                       "## 抢答\n\n党课后开展安全知识抢答，[查看活动类型](../../kinds/index.md)。")
    for name, color in (("cover", (190, 30, 45)), ("night", (20, 40, 90)), ("g1", (40, 120, 60)),
                        ("g2", (120, 90, 30))):
        project.write(f"content/stories/2025/jitai/{name}.jpg", jpeg_bytes(800, 600, color))
    project.story("2025/gongjian.md", title="社区共建绿色家园", date="2025-03-20", branch=["dizhi", "tankuang"],
                  kind="双联", slug="shequ-gongjian", tags=["野外一线"], body="支部党员走进社区，种下二十棵银杏树。")
    project.story("2025/changzheng.md", title="重走红军长征路", date="2025-01-12", branch="dizhi", kind="主题党日",
                  slug="chongzou-changzheng", body="全体党员来到纪念馆，重温入党誓词。")
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("a11y") / "project")
    with built_and_served(project) as (server, _result):
        yield server


@pytest.fixture(scope="module")
def axe_source():
    return _require_axe()


def _open(page, site, path: str) -> None:
    page.goto(site.url(path), wait_until="networkidle")


def _serious(page, axe_source: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
        render_everything(page)  # axe files what is not rendered as "incomplete": unchecked
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
            'wcag21aa', 'best-practice']}, resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v =>
            v.id + ' (' + v.impact + ', ' + v.nodes.length + '): ' +
            v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n')[1]).join(' | '));
    }""")
    return result


def _elder_on(page) -> None:
    page.get_by_role("button", name=ELDER_BUTTON).first.click()
    assert page.evaluate("document.documentElement.classList.contains('dj-elder')")


@pytest.mark.parametrize("mode", ["phone", "desktop", "elder"])
def test_no_serious_axe_violations_on_any_page_kind(browser, site, axe_source, mode):
    context = browser.new_context(viewport=DESKTOP if mode == "desktop" else PHONE, locale="zh-CN")
    page = context.new_page()
    found = {}
    try:
        if mode == "elder":  # the reader's path: the toggle on the home page, remembered on every page after
            _open(page, site, "")
            _elder_on(page)
        for kind, path in PAGES.items():
            _open(page, site, path)
            if kind == "search":
                page.wait_for_selector(".dj-result", timeout=10_000)
            if mode == "elder" and kind != "wechat":
                assert page.evaluate("document.documentElement.classList.contains('dj-elder')"), kind
            problems = _serious(page, axe_source)
            if problems:
                found[kind] = problems
    finally:
        context.close()
    assert not found, "\n".join(f"{k}: {p}" for k, ps in found.items() for p in ps)


def _font_size_200(page) -> None:
    """The browser's own text-size setting at 200 % (what a reader sets on the phone), not a page zoom."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})


@pytest.mark.parametrize("elder", [False, True], ids=["plain", "elder"])
def test_200_percent_text_on_a_phone_never_scrolls_sideways(browser, site, elder):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    wide = {}
    try:
        _font_size_200(page)
        _open(page, site, "")
        # Material's root is 125 % of the browser's size: 20 px by default, 40 px at 200 %
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 38
        if elder:
            _elder_on(page)
        for kind, path in PAGES.items():
            _open(page, site, path)
            render_everything(page)  # an off-screen section would clip what is too wide, not scroll sideways
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                offenders = page.evaluate("""() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && e.getClientRects().length)
                    .slice(0, 4).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
                wide[kind] = f"{width}px: {offenders}"
            search = page.locator(".dj-header-search__button")
            if search.count():
                box = search.first.bounding_box()
                assert box and box["x"] + box["width"] <= PHONE["width"], f"{kind}: 搜索按钮在屏幕外 {box}"
    finally:
        context.close()
    assert not wide, wide


_LAST_TEXT_SIZE_ADJUST = """() => {
    let last = null;
    const walk = (rules) => {
        for (const r of rules) {
            if (r.media && !matchMedia(r.media.mediaText).matches) continue;
            if (!r.selectorText && r.cssRules) { walk(r.cssRules); continue; }
            if (r.selectorText && document.documentElement.matches(r.selectorText)) {
                last = r.style.getPropertyValue("-webkit-text-size-adjust") || r.style.getPropertyValue("text-size-adjust") || last;
            }
        }
    };
    for (const sheet of document.styleSheets) { try { walk(sheet.cssRules); } catch (e) { /* cross-origin */ } }
    return last;
}"""


def test_elder_mode_enlarges_and_persists_from_page_to_page(browser, site):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    try:
        _open(page, site, "")
        body_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
        _elder_on(page)
        big = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
        assert big >= 1.3 * body_size
        toggle = page.get_by_role("button", name=ELDER_BUTTON).first
        assert toggle.get_attribute("aria-pressed") == "true"
        # a link in the page: a new page load, which main.html's inline head script gives the class again
        page.get_by_role("link", name=LEAD).first.click()
        page.wait_for_url("**/stories/2025/jitai-dangke/")
        page.wait_for_selector("article.dj-story")
        assert page.evaluate("document.documentElement.classList.contains('dj-elder')")
        assert page.get_by_role("button", name=ELDER_BUTTON).first.get_attribute("aria-pressed") == "true"
        # a fresh load remembers it (localStorage), and switching off is remembered too
        page.reload(wait_until="networkidle")
        assert page.evaluate("document.documentElement.classList.contains('dj-elder')")
        page.get_by_role("button", name=ELDER_BUTTON).first.click()
        page.reload(wait_until="networkidle")
        assert not page.evaluate("document.documentElement.classList.contains('dj-elder')")
        # WeChat's own text size must not be blocked: desktop Chromium ignores text-size-adjust (its computed
        # value is always 100 %), so read the last declaration for <html> from the page's own style sheets
        assert page.evaluate(_LAST_TEXT_SIZE_ADJUST) not in (None, "none")
    finally:
        context.close()


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_lightbox_is_a_labelled_modal_that_gives_focus_back(browser, site, axe_source, motion):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", reduced_motion=motion)
    page = context.new_page()
    try:
        _open(page, site, PAGES["story"])
        page.wait_for_selector("html[data-dj-lightbox=ready]", state="attached")  # set up after the page's load
        photo = page.locator(".dj-gallery a.dj-lightbox").first
        photo.focus()
        page.keyboard.press("Enter")  # the keyboard path; a tap focuses the link the same way
        dialog = page.locator(".glightbox-container")
        dialog.wait_for(state="visible")
        page.wait_for_function("document.activeElement && document.activeElement.closest('.glightbox-container')")
        assert dialog.get_attribute("aria-modal") == "true" and dialog.get_attribute("role") == "dialog"
        labels = [page.locator(f".glightbox-container {b}").get_attribute("aria-label") for b in (".gclose", ".gprev", ".gnext")]
        assert labels == ["关闭", "上一张", "下一张"]
        caption = page.locator(".glightbox-container .gslide.current .gslide-desc")
        caption.wait_for(state="visible")
        assert caption.inner_text() == "党员在机台前合影"
        assert float(caption.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 16
        if motion == "reduce":
            durations = page.evaluate("""() => [...document.querySelectorAll('.glightbox-container, .glightbox-container *')]
                .map(e => parseFloat(getComputedStyle(e).animationDuration) || 0)""")
            assert max(durations) <= 0.01, "the lightbox still animates with prefers-reduced-motion"
        problems = _serious(page, axe_source)
        assert not problems, problems
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")
        page.wait_for_function("document.activeElement && document.activeElement.matches('.dj-gallery a.dj-lightbox')")
        assert page.evaluate("document.activeElement.dataset.description") == photo.get_attribute("data-description")
    finally:
        context.close()


def test_chinese_typography_applies_and_logos_keep_their_shape(browser, site):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    try:
        headings = {}
        for kind in ("home", "branch", "kind", "story", "learning", "404"):
            _open(page, site, PAGES[kind])
            family = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
            assert "PingFang SC" in family and "Microsoft YaHei" in family and "Noto Sans CJK SC" in family, family
            assert family.index("PingFang SC") < family.index("Arial"), family  # CJK first, Latin fallbacks after
            h1 = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector('h1'));
                return [s.color, s.fontWeight]; })()""")
            headings[kind] = tuple(h1)
        assert len(set(headings.values())) == 1 and headings["story"][1] == "700", headings
        _open(page, site, PAGES["story"])
        slanted = page.evaluate("""[...document.querySelectorAll('.md-typeset figcaption, .md-typeset em')]
            .filter(e => getComputedStyle(e).fontStyle !== 'normal').length""")
        assert slanted == 0
        # about 35–40 characters a line on a desktop
        chars = page.evaluate("""(() => { const p = document.querySelector('.dj-story__body p');
            return p.getBoundingClientRect().width / parseFloat(getComputedStyle(p).fontSize); })()""")
        assert 34 <= chars <= 41, chars
        # a title one character longer than a line is split into two even lines, not a line and a lone character
        lone = page.evaluate("""(() => { const h = document.querySelector('.dj-story h1'), s = getComputedStyle(h);
            const perLine = Math.floor(h.clientWidth / (parseFloat(s.fontSize) + (parseFloat(s.letterSpacing) || 0)));
            h.textContent = '党'.repeat(perLine + 1);
            const text = h.firstChild, tops = [];
            for (let i = 0; i < text.length; i++) {
                const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                tops.push(Math.round(r.getBoundingClientRect().top));
            }
            return [new Set(tops).size, tops.filter(t => t === tops[tops.length - 1]).length]; })()""")
        assert lone[0] == 2 and lone[1] >= 3, lone  # [lines, characters on the last line]
        # nor is any paragraph long enough to fill such a line, on any page: a branch's brand story, the home page's
        # introduction, the learning page's lead (the fixture's home introduction is content/index.md's)
        too_wide = {}
        for kind in ("home", "branch", "kind", "learning", "stats", "404"):
            _open(page, site, PAGES[kind])
            wide = page.evaluate("""[...document.querySelectorAll('.md-content p')]
                .filter(p => p.offsetWidth && p.textContent.trim().length > 41)
                .map(p => [p.textContent.trim().slice(0, 12), p.offsetWidth / parseFloat(getComputedStyle(p).fontSize)])
                .filter(([, chars]) => chars > 41)""")
            if wide:
                too_wide[kind] = wide
        assert not too_wide, too_wide
        # the brand wall's groups are <details>: not Material's blue "note" box, whose icon covered the label's first
        # character, and not its .64rem admonition text
        _open(page, site, PAGES["home"])
        group = page.evaluate("""(() => { const d = document.querySelector('.dj-wall-group'), s = d.querySelector('summary');
            const body = parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize);
            return {icon: getComputedStyle(s, '::before').display, frame: getComputedStyle(d).borderLeftWidth,
                    bar: getComputedStyle(s).backgroundColor, size: parseFloat(getComputedStyle(s).fontSize) / body}; })()""")
        assert group == {"icon": "none", "frame": "0px", "bar": "rgba(0, 0, 0, 0)", "size": 1}, group
        _open(page, site, PAGES["branch"])
        logo = page.locator(".dj-profile img.dj-logo")
        box = logo.bounding_box()
        assert abs(box["width"] - box["height"]) < 1, box  # a square logo is shown square, not as an oval
        assert logo.get_attribute("loading") != "lazy"
    finally:
        context.close()


def test_dates_never_break_across_lines(browser, site):
    """2026年5 / 月14日 at the end of a gallery caption: a date is read as one word, at every width where a line can
    hold it (where none can, as in a photo strip's caption at 200 % text, it may wrap: better than sideways scrolling)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    broken = []
    try:
        pages = {"home": PAGES["home"], "kind": PAGES["kind"], "story": PAGES["story"],
                 "gallery": "branches/tankuang/photos/"}
        for kind, path in pages.items():
            _open(page, site, path)
            for width in range(320, 1290, 10):
                page.set_viewport_size({"width": width, "height": 800})
                render_everything(page)
                found = page.evaluate("""[...document.querySelectorAll('.md-content time')].filter(t => t.offsetParent)
                    .filter(t => {
                        const range = document.createRange(); range.selectNodeContents(t);
                        const parts = [...range.getClientRects()], whole = parts.reduce((sum, r) => sum + r.width, 0);
                        let line = t.parentElement;  // the block whose lines hold the date
                        while (getComputedStyle(line).display.startsWith('inline')) line = line.parentElement;
                        return new Set(parts.map(r => Math.round(r.top))).size > 1 && whole < line.clientWidth;
                    }).map(t => t.textContent)""")
                broken += [(kind, width, text) for text in found]
    finally:
        context.close()
    assert not broken, broken[:10]
