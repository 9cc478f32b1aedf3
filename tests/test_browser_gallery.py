"""Photos in a real browser (issue 3): the GLightbox gallery on a phone, on a story reached by a link,
and lazy images on the photo wall and the home strip. The site is built and served under /dangjian/.

Run only these with ``pytest -m browser``; without /usr/bin/chromium they skip locally and fail in CI.
"""

from __future__ import annotations

import io

import pytest
from browser_support import BASE_PATH, PageRecord, built_and_served
from conftest import SiteProject
from PIL import Image, ImageDraw

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NEWER = ("2025/yexian.md", "yexian", "野外一线的主题党日", "2025-04-10", 3)
OLDER = ("2025/gongjian.md", "gongjian", "社区共建绿色家园", "2025-03-01", 2)
SLIDE_LOADED = """() => {
  const img = document.querySelector('.glightbox-container .gslide.current .gslide-image img');
  return img && img.complete && img.naturalWidth > 0 ? img.currentSrc || img.src : null;
}"""
CONTENT_IMAGES_LOADED = "Array.from(document.querySelectorAll('.md-content img')).every(i => i.complete && i.naturalWidth > 0)"


def photo(color: tuple[int, int, int], size: tuple[int, int] = (640, 480)) -> bytes:
    im = Image.new("RGB", size, color)
    ImageDraw.Draw(im).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(250, 220, 90))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=80)
    return out.getvalue()


@pytest.fixture(scope="module")
def gallery_site(tmp_path_factory):
    project = SiteProject.create(tmp_path_factory.mktemp("gallery") / "project")
    project.branch("tankuang", brand="探矿尖兵")
    for n, (rel, slug, title, date, count) in enumerate((NEWER, OLDER)):
        folder = f"content/stories/{rel[:-3]}"
        project.write(f"{folder}/cover.jpg", photo((150, 20 + 80 * n, 30)))
        for i in range(count):
            project.write(f"{folder}/{i:02d}.jpg", photo((30 + 60 * i, 90, 160 - 60 * n)))
        project.story(rel, title=title, date=date, branch="tankuang", slug=slug, cover=f"{slug}/cover.jpg",
                      body=f"{title}的正文。", photos=[{f"{i:02d}.jpg": f"{title}照片{i + 1}"} for i in range(count)])
    with built_and_served(project) as (server, _result):
        yield server


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True,
                              device_scale_factor=2)
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        ctx.close()


def assert_clean(record: PageRecord) -> None:
    assert record.foreign_requests() == [], record.foreign_requests()
    assert record.failures == [], record.failures
    assert record.console_errors == [], record.console_errors


def open_first_gallery_photo_and_browse(page) -> None:
    page.wait_for_selector("html[data-dj-lightbox=ready]", state="attached")  # set up once the page has loaded
    first = page.locator(".dj-gallery a.dj-lightbox").first
    first.scroll_into_view_if_needed()
    first.click()
    shown = page.wait_for_function(SLIDE_LOADED).json_value()
    assert page.locator(".glightbox-container .gslide.current .gslide-description").inner_text().strip()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => {{ const s = ({SLIDE_LOADED})(); return s && s !== {shown!r}; }}")
    page.keyboard.press("Escape")
    page.wait_for_selector(".glightbox-container", state="detached")


def test_lightbox_on_a_phone_and_on_the_next_story(phone, gallery_site):
    page = phone.new_page()
    record = PageRecord().attach(page)
    page.goto(gallery_site.url(f"stories/2025/{NEWER[1]}/"), wait_until="networkidle")
    assert page.locator(".dj-gallery a.dj-lightbox").count() == NEWER[4]
    open_first_gallery_photo_and_browse(page)

    older = page.locator("a.dj-around__older").first
    older.scroll_into_view_if_needed()
    older.click()
    page.wait_for_url("**" + BASE_PATH + f"stories/2025/{OLDER[1]}/")
    page.locator(".dj-story h1", has_text=OLDER[2]).wait_for()
    assert page.locator(".dj-gallery a.dj-lightbox").count() == OLDER[4]
    page.wait_for_function("!document.querySelector('.dj-gallery--wait')")  # released once its cover is shown
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(CONTENT_IMAGES_LOADED)
    open_first_gallery_photo_and_browse(page)
    assert_clean(record)


@pytest.mark.parametrize("path", ["branches/tankuang/photos/", ""], ids=["photo-wall", "home"])
def test_every_lazy_image_loads_after_scrolling(phone, gallery_site, path):
    page = phone.new_page()
    record = PageRecord().attach(page)
    page.goto(gallery_site.url(path), wait_until="networkidle")
    images = page.locator(".md-content img")
    count = images.count()
    assert count >= (NEWER[4] + OLDER[4] + 2 if path else 4)
    assert page.locator(".md-content picture img[loading=lazy]").count() > 0
    page.evaluate("Array.from(document.querySelectorAll('.md-content img')).forEach(i => i.scrollIntoView())")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(CONTENT_IMAGES_LOADED)
    widths = page.evaluate("Array.from(document.querySelectorAll('.md-content img'))"
                           ".map(i => [i.currentSrc || i.src, i.naturalWidth])")
    assert len(widths) == count and all(w > 0 for _, w in widths), widths
    assert_clean(record)


def _picture_urls(page, selector: str) -> set[str]:
    """Every file a <picture> under ``selector`` may fetch (source and img srcset, img src), as absolute URLs."""
    return set(page.evaluate("""sel => Array.from(document.querySelectorAll(sel + ' source, ' + sel + ' img'))
        .flatMap(e => [e.getAttribute('src'), ...(e.getAttribute('srcset') || '').split(',').map(s => s.trim().split(' ')[0])])
        .filter(Boolean).map(u => new URL(u, location.href).href)""", selector))


def test_gallery_waits_until_the_cover_is_on_screen(phone, gallery_site):
    """While the cover is still loading, the gallery's photos are not requested (the cover has the phone's connection
    to itself) and the gallery keeps its 4:3 boxes; once the cover is painted they come, nothing moves, and the
    lightbox works as before."""
    url = gallery_site.url(f"stories/2025/{NEWER[1]}/")
    probe = phone.new_page()
    probe.goto(url, wait_until="networkidle")
    cover_urls = _picture_urls(probe, "figure.dj-story__cover")
    gallery_urls = _picture_urls(probe, ".dj-gallery")
    probe.close()
    assert cover_urls and gallery_urls and not cover_urls & gallery_urls

    page = phone.new_page()
    record = PageRecord().attach(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    held = []
    page.route("**/media/**", lambda route: held.append(route) if route.request.url in cover_urls else route.continue_())
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_timeout(1200)  # well inside the 4-s fallback
    assert held, "the cover was never requested"
    assert not [u for u in requested if u in gallery_urls], "gallery photos started before the cover was painted"
    assert page.evaluate("document.documentElement.classList.contains('dj-hold')")
    assert page.locator(".dj-gallery--wait").count() == 1
    boxes = "Array.from(document.querySelectorAll('.dj-gallery__item > a')).map(a => a.getBoundingClientRect())" \
            ".map(r => [Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)])"
    before = page.evaluate(boxes)
    assert len(before) == NEWER[4] and all(h > 0 and abs(h - w * 3 / 4) <= 1 for _, w, h in before), before

    for route in held:
        route.continue_()
    page.wait_for_function("!document.querySelector('.dj-gallery--wait')")
    page.wait_for_selector("html[data-dj-lightbox=ready]", state="attached")
    page.wait_for_function(CONTENT_IMAGES_LOADED)
    assert gallery_urls & set(requested), "gallery photos never came"
    assert page.evaluate(boxes) == before, "the gallery moved when its photos came"
    open_first_gallery_photo_and_browse(page)
    assert_clean(record)
