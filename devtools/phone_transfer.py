"""A page as a reader's phone loads it, and the bytes that took: shared by bench/page_weight.py and the
page-weight budget test (tests/test_deploy_nginx.py).

A 390×844 phone (device scale factor 3, mobile UA, touch), a fresh context per page (cold cache). Bytes are
Chromium's own figures (``request.sizes()``: response headers + encoded body), workers included. "before" is
after load + network idle; "after" adds what the page fetched while scrolled to the bottom step by step.
"""

from __future__ import annotations

from pathlib import Path

from browser_support import TransferMeter

PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36")
STORY_TITLE = "重走地质路"  # content/stories/2025/2025-03-zhuti-dangri-chongzou.md: cover, 1 body image, 4 photos
SCROLL = """async () => {
    let y = 0;
    while (y < document.documentElement.scrollHeight) {
        y += Math.round(window.innerHeight * 0.8);
        window.scrollTo(0, y);
        await new Promise(r => setTimeout(r, 150));
    }
}"""

IMAGES = """() => Array.from(document.images).filter(i => i.currentSrc && i.complete && i.naturalWidth).map(i => {
    const r = i.getBoundingClientRect();
    return {src: new URL(i.currentSrc).pathname, natural: i.naturalWidth, shown: Math.round(r.width),
            dpr: window.devicePixelRatio, eager: i.loading !== 'lazy',
            above_fold: r.top < window.innerHeight && r.bottom > 0};
})"""


def summary(snapshot: dict[str, tuple[int, str]]) -> tuple[int, float, float]:
    total = sum(size for size, _ in snapshot.values())
    images = sum(size for size, kind in snapshot.values() if kind == "image")
    return len(snapshot), total / 1024, images / 1024


def story_path(site: Path) -> str:
    """The sample story the figures are for (its cover, one body photo and four gallery photos)."""
    for page in sorted(site.glob("stories/*/*/index.html")):
        if STORY_TITLE in page.read_text(encoding="utf-8").split("</h1>", 1)[0]:
            return page.parent.relative_to(site).as_posix() + "/"
    raise LookupError(f"no story titled …{STORY_TITLE}… in the build")


def load_as_phone(browser, url: str, wait_for: str | None = None) -> dict:
    """What the page fetched before and after scrolling (``Transfer`` snapshots) and the images it showed."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3,
                                  is_mobile=True, has_touch=True, user_agent=PHONE_UA, locale="zh-CN")
    page = context.new_page()
    transfer = TransferMeter(page)
    try:
        response = page.goto(url, wait_until="load")
        assert response.status == 200, url
        if wait_for:
            page.wait_for_selector(wait_for, timeout=15_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        before = transfer.snapshot()
        images_before = page.evaluate(IMAGES)
        page.evaluate(SCROLL)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        after = transfer.snapshot()
        images_after = page.evaluate(IMAGES)
    finally:
        context.close()
    return {"before": before, "after": after, "images_before": images_before, "images_after": images_after}
