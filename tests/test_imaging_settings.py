"""The images: section of column.yml, and the <picture> markup."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from dangjian_column.config.images import image_settings_from
from dangjian_column.imaging import ImageSettings, ProcessedImage, Rendition, picture_html
from dangjian_column.problems import ProblemLog


def test_defaults_when_the_section_is_absent():
    log = ProblemLog()
    assert image_settings_from(None, log) == ImageSettings()
    assert ImageSettings().widths == (480, 720, 960, 1600) and ImageSettings().cache_dir == ".cache/images"
    assert not log.items


def test_good_values_are_read():
    log = ProblemLog()
    settings = image_settings_from({"widths": [1200, 400, 400], "webp_quality": 70, "publish_originals": True,
                                    "workers": 2, "cache_dir": "build-cache/img"}, log)
    assert settings.widths == (400, 1200) and settings.webp_quality == 70 and settings.publish_originals
    assert settings.workers == 2 and settings.cache_dir == "build-cache/img"
    assert not log.items


def test_bad_values_are_reported_in_chinese_and_fall_back():
    log = ProblemLog()
    settings = image_settings_from({"widths": [480, "大"], "jpeg_quality": 150, "max_pixels": 10,
                                    "publish_originals": "yes", "workers": -1, "cache_dir": "", "colour": 1}, log)
    assert settings == ImageSettings()
    fields = {p.field: p for p in log}
    assert set(fields) == {"images.widths", "images.jpeg_quality", "images.max_pixels", "images.publish_originals",
                           "images.workers", "images.cache_dir", "images.colour"}
    assert all(p.path == "column.yml" for p in log)
    assert "1–100" in fields["images.jpeg_quality"].message and "默认值 82" in fields["images.jpeg_quality"].message
    assert fields["images.colour"].level == "warning"
    assert [p.field for p in log.errors()] and "images.colour" not in [p.field for p in log.errors()]


def test_a_section_that_is_not_a_mapping():
    log = ProblemLog()
    assert image_settings_from(["widths"], log) == ImageSettings()  # type: ignore[arg-type]
    assert log.items[0].field == "images"


def _image(fallback: str = "jpeg") -> ProcessedImage:
    def r(width: int, fmt: str) -> Rendition:
        ext = "jpg" if fmt == "jpeg" else fmt
        return Rendition(f"media/ab/ab{width}-{width}.{ext}", Path("/c"), width, width * 3 // 4, fmt)  # type: ignore[arg-type]

    widths = (480, 960, 1600)
    return ProcessedImage("p.jpg", "d", 2000, 1500, tuple(r(w, f) for f in ("webp", fallback) for w in widths))


def test_picture_html():
    html = picture_html(_image(), 'A "quoted" <alt> & 党日', lambda p: f"../../{p}", css_class="cover wide")
    soup = BeautifulSoup(html, "html.parser")
    source, img = soup.picture.source, soup.picture.img
    assert source["type"] == "image/webp"
    assert source["srcset"] == ("../../media/ab/ab480-480.webp 480w, ../../media/ab/ab960-960.webp 960w, "
                                "../../media/ab/ab1600-1600.webp 1600w")
    assert source["sizes"] == img["sizes"] == "(min-width: 960px) 960px, 100vw"
    assert img["src"] == "../../media/ab/ab960-960.jpg"
    assert img["srcset"].endswith("ab1600-1600.jpg 1600w")
    assert (img["width"], img["height"]) == ("1600", "1200")
    assert img["alt"] == 'A "quoted" <alt> & 党日'
    assert "&lt;alt&gt;" in html and "&quot;quoted&quot;" in html
    assert img["loading"] == "lazy" and img["decoding"] == "async" and img["class"] == ["cover", "wide"]


def test_picture_html_png_fallback_and_eager():
    html = picture_html(_image("png"), "标志", str, lazy=False, sizes="160px")
    img = BeautifulSoup(html, "html.parser").img
    assert img["src"].endswith(".png") and "loading" not in img.attrs and img["sizes"] == "160px"
    assert not img.get("class")
