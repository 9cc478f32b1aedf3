"""What staff really upload: broken files, wrong extensions, bombs, HEIC, SVG, odd names."""

from __future__ import annotations

import hashlib
import io
import random
import resource
import struct
import zlib
from pathlib import Path

import pytest
from dangjian_column.imaging import (
    ImageFailure,
    ImageInfo,
    ImagePipeline,
    ImageRequest,
    ImageSettings,
    PipelineResult,
    inspect_image,
)
from PIL import Image


def jpeg_bytes(size: tuple[int, int] = (1200, 900), orientation: int = 1) -> bytes:
    """A detailed picture (a fractal), so the compressed data is long enough to break in the middle."""
    im = Image.effect_mandelbrot(size, (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG whose header claims 900 million pixels in a few KB (only the first rows are present)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 8, 9)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", rows) + png_chunk(b"IEND", b"")


def run(tmp_path: Path, sources: list[Path], **settings) -> PipelineResult:
    requests = [ImageRequest(p, f"content/stories/2026/x/{p.name}") for p in sources]
    return ImagePipeline(tmp_path / "cache", ImageSettings(**{"workers": 1, **settings}),
                         progress=False).process(requests)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """file -> (path, a phrase its Chinese message must contain)."""
    good = jpeg_bytes()
    mid = len(good) // 2
    noise = random.Random(7).randbytes(3000)
    return {
        "empty.jpg": (write(tmp_path, "empty.jpg", b""), "空文件"),
        "truncated.jpg": (write(tmp_path, "truncated.jpg", good[:mid]), "不完整"),
        "broken.jpg": (write(tmp_path, "broken.jpg", good[:mid] + noise + good[mid + 3000:]), "损坏"),
        "notes.jpg": (write(tmp_path, "notes.jpg", "活动通知：周五下午三点开会。\n".encode() * 20), "文本文件"),
        "drawing.svg": (write(tmp_path, "drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
                        "SVG 图片不能直接发布，请转换为 PNG"),
        "logo.png": (write(tmp_path, "logo.png", b'<?xml version="1.0"?>\n<svg width="10"></svg>'),
                     "SVG 图片不能直接发布，请转换为 PNG"),
        "doc.jpg": (write(tmp_path, "doc.jpg", b"%PDF-1.7\n" + bytes(range(256)) * 4), "请转换为 JPEG 或 PNG"),
        "random.jpg": (write(tmp_path, "random.jpg", noise), "请转换为 JPEG 或 PNG"),
        "bomb.png": (write(tmp_path, "bomb.png", bomb_png()), "超过上限"),
    }


def test_each_bad_input_fails_with_a_chinese_message_and_the_rest_still_process(tmp_path):
    bad = bad_inputs(tmp_path)
    good = write(tmp_path, "活动 照片 [1] (副本).JPEG", jpeg_bytes())
    png_named_jpg = tmp_path / "截图.JPG"
    Image.new("RGB", (700, 500), (1, 2, 3)).save(png_named_jpg, "PNG")
    result = run(tmp_path, [good, png_named_jpg, *(path for path, _ in bad.values())])
    assert set(result.images) == {f"content/stories/2026/x/{n}" for n in ("活动 照片 [1] (副本).JPEG", "截图.JPG")}
    assert len(result.failures) == len(bad)
    for name, (_, phrase) in bad.items():
        message = result.failures[f"content/stories/2026/x/{name}"]
        assert phrase in message, (name, message)
        assert f"content/stories/2026/x/{name}" in message  # names the file
        assert "Traceback" not in message and "请" in message  # says the fix
    assert "失败 9 张" in result.summary()


def test_corrupt_data_is_refused_also_when_decoding_drafted(tmp_path):
    good = jpeg_bytes((2400, 1800))
    mid = len(good) // 2
    broken = write(tmp_path, "broken.jpg", good[:mid] + random.Random(3).randbytes(4000) + good[mid + 4000:])
    truncated = write(tmp_path, "cut.jpg", good[: len(good) // 3])
    result = run(tmp_path, [broken, truncated], widths=(300,))  # a 1/4 or 1/8 scale decode
    assert "损坏" in result.failures["content/stories/2026/x/broken.jpg"]
    assert "不完整" in result.failures["content/stories/2026/x/cut.jpg"]


def test_decompression_bomb_is_refused_from_the_header_without_decoding(tmp_path):
    bomb = write(tmp_path, "bomb.png", bomb_png())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run(tmp_path, [bomb])
    info = inspect_image(bomb, ImageSettings())
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "30000×30000" in result.failures["content/stories/2026/x/bomb.png"]
    assert isinstance(info, ImageFailure) and "超过上限" in info.message
    assert grown_mb < 100  # decoding would need 900 MB
    assert Image.MAX_IMAGE_PIXELS == 89478485  # Pillow's global guard is restored after the run


def test_pixel_limit_is_configurable(tmp_path):
    photo = write(tmp_path, "p.jpg", jpeg_bytes((1200, 900)))
    result = run(tmp_path, [photo], max_pixels=1_000_000)
    assert "images.max_pixels" in result.failures["content/stories/2026/x/p.jpg"]
    assert run(tmp_path, [photo], max_pixels=2_000_000).images


def test_wide_panorama_works(tmp_path):
    panorama = write(tmp_path, "全景.jpg", jpeg_bytes((9000, 600)))
    image = run(tmp_path, [panorama]).images["content/stories/2026/x/全景.jpg"]
    assert [(r.width, r.height) for r in image.by_format("jpeg")] == [(480, 32), (720, 48), (960, 64), (1600, 107)]


def test_missing_file(tmp_path):
    result = run(tmp_path, [tmp_path / "gone.jpg"])
    assert "找不到图片 content/stories/2026/x/gone.jpg" in result.failures["content/stories/2026/x/gone.jpg"]


def test_inspect_reads_the_header_only(tmp_path):
    rotated = write(tmp_path, "r.jpg", jpeg_bytes((1200, 900), orientation=6))
    assert inspect_image(rotated, ImageSettings()) == ImageInfo(900, 1200, "JPEG", False)
    rgba = tmp_path / "a.png"
    Image.new("RGBA", (30, 20)).save(rgba)
    assert inspect_image(rgba, ImageSettings()) == ImageInfo(30, 20, "PNG", True)
    text = write(tmp_path, "t.jpg", b"hello")
    assert "文本文件" in inspect_image(text, ImageSettings()).message


def test_heic_is_supported_and_upright(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    if not pillow_heif.libheif_info().get("encoders"):
        pytest.skip("this pillow-heif wheel has no HEIF encoder to make a test file")
    pillow_heif.register_heif_opener()
    im = Image.new("RGB", (800, 600), (20, 160, 60))
    im.paste((230, 20, 20), (0, 0, 100, 100))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825)[1] = "N"
    heic = tmp_path / "IMG_0001.HEIC"
    im.save(heic, "HEIF", exif=exif.tobytes())
    result = run(tmp_path, [heic], widths=(300,))
    image = result.images["content/stories/2026/x/IMG_0001.HEIC"]
    assert (image.width, image.height) == (600, 800)
    with Image.open(image.by_format("jpeg")[0].cache_path) as out:
        assert out.size == (300, 400)
        red = out.convert("RGB").getpixel((295, 5))
        assert red[0] > 180 and red[1] < 90  # stored top-left is now top-right
        assert not out.getexif()


def test_sources_are_unchanged_byte_for_byte(tmp_path):
    paths = [path for path, _ in bad_inputs(tmp_path).values()] + [write(tmp_path, "ok.jpg", jpeg_bytes())]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    run(tmp_path, paths, publish_originals=True)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths} == before


def test_pillow_guards_are_restored_when_photos_are_inspected_from_several_threads():
    """check inspects photos on threads: A enters, B enters, A leaves, B leaves — B must not put back
    the limit A had set (that leaked a 100-megapixel guard into everything after a check)."""
    import threading

    from dangjian_column.imaging.source import pixel_limit
    from PIL import ImageFile

    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    b_inside, a_left = threading.Event(), threading.Event()

    def a() -> None:
        with pixel_limit(1_000):
            assert b_inside.wait(10)
        a_left.set()

    def b() -> None:
        with pixel_limit(2_000):
            b_inside.set()
            assert a_left.wait(10)
            assert Image.MAX_IMAGE_PIXELS is not None and ImageFile.LOAD_TRUNCATED_IMAGES is False

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    threads[0].start()
    threads[1].start()
    for thread in threads:
        thread.join(20)
    assert before == (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
