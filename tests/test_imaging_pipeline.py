"""Image pipeline on real files made with Pillow: orientation, metadata, sizes, colour modes, cache."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from dangjian_column.imaging import ImagePipeline, ImageRequest, ImageSettings, PipelineResult, publish
from dangjian_column.imaging.encode import save_clean
from dangjian_column.imaging.plan import RenditionSpec
from dangjian_column.imaging.publish import prune
from PIL import Image

RED = (230, 20, 20)
GREEN = (20, 160, 60)
SECRET_MAKE = "SecretCam-9000"
SECRET_COMMENT = b"secret-comment-abc"
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="SecretTool"/>'
       b"</rdf:RDF></x:xmpmeta>")


def phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = SECRET_MAKE
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (30.0, 15.0, 7.5)
    gps[3] = "E"
    gps[4] = (114.0, 20.0, 1.25)
    return exif


def photo(path: Path, size: tuple[int, int] = (1200, 900), orientation: int = 1, **save) -> Path:
    """Green picture with a red square in the stored top-left corner, EXIF with GPS, XMP and a comment."""
    im = Image.new("RGB", size, GREEN)
    im.paste(RED, (0, 0, size[0] // 6, size[1] // 6))
    im.save(path, "JPEG", quality=90, exif=phone_exif(orientation).tobytes(), comment=SECRET_COMMENT, xmp=XMP,
            **save)
    return path


def run(tmp_path: Path, sources: list[Path], role: str = "photo", **settings) -> PipelineResult:
    requests = [ImageRequest(p, p.name, role) for p in sources]
    pipeline = ImagePipeline(tmp_path / "cache", ImageSettings(**{"workers": 1, **settings}), progress=False)
    return pipeline.process(requests)


def output_files(result: PipelineResult) -> list[Path]:
    return [r.cache_path for image in result.images.values() for r in image.files()]


def is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 180 and pixel[1] < 90 and pixel[2] < 90


@pytest.mark.parametrize(("orientation", "red_corner"), [(1, "top-left"), (6, "top-right"), (8, "bottom-left"),
                                                          (3, "bottom-right")])
def test_exif_orientation_comes_out_upright(tmp_path, orientation, red_corner):
    result = run(tmp_path, [photo(tmp_path / "p.jpg", orientation=orientation)], widths=(480,))
    image = result.images["p.jpg"]
    swapped = orientation in (6, 8)
    assert (image.width, image.height) == ((900, 1200) if swapped else (1200, 900))
    for rendition in image.renditions:
        with Image.open(rendition.cache_path) as out:
            out = out.convert("RGB")
            w, h = out.size
            assert (w, h) == (rendition.width, rendition.height) == ((480, 640) if swapped else (480, 360))
            corners = {"top-left": (5, 5), "top-right": (w - 6, 5), "bottom-left": (5, h - 6),
                       "bottom-right": (w - 6, h - 6)}
            assert [name for name, xy in corners.items() if is_red(out.getpixel(xy))] == [red_corner]


def test_no_metadata_in_any_output(tmp_path):
    png = tmp_path / "screen.png"
    Image.new("RGBA", (800, 600), (0, 0, 255, 120)).save(png, exif=phone_exif().tobytes())
    sources = [photo(tmp_path / "p.jpg", orientation=6), png]
    result = run(tmp_path, sources, publish_originals=True)
    files = output_files(result)
    assert len(files) == 14 and result.images["p.jpg"].original is not None
    for path in files:
        raw = path.read_bytes()
        for marker in (b"Exif", SECRET_MAKE.encode(), SECRET_COMMENT, b"SecretTool", b"ns.adobe.com/xap", b"GPS",
                       b"iCCP", b"ICC_PROFILE"):
            assert marker not in raw, (path.name, marker)
        with Image.open(path) as out:
            assert not out.getexif()
            assert not {"exif", "xmp", "comment", "icc_profile", "XML:com.adobe.xmp"} & set(out.info), out.info


def test_sizes_formats_and_no_upscaling(tmp_path):
    big = photo(tmp_path / "big.jpg", size=(2000, 1500))
    small = photo(tmp_path / "small.jpg", size=(400, 300))
    result = run(tmp_path, [big, small])
    assert [(r.width, r.height) for r in result.images["big.jpg"].by_format("webp")] == [
        (480, 360), (720, 540), (960, 720), (1600, 1200)]
    assert [r.width for r in result.images["big.jpg"].by_format("jpeg")] == [480, 720, 960, 1600]
    # 480, 720, 960 and 1600 are all at or above 400: one rendition per format at the source width.
    assert [(r.format, r.width) for r in result.images["small.jpg"].renditions] == [("webp", 400), ("jpeg", 400)]
    for rendition in (r for image in result.images.values() for r in image.renditions):
        with Image.open(rendition.cache_path) as out:
            assert out.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition.format]
            assert out.size == (rendition.width, rendition.height)
        assert rendition.site_path.endswith(f"-{rendition.width}.{'jpg' if rendition.format == 'jpeg' else 'webp'}")
        assert rendition.cache_path == tmp_path / "cache" / rendition.site_path


def test_configured_widths_and_logo_widths(tmp_path):
    source = photo(tmp_path / "logo.jpg", size=(1000, 1000))
    result = run(tmp_path, [source], role="logo", logo_widths=(100, 250))
    assert [r.width for r in result.images["logo.jpg"].by_format("webp")] == [100, 250]
    result = run(tmp_path, [source], widths=(300, 700))
    assert [r.width for r in result.images["logo.jpg"].by_format("jpeg")] == [300, 700]
    result = run(tmp_path, [source], widths=(400, 1200), webp=False)  # sigal-like: JPEG only
    assert [(r.format, r.width) for r in result.images["logo.jpg"].renditions] == [("jpeg", 400), ("jpeg", 1000)]


def test_colour_modes(tmp_path):
    cmyk = tmp_path / "scan.jpg"
    Image.new("CMYK", (600, 400), (0, 255, 255, 0)).save(cmyk, "JPEG")  # pure red in CMYK
    deep = tmp_path / "deep.png"
    Image.new("I;16", (600, 400), 32768).save(deep)  # mid grey in 16 bits
    palette = tmp_path / "pal.png"
    pal = Image.new("P", (600, 400), 1)
    pal.putpalette([0, 0, 0, 20, 160, 60] + [0] * 762)
    pal.paste(0, (0, 0, 300, 400))
    pal.save(palette, transparency=0)
    opaque_rgba = tmp_path / "opaque.png"
    Image.new("RGBA", (600, 400), (10, 20, 30, 255)).save(opaque_rgba)
    gif = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (300, 200), colour) for colour in (RED, (0, 0, 255))]
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=100, loop=0)
    result = run(tmp_path, [cmyk, deep, palette, opaque_rgba, gif], widths=(200,))
    assert not result.failures
    assert is_red(_pixel(result, "scan.jpg", "jpeg", (100, 60)))
    assert 110 < _pixel(result, "deep.png", "jpeg", (100, 60))[0] < 146  # scaled, not clipped to white
    # Palette with a transparent index: real alpha, kept in WebP and PNG (no JPEG).
    assert result.images["pal.png"].fallback_format == "png"
    assert {r.format for r in result.images["pal.png"].renditions} == {"webp", "png"}
    assert _pixel(result, "pal.png", "webp", (10, 60))[3] == 0
    assert _pixel(result, "pal.png", "png", (190, 60))[3] == 255
    # An alpha channel that is opaque everywhere is not transparency: JPEG fallback.
    assert result.images["opaque.png"].fallback_format == "jpeg"
    assert is_red(_pixel(result, "anim.gif", "jpeg", (100, 60)))  # the first frame


def _pixel(result: PipelineResult, label: str, fmt: str, xy: tuple[int, int]) -> tuple[int, ...]:
    with Image.open(result.images[label].by_format(fmt)[0].cache_path) as out:
        return out.convert("RGBA").getpixel(xy)


def test_jpeg_from_alpha_is_flattened_on_white(tmp_path):
    im = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    im.paste((200, 0, 0, 255), (0, 0, 20, 20))
    target = tmp_path / "flat.jpg"
    save_clean(im, RenditionSpec(40, 20, "jpeg", 90, "k"), target)
    with Image.open(target) as out:
        assert out.mode == "RGB"
        assert min(out.getpixel((35, 10))) > 240  # transparent area is white, not black
        assert out.getpixel((5, 10))[0] > 180


def test_cache_second_run_encodes_nothing_and_settings_change_reencodes_only_what_it_affects(tmp_path):
    sources = [photo(tmp_path / f"p{i}.jpg", size=(1000 + i, 750)) for i in range(3)]
    ladder = (480, 960, 1600)
    first = run(tmp_path, sources, workers=2, widths=ladder)  # through the process pool
    assert first.encoded == 3 * 2 * 3 and first.cached == 0 and not first.failures
    second = run(tmp_path, sources, workers=2, widths=ladder)
    assert second.encoded == 0 and second.cached == 18
    assert "新处理 0 张，使用缓存 3 张，失败 0 张" in second.summary()
    changed = run(tmp_path, sources, webp_quality=60, widths=ladder)
    assert changed.encoded == 3 * 3  # only the WebP files
    for label, image in changed.images.items():
        assert image.by_format("jpeg") == first.images[label].by_format("jpeg")
        assert {r.site_path for r in image.by_format("webp")}.isdisjoint(
            r.site_path for r in first.images[label].by_format("webp"))
    wider = run(tmp_path, sources, webp_quality=60, widths=(480, 960, 1600, 320))
    assert wider.encoded == 3 * 2  # one new width, two formats


def test_touched_file_is_rehashed_but_not_reencoded(tmp_path):
    source = photo(tmp_path / "p.jpg")
    run(tmp_path, [source])
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    again = run(tmp_path, [source])
    assert again.encoded == 0 and again.cached == 8
    index = json.loads((tmp_path / "cache" / "index.json").read_text(encoding="utf-8"))
    assert index["stats"][str(source)][1] == stat.st_mtime_ns + 5_000_000_000  # the new stat was recorded


def test_same_bytes_new_content_gets_new_names(tmp_path):
    source = photo(tmp_path / "p.jpg")
    before = run(tmp_path, [source]).images["p.jpg"]
    photo(source, size=(1000, 900))
    after = run(tmp_path, [source]).images["p.jpg"]
    assert before.digest != after.digest
    assert {r.site_path for r in before.renditions}.isdisjoint(r.site_path for r in after.renditions)


def test_sources_are_never_modified(tmp_path):
    sources = [photo(tmp_path / "p.jpg", orientation=6), photo(tmp_path / "q.JPG")]
    before = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in sources}
    run(tmp_path, sources, publish_originals=True)
    assert {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in sources} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "p.jpg", "q.JPG"]


def test_publish_links_every_file_and_is_idempotent(tmp_path):
    result = run(tmp_path, [photo(tmp_path / "p.jpg")], publish_originals=True)
    site = tmp_path / "site"
    assert publish(result, site) == 9  # 4 WebP, 4 JPEG, the original (re-encoded, stripped)
    assert publish(result, site) == 9
    for rendition in result.images["p.jpg"].files():
        assert (site / rendition.site_path).read_bytes() == rendition.cache_path.read_bytes()
    assert result.images["p.jpg"].original.width == 1200


def test_prune_keeps_only_what_a_build_uses(tmp_path):
    source = photo(tmp_path / "p.jpg")
    old = run(tmp_path, [source], webp_quality=50)
    new = run(tmp_path, [source])
    removed = prune(tmp_path / "cache", new.site_paths())
    assert removed == 4
    assert prune(tmp_path / "cache", new.site_paths()) == 0
    assert all(r.cache_path.exists() for r in new.images["p.jpg"].files())
    assert not any(r.cache_path.exists() for r in old.images["p.jpg"].by_format("webp"))


def test_identical_photos_share_their_files(tmp_path):
    copies = [photo(tmp_path / "a.jpg"), photo(tmp_path / "b.jpg")]
    result = run(tmp_path, copies)
    assert result.encoded == 8 and result.images["a.jpg"].renditions == result.images["b.jpg"].renditions


def test_helpers_pick_renditions(tmp_path):
    image = run(tmp_path, [photo(tmp_path / "p.jpg", size=(2000, 1500))]).images["p.jpg"]
    assert image.fallback_format == "jpeg"
    assert image.largest().width == 1600 and image.largest().format == "jpeg"
    assert image.closest(700, "webp").width == 720 and image.closest(721, "webp").width == 960
    assert image.closest(5000).width == 1600
