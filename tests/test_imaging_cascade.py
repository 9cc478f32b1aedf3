"""Renditions cascade (each width resized from the next wider one), are turned upright after resizing, and
their names change with every encoder setting that shapes them. Real images made with Pillow."""

from __future__ import annotations

from pathlib import Path

import pytest
from dangjian_column.config.images import image_settings_from
from dangjian_column.imaging import ImagePipeline, ImageRequest, ImageSettings, PipelineResult
from dangjian_column.imaging.plan import SourceFacts, plan_for
from dangjian_column.problems import ProblemLog
from PIL import Image, ImageOps

RED = (230, 20, 20)
GREEN = (20, 160, 60)
WIDTHS = (200, 320, 480, 720)


def photo(path: Path, size: tuple[int, int] = (1200, 900), orientation: int = 1) -> Path:
    """Green, a red block in the stored top-left corner, EXIF orientation as a phone writes it."""
    im = Image.new("RGB", size, GREEN)
    im.paste(RED, (0, 0, size[0] // 5, size[1] // 5))
    exif = Image.Exif()
    exif[0x0112] = orientation
    im.save(path, "JPEG", quality=92, exif=exif.tobytes())
    return path


def run(tmp_path: Path, sources: list[Path], **settings) -> PipelineResult:
    pipeline = ImagePipeline(tmp_path / "cache", ImageSettings(**{"workers": 1, **settings}), progress=False)
    result = pipeline.process([ImageRequest(p, p.name) for p in sources])
    assert not result.failures, result.failures
    return result


def red_corners(im: Image.Image) -> list[str]:
    rgb = im.convert("RGB")
    w, h = rgb.size
    corners = {"top-left": (3, 3), "top-right": (w - 4, 3), "bottom-left": (3, h - 4), "bottom-right": (w - 4, h - 4)}
    return [name for name, xy in corners.items()
            if (lambda p: p[0] > 180 and p[1] < 90 and p[2] < 90)(rgb.getpixel(xy))]


def names(result: PipelineResult, label: str, fmt: str) -> dict[int, str]:
    return {r.width: r.site_path for r in result.images[label].by_format(fmt)}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_width_of_the_cascade_has_its_size_and_is_upright(tmp_path, orientation):
    source = photo(tmp_path / "p.jpg", size=(1600, 1200), orientation=orientation)
    with Image.open(source) as im:
        upright = ImageOps.exif_transpose(im)  # Pillow's own reading of the orientation: the reference
    expected_corner = red_corners(upright)
    assert len(expected_corner) == 1
    result = run(tmp_path, [source], widths=WIDTHS)
    image = result.images["p.jpg"]
    assert (image.width, image.height) == upright.size
    sizes = [(w, round(upright.height * w / upright.width)) for w in WIDTHS]
    for fmt in ("webp", "jpeg"):
        renditions = image.by_format(fmt)
        assert [(r.width, r.height) for r in renditions] == sizes
        for rendition in renditions:
            with Image.open(rendition.cache_path) as out:
                assert out.size == (rendition.width, rendition.height)
                assert red_corners(out) == expected_corner, (fmt, rendition.width)


def test_each_width_is_resized_from_the_next_wider_one_and_names_say_so():
    facts = SourceFacts("d" * 64, 4000, 3000, "JPEG", False)
    plan = plan_for(facts, "photo", ImageSettings(widths=(480, 720, 960, 1600)))
    sources = {(s.format, s.width): s.source_width for s in plan.renditions}
    assert sources == {(fmt, w): src for fmt in ("webp", "jpeg")
                       for w, src in ((1600, 0), (960, 1600), (720, 960), (480, 720))}
    assert plan.cascade() == [(1600, 1200), (960, 720), (720, 540), (480, 360)]
    # a panorama's large view is the widest step, so the renditions below it are resized from it
    panorama = plan_for(SourceFacts("e" * 64, 6000, 1000, "JPEG", False), "photo", ImageSettings())
    assert panorama.original is not None and panorama.original.width == 6000
    assert {s.width: s.source_width for s in panorama.renditions} == {1600: 6000, 960: 1600, 720: 960, 480: 720}


def test_only_a_cover_gets_the_search_thumbnail_widths_resized_from_the_narrowest_photo_width():
    facts = SourceFacts("f" * 64, 4000, 3000, "JPEG", False)
    settings = ImageSettings()  # widths 480/720/960/1600, thumb_widths 160/320
    photo_widths = sorted({s.width for s in plan_for(facts, "photo", settings).renditions})
    cover = plan_for(facts, "cover", settings)
    assert photo_widths == [480, 720, 960, 1600]
    assert sorted({s.width for s in cover.renditions}) == [160, 320, 480, 720, 960, 1600]
    # the photo widths keep their names (a cache made before keeps them); the thumbnails come from 480 → 320 → 160
    photo_keys = {s.key for s in plan_for(facts, "photo", settings).renditions}
    assert photo_keys <= {s.key for s in cover.renditions}
    assert {s.width: s.source_width for s in cover.renditions if s.width < 480} == {320: 480, 160: 320}
    assert sorted({s.width for s in plan_for(facts, "logo", settings).renditions}) == [160, 320]


def test_a_missing_narrow_rendition_is_remade_identical_from_the_same_cascade(tmp_path):
    source = photo(tmp_path / "p.jpg", size=(2400, 1800), orientation=6)
    first = run(tmp_path, [source], widths=WIDTHS).images["p.jpg"]
    narrowest = [r for r in first.renditions if r.width == 200]
    before = {r.site_path: r.cache_path.read_bytes() for r in narrowest}
    for rendition in narrowest:
        rendition.cache_path.unlink()
    again = run(tmp_path, [source], widths=WIDTHS)
    assert again.encoded == 2 and again.cached == 6  # the two 200-px files, nothing else
    assert {r.site_path: r.cache_path.read_bytes() for r in narrowest} == before


def test_encoder_settings_rename_and_reencode_exactly_the_files_they_shape(tmp_path):
    source = photo(tmp_path / "p.jpg", size=(2000, 1500))
    ladder = {"widths": (480, 960, 1600)}
    first = run(tmp_path, [source], **ladder)
    assert first.encoded == 6

    method = run(tmp_path, [source], webp_method=4, **ladder)  # libwebp's default effort: other WebP names
    assert method.encoded == 3
    assert names(method, "p.jpg", "jpeg") == names(first, "p.jpg", "jpeg")
    assert set(names(method, "p.jpg", "webp").values()).isdisjoint(names(first, "p.jpg", "webp").values())

    progressive = run(tmp_path, [source], jpeg_progressive=True, **ladder)
    assert progressive.encoded == 3
    assert names(progressive, "p.jpg", "webp") == names(first, "p.jpg", "webp")
    for rendition in progressive.images["p.jpg"].by_format("jpeg"):
        with Image.open(rendition.cache_path) as out:
            assert out.info.get("progressive")
    for rendition in first.images["p.jpg"].by_format("jpeg"):
        with Image.open(rendition.cache_path) as out:
            assert not out.info.get("progressive")  # the default: baseline (optimised Huffman tables)

    # a new middle width: its two files, and the next narrower width (now resized from it) renamed
    middle = run(tmp_path, [source], widths=(480, 720, 960, 1600))
    assert middle.encoded == 4
    for fmt in ("webp", "jpeg"):
        old, new = names(first, "p.jpg", fmt), names(middle, "p.jpg", fmt)
        assert new[960] == old[960] and new[1600] == old[1600] and new[480] != old[480]
    assert run(tmp_path, [source], widths=(480, 720, 960, 1600)).encoded == 0


def test_the_new_settings_are_read_and_checked():
    log = ProblemLog()
    settings = image_settings_from({"webp_method": 5, "jpeg_progressive": True}, log)
    assert settings.webp_method == 5 and settings.jpeg_progressive and not log.items
    defaults = ImageSettings()
    assert (defaults.webp_method, defaults.jpeg_progressive) == (2, False)
    bad = image_settings_from({"webp_method": 7, "jpeg_progressive": "是"}, log)
    assert (bad.webp_method, bad.jpeg_progressive) == (2, False)
    fields = {p.field: p.message for p in log}
    assert set(fields) == {"images.webp_method", "images.jpeg_progressive"}
    assert "0–6" in fields["images.webp_method"] and "默认值 2" in fields["images.webp_method"]
