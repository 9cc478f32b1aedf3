"""Photos through real MkDocs builds (issue 3): metadata stripped, upright, responsive markup, galleries,
photo walls, the home strip, the cache across builds, and what staff really drop in a photo folder.

The domain pipeline has its own tests (tests/test_imaging_*.py); these check what reaches the built site.
Every picture is made here with Pillow; a photo is recognised in the output by its centre colour.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zlib
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SiteProject, resolve
from PIL import Image, ImageOps, TiffImagePlugin

WIDTHS = [320, 640]
UPRIGHT = (800, 480)  # every big photo is landscape once upright
QUADRANTS = {"tl": (220, 30, 30), "tr": (30, 200, 60), "bl": (40, 70, 220), "br": (240, 220, 40)}
GPS_MARK = b"DJ-GPS-39.9042N-116.4074E"
XMP_MARK = b"DJ-XMP-MARK"
COMMENT_MARK = b"DJ-COMMENT-MARK"
CAMERA_MARK = "DJ-Camera-Model"
GPS_SECONDS = struct.pack(">LL", 1513, 100)  # 15.13" as the rational Pillow writes (big-endian "MM" TIFF)
METADATA_BYTES = [b"Exif", GPS_MARK, XMP_MARK, COMMENT_MARK, CAMERA_MARK.encode(), GPS_SECONDS,
                  b"http://ns.adobe.com/xap/1.0/"]
XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>' + XMP_MARK
       + b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')

# Photo name -> its centre colour, so a rendition can be traced back to its source.
CENTRES = {
    "cover.jpg": (255, 255, 255),
    "body.jpg": (0, 0, 0),
    "02.jpg": (130, 0, 160),
    "01.jpg": (0, 150, 150),
    "00-wei.jpg": (255, 140, 0),
}
DRAFT_SIZE = (44, 33)  # no published photo has this width: any rendition of a draft photo would show


# --------------------------------------------------------------------------- image makers


def quadrant_picture(size: tuple[int, int], centre: tuple[int, int, int]) -> Image.Image:
    w, h = size
    im = Image.new("RGB", size)
    im.paste(QUADRANTS["tl"], (0, 0, w // 2, h // 2))
    im.paste(QUADRANTS["tr"], (w // 2, 0, w, h // 2))
    im.paste(QUADRANTS["bl"], (0, h // 2, w // 2, h))
    im.paste(QUADRANTS["br"], (w // 2, h // 2, w, h))
    im.paste(centre, (w * 2 // 5, h * 2 // 5, w * 3 // 5, h * 3 // 5))
    return im


def exif_photo(orientation: int, centre: tuple[int, int, int], size: tuple[int, int] = UPRIGHT) -> bytes:
    """A camera JPEG: stored sideways for orientation 6/8, with GPS, camera model, XMP and a comment."""
    upright = quadrant_picture(size, centre)
    stored = {1: upright, 6: upright.transpose(Image.Transpose.ROTATE_90),
              8: upright.transpose(Image.Transpose.ROTATE_270)}[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x0110] = CAMERA_MARK
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (TiffImagePlugin.IFDRational(39, 1), TiffImagePlugin.IFDRational(54, 1),
              TiffImagePlugin.IFDRational(1513, 100))
    gps[3] = "E"
    gps[18] = GPS_MARK.decode()
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=92, exif=exif.tobytes(), xmp=XMP, comment=COMMENT_MARK)
    data = out.getvalue()
    for mark in METADATA_BYTES:  # the source really carries what the site must not
        assert mark in data, mark
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825) and "xmp" in check.info and "comment" in check.info
        assert ImageOps.exif_transpose(check).size == size
    return data


def small_jpeg(color: tuple[int, int, int], size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=90)
    return out.getvalue()


def detailed_jpeg(size: tuple[int, int] = (400, 300)) -> bytes:
    """Long compressed data (a fractal), so that cutting it in half leaves a truly truncated file."""
    out = io.BytesIO()
    Image.effect_mandelbrot(size, (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB").save(out, "JPEG", quality=92)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side: int = 30000) -> bytes:
    """A complete, valid 1-bit 30000×30000 blank PNG: 900 million pixels in ~100 KB."""
    row = b"\x00" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    block = row * 256
    data = b"".join(packer.compress(block) for _ in range(side // 256))
    data += packer.compress(row * (side % 256)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


# --------------------------------------------------------------------------- site readers


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def source_digests(root: Path) -> dict[str, str]:
    return {f"{top}/{rel}": digest for top in ("content", "branches") for rel, digest in digests(root / top).items()}


def srcset_paths(page_url: str, srcset: str) -> list[tuple[str, int]]:
    """(site path, width) for each candidate of a srcset."""
    out = []
    for candidate in srcset.split(","):
        url, width = candidate.strip().rsplit(" ", 1)
        assert width.endswith("w"), candidate
        out.append((resolve(page_url, url), int(width[:-1])))
    return out


def largest_jpeg(page_url: str, picture) -> str:
    return max(srcset_paths(page_url, picture.img["srcset"]), key=lambda c: c[1])[0]


def nearest_centre(site: Path, site_path: str) -> str:
    """Which source photo a rendition shows, by its centre colour."""
    with Image.open(site / site_path) as im:
        rgb = im.convert("RGB")
        pixel = rgb.getpixel((rgb.width // 2, rgb.height // 2))
    return min(CENTRES, key=lambda name: sum((a - b) ** 2 for a, b in zip(CENTRES[name], pixel, strict=True)))


def close(pixel, expected, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def media_files(site: Path) -> list[Path]:
    return sorted(p for p in (site / "media").rglob("*") if p.is_file())


def photo_message(result, story_file: str, label: str) -> list[str]:
    return [m for m in result.messages if m.startswith(story_file) and f"照片 {label}：" in m]


# --------------------------------------------------------------------------- the shared column

STORY_A = ("2025/yexian.md", "yexian", "野外一线的主题党日", "2025-05-10")
URL_A = "stories/2025/yexian/"
URL_B = "stories/2025/lianhe/"
URL_C = "stories/2024/jiugao/"
URL_P = "stories/2025/duotu/"
JOINT_PHOTOS = 3
MANY_PHOTOS = 50


def write_shared_column(project: SiteProject) -> dict:
    # thumb_widths inside WIDTHS: covers get no extra width here (covers' thumbnails: test_imaging_cascade.py and
    # test_browser_search.py)
    project.settings(images={"widths": WIDTHS, "thumb_widths": [320]})
    project.branch("tankuang", brand="探矿尖兵")
    project.branch("dizhi", brand="地质先锋")
    project.branch("shequ", brand="社区先锋")
    folder = "content/stories/2025/yexian"
    project.write(f"{folder}/cover.jpg", exif_photo(6, CENTRES["cover.jpg"]))
    project.write(f"{folder}/body.jpg", exif_photo(8, CENTRES["body.jpg"]))
    project.write(f"{folder}/02.jpg", exif_photo(6, CENTRES["02.jpg"]))
    project.write(f"{folder}/01.jpg", exif_photo(8, CENTRES["01.jpg"]))
    project.write(f"{folder}/00-wei.jpg", exif_photo(1, CENTRES["00-wei.jpg"]))
    rel, slug, title, date = STORY_A
    project.story(rel, title=title, date=date, branch="tankuang", slug=slug, cover="yexian/cover.jpg",
                  body="党员们来到野外一线。\n\n![山谷里的宣讲](yexian/body.jpg)\n\n宣讲之后重温入党誓词。",
                  photos=[{"02.jpg": "党员重温入党誓词"}, {"01.jpg": "钻机旁的合影"}])
    for i in range(JOINT_PHOTOS):
        project.write(f"content/stories/2025/lianhe/{i}.jpg", small_jpeg((10 + 60 * i, 90, 200)))
    project.story("2025/lianhe.md", title="两个支部联合共建", date="2025-04-01", branch=["tankuang", "dizhi"],
                  slug="lianhe", body="联合开展共建活动。")
    project.write("content/stories/2024/jiugao/a.jpg", small_jpeg((90, 200, 10)))
    project.story("2024/jiugao.md", title="去年的组织生活会", date="2024-12-01", branch="tankuang", slug="jiugao",
                  body="召开组织生活会。")
    for i in range(MANY_PHOTOS):
        project.write(f"content/stories/2025/duotu/p{i:02d}.jpg", small_jpeg((i * 5, 255 - i * 5, 128)))
    project.story("2025/duotu.md", title="社区服务图片很多", date="2025-03-01", branch="shequ", slug="duotu",
                  body="社区志愿服务。")
    # Neither a draft nor a story waiting for review may put any of its photos into the site.
    for name, fields in (("caogao", {"draft": True}), ("daishen", {"status": "待审"})):
        for i in range(2):
            project.write(f"content/stories/2025/{name}/{i}.jpg", small_jpeg((200, 10 * i, 10), DRAFT_SIZE))
        project.write(f"content/stories/2025/{name}/cover.jpg", small_jpeg((10, 10, 10), DRAFT_SIZE))
        project.story(f"2025/{name}.md", title=f"未发布稿件{name}", date="2025-05-20", branch="tankuang",
                      slug=name, cover=f"{name}/cover.jpg", body="尚未发布。", **fields)
    # Every distinct source image the published site shows, and its rendition widths.
    return {"big": 5, "small": JOINT_PHOTOS + 1 + MANY_PHOTOS}


@pytest.fixture(scope="module")
def column(tmp_path_factory):
    project = SiteProject.create(tmp_path_factory.mktemp("photos") / "project")
    counts = write_shared_column(project)
    before = source_digests(project.root)
    result = project.build(strict=True)
    assert result.ok, result.messages
    return project, result, counts, before


# --------------------------------------------------------------------------- 1. metadata, orientation, widths


def test_no_metadata_survives_in_any_published_image(column):
    _, result, _, _ = column
    files = media_files(result.site)
    assert files
    for path in files:
        data = path.read_bytes()
        for mark in METADATA_BYTES:
            assert mark not in data, f"{path.name} still carries {mark!r}"
        with Image.open(path) as im:
            assert len(im.getexif()) == 0, path.name
            leaked = {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(im.info)
            assert not leaked, f"{path.name}: {leaked}"


def test_sideways_photos_come_out_upright(column):
    _, result, _, _ = column
    soup = result.html(URL_A)
    pictures = soup.select(".dj-story picture")
    checked = set()
    for picture in pictures:
        candidates = [largest_jpeg(URL_A, picture),
                      max(srcset_paths(URL_A, picture.source["srcset"]), key=lambda c: c[1])[0]]
        for site_path in candidates:
            with Image.open(result.site / site_path) as im:
                rgb = im.convert("RGB")
                w, h = rgb.size
                assert w > h, f"{site_path} is {w}×{h}: not upright"
                corners = {"tl": (w // 10, h // 10), "tr": (w * 9 // 10, h // 10),
                           "bl": (w // 10, h * 9 // 10), "br": (w * 9 // 10, h * 9 // 10)}
                for corner, xy in corners.items():
                    assert close(rgb.getpixel(xy), QUADRANTS[corner]), (site_path, corner, rgb.getpixel(xy))
            checked.add(nearest_centre(result.site, site_path))
    assert checked == set(CENTRES)  # orientation 6 (cover, 02), 8 (body, 01) and 1 (00-wei)


def test_renditions_have_the_configured_widths_and_formats_and_no_original_is_published(column):
    project, result, counts, _ = column
    soup = result.html(URL_A)
    for picture in soup.select(".dj-story picture"):
        assert [w for _, w in srcset_paths(URL_A, picture.img["srcset"])] == WIDTHS
        assert [w for _, w in srcset_paths(URL_A, picture.source["srcset"])] == WIDTHS
        for site_path, width in (*srcset_paths(URL_A, picture.img["srcset"]),
                                 *srcset_paths(URL_A, picture.source["srcset"])):
            with Image.open(result.site / site_path) as im:
                assert im.width == width
                assert im.format == {".jpg": "JPEG", ".webp": "WEBP"}[Path(site_path).suffix]
            assert re.fullmatch(rf"media/[0-9a-f]{{2}}/[0-9a-f]{{16}}-{width}\.(jpg|webp)", site_path), site_path
    files = media_files(result.site)
    # big photos: 2 widths × (WebP + JPEG); 40-px photos are never upscaled: one width × 2 formats
    assert len(files) == counts["big"] * len(WIDTHS) * 2 + counts["small"] * 2
    for path in files:
        with Image.open(path) as im:
            assert im.width in (*WIDTHS, 40), path.name
    # no original anywhere: no image under stories/, and no site file has the bytes of a source
    site_images = [p for p in (result.site / "stories").rglob("*") if p.is_file() and p.suffix != ".html"]
    assert site_images == []
    sources = set(source_digests(project.root).values())
    assert not sources & set(digests(result.site).values())


def test_draft_and_unapproved_photos_are_not_processed_or_published(column):
    _, result, _, _ = column
    assert not result.exists("stories/2025/caogao/") and not result.exists("stories/2025/daishen/")
    for path in media_files(result.site):
        with Image.open(path) as im:
            assert im.width != DRAFT_SIZE[0], f"{path.name} is a rendition of an unpublished story's photo"
    summary = next(i for i in result.infos if i.startswith("图片："))
    processed = int(re.search(r"新处理 (\d+) 张", summary)[1]) + int(re.search(r"使用缓存 (\d+) 张", summary)[1])
    assert processed == 5 + JOINT_PHOTOS + 1 + MANY_PHOTOS


def test_a_build_leaves_every_source_file_unchanged(column):
    project, _, _, before = column
    assert before and source_digests(project.root) == before


# --------------------------------------------------------------------------- 2. markup points at real files


def check_pictures(result, page_url: str) -> int:
    soup = result.html(page_url)
    pictures = soup.select("picture")
    for picture in pictures:
        img, webp = picture.img, picture.find("source", type="image/webp")
        assert webp is not None and webp.get("srcset"), f"{page_url}: <picture> without WebP <source>"
        for site_path, _ in srcset_paths(page_url, webp["srcset"]) + srcset_paths(page_url, img["srcset"]):
            assert (result.site / site_path).is_file(), f"{page_url}: {site_path} missing"
        src = resolve(page_url, img["src"])
        assert (result.site / src).is_file(), f"{page_url}: src {src} missing"
        largest = max(srcset_paths(page_url, img["srcset"]), key=lambda c: c[1])[0]
        with Image.open(result.site / largest) as im:
            assert (int(img["width"]), int(img["height"])) == im.size, page_url
        # the first screen loads at once: a story's cover, the home's lead story, a branch's own logo
        first_screen = ({"dj-img--cover", "dj-img--lead"} & set(img.get("class", []))
                        or picture.find_parent(class_="dj-profile") is not None)
        if first_screen:
            assert img.get("loading") != "lazy", f"{page_url}: {img} must load at once"
        else:
            assert img.get("loading") == "lazy", img
        # a story's cover is its page's LCP element: fetched first, decoded with the frame that paints it
        if "dj-img--cover" in img.get("class", []):
            assert img.get("fetchpriority") == "high" and img.get("decoding") is None, img
        else:
            assert img.get("decoding") == "async" and img.get("fetchpriority") is None, img
        link = picture.find_parent("a")
        if link is not None and "dj-lightbox" in link.get("class", []):
            assert (result.site / resolve(page_url, link["href"])).is_file(), link["href"]
    return len(pictures)


def test_every_picture_on_story_wall_home_and_cards_points_at_existing_files(column):
    _, result, _, _ = column
    assert check_pictures(result, URL_A) == 5  # cover, body image, 3 gallery photos
    assert len(result.html(URL_A).select("img.dj-img--cover")) == 1
    assert check_pictures(result, "branches/tankuang/photos/") == 5 + JOINT_PHOTOS + 1
    home = check_pictures(result, "")
    assert len(result.html("").select(".dj-strip picture")) > 0 and home > 0
    branch = result.html("branches/tankuang/")
    assert branch.select(".dj-card__cover picture"), "story card of the story with a cover has no picture"
    check_pictures(result, "branches/tankuang/")
    for url in (URL_B, URL_P, "branches/shequ/photos/"):
        assert check_pictures(result, url) > 0


# --------------------------------------------------------------------------- 3. gallery, wall, strip


def test_story_gallery_lists_captioned_photos_first_then_the_rest_without_cover_or_body(column):
    _, result, _, _ = column
    soup = result.html(URL_A)
    figures = soup.select(".dj-gallery figure")
    shown = [nearest_centre(result.site, largest_jpeg(URL_A, f.picture)) for f in figures]
    assert shown == ["02.jpg", "01.jpg", "00-wei.jpg"]
    alts = [f.img["alt"] for f in figures]
    # cover is 图1, the body image 图2, then the gallery in page order: the unlisted photo is 图5
    assert alts == ["党员重温入党誓词", "钻机旁的合影", f"{STORY_A[2]}（图5）"]
    captions = [f.figcaption.get_text(strip=True) if f.figcaption else "" for f in figures]
    assert captions == ["党员重温入党誓词", "钻机旁的合影", ""]
    cover = soup.select_one(".dj-story__cover picture")
    body = soup.select_one(".dj-story__body picture")
    assert nearest_centre(result.site, largest_jpeg(URL_A, cover)) == "cover.jpg"
    assert nearest_centre(result.site, largest_jpeg(URL_A, body)) == "body.jpg"
    assert body.img["alt"] == "山谷里的宣讲"
    assert body.find_parent("a")["class"] == ["dj-lightbox"]


def wall_entries(result, url: str) -> list[tuple[str, str]]:
    """(story url, photo file) of each photo on a wall page."""
    soup = result.html(url)
    return [(resolve(url, f.select_one("a.dj-gallery__story")["href"]), largest_jpeg(url, f.picture))
            for f in soup.select(".dj-gallery__item")]


def test_branch_links_its_photo_wall_newest_story_first_and_joint_photos_on_both(column):
    _, result, _, _ = column
    link = result.html("branches/tankuang/").select_one(".dj-profile__photos a")
    assert resolve("branches/tankuang/", link["href"]) == "branches/tankuang/photos/"
    total = 5 + JOINT_PHOTOS + 1
    assert f"（{total} 张）" in link.get_text()
    entries = wall_entries(result, "branches/tankuang/photos/")
    assert len(entries) == total
    assert list(dict.fromkeys(story for story, _ in entries)) == [URL_A, URL_B, URL_C]
    for story in {s for s, _ in entries}:
        assert result.exists(story)
    joint_on_t = [photo for story, photo in entries if story == URL_B]
    joint_on_d = [photo for story, photo in wall_entries(result, "branches/dizhi/photos/") if story == URL_B]
    assert len(joint_on_t) == JOINT_PHOTOS and sorted(joint_on_t) == sorted(joint_on_d)
    d_link = result.html("branches/dizhi/").select_one(".dj-profile__photos a")
    assert f"（{JOINT_PHOTOS} 张）" in d_link.get_text()


def test_photo_wall_is_paginated_past_48_photos(column):
    _, result, _, _ = column
    first = "branches/shequ/photos/"
    soup = result.html(first)
    assert len(soup.select(".dj-gallery__item")) == 48
    second = resolve(first, soup.select_one("a[rel=next]")["href"])
    assert second != first and result.exists(second)
    rest = result.html(second)
    assert len(rest.select(".dj-gallery__item")) == MANY_PHOTOS - 48
    photos = [p for _, p in wall_entries(result, first)] + [p for _, p in wall_entries(result, second)]
    assert len(set(photos)) == MANY_PHOTOS
    assert f"共 {MANY_PHOTOS} 张" in soup.select_one(".dj-total").get_text()


def test_home_strip_shows_at_most_two_photos_per_story(column):
    _, result, _, _ = column
    soup = result.html("")
    stories = [resolve("", a["href"]) for a in soup.select(".dj-strip .dj-gallery__story")]
    per_story = Counter(stories)
    assert per_story and max(per_story.values()) <= 2
    assert per_story[URL_A] == 2 and per_story[URL_B] == 2 and per_story[URL_P] == 2 and per_story[URL_C] == 1
    assert list(dict.fromkeys(stories)) == [URL_A, URL_B, URL_P, URL_C]  # newest first
    # the strip does not repeat the covers the latest stories already show (issue 14)
    cover = resolve(URL_A, result.html(URL_A).select_one(".dj-story__cover a.dj-lightbox")["href"])
    assert cover not in [resolve("", a["href"]) for a in soup.select(".dj-strip a.dj-lightbox")]


# --------------------------------------------------------------------------- 4. the cache across builds


def summary_counts(result) -> tuple[int, int, int]:
    line = next(i for i in result.infos if i.startswith("图片："))
    found = re.search(r"新处理 (\d+) 张，使用缓存 (\d+) 张，失败 (\d+) 张", line)
    assert found, line
    return tuple(int(n) for n in found.groups())


def test_cache_reuse_settings_change_and_deleted_photo(tmp_path):
    project = SiteProject.create(tmp_path / "project")
    project.branch("tankuang")
    names = ["a.jpg", "b.jpg", "c.jpg"]
    for i, name in enumerate(names):
        project.write(f"content/stories/2025/huancun/{name}", small_jpeg((60 * i, 100, 30), (200, 150)))
    project.story("2025/huancun.md", title="缓存测试", date="2025-03-01", branch="tankuang", slug="huancun",
                  photos=[{n: f"说明{n}"} for n in names[:2]])  # c.jpg is unlisted (deleting it is no error)
    url = "stories/2025/huancun/"

    first = project.build(strict=True)
    assert first.ok, first.messages
    assert summary_counts(first) == (3, 0, 0)
    media_before = digests(first.site / "media")

    second = project.build(strict=True)
    assert summary_counts(second) == (0, 3, 0)
    assert any("新处理 0 张" in i for i in second.infos)
    assert digests(second.site / "media") == media_before

    project.settings(images={"webp_quality": 50})
    third = project.build(strict=True)
    assert summary_counts(third) == (3, 0, 0)
    media_third = digests(third.site / "media")
    assert {p for p in media_third if p.endswith(".jpg")} == {p for p in media_before if p.endswith(".jpg")}
    assert not {p for p in media_third if p.endswith(".webp")} & {p for p in media_before if p.endswith(".webp")}

    soup = third.html(url)
    c_picture = next(f.picture for f in soup.select(".dj-gallery figure") if "说明" not in f.img["alt"])
    c_files = {p for p, _ in srcset_paths(url, c_picture.img["srcset"]) + srcset_paths(url, c_picture.source["srcset"])}
    assert c_files and all((third.site / p).is_file() for p in c_files)
    (project.root / "content/stories/2025/huancun/c.jpg").unlink()
    fourth = project.build(strict=True)
    assert fourth.ok, fourth.messages
    assert summary_counts(fourth) == (0, 2, 0)
    assert not any((fourth.site / p).exists() for p in c_files)
    html = (fourth.site / url / "index.html").read_text(encoding="utf-8")
    assert not any(p.rsplit("/", 1)[1] in html for p in c_files)
    assert len(fourth.html(url).select(".dj-gallery figure")) == 2


# --------------------------------------------------------------------------- 5. what staff really drop in

BAD_STORY = "content/stories/2025/huaitu.md"
BAD_FOLDER = "content/stories/2025/huaitu"
BAD_URL = "stories/2025/huaitu/"
GOOD_STORY = "content/stories/2025/qitu.md"
GOOD_FOLDER = "content/stories/2025/qitu"
GOOD_URL = "stories/2025/qitu/"
SVG_MARK = "dj-svg-script-marker"
# file -> a phrase its message must contain (see imaging/messages.py)
BAD_FILES = {
    "cover.jpg": "不完整",  # the cover: a truncated JPEG
    "empty.jpg": "空文件",
    "truncated.jpg": "不完整",
    "notes.jpg": "文本文件",
    "bomb.png": "超过上限",
    "script.svg": "SVG",
}
ODD_NAMES = ["活动 照片（一）.JPG", "合影 [2] (3).jpg", "png-data.jpg", "panorama.jpg"]


def heic_bytes() -> bytes | None:
    try:
        import pillow_heif
    except ImportError:
        return None
    if not pillow_heif.libheif_info().get("encoders"):
        return None
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 160, 60)).save(out, "HEIF")
    return out.getvalue()


@pytest.fixture(scope="module")
def staff_upload(tmp_path_factory):
    project = SiteProject.create(tmp_path_factory.mktemp("upload") / "project")
    project.branch("tankuang")
    detailed = detailed_jpeg()
    project.write(f"{BAD_FOLDER}/cover.jpg", detailed[: len(detailed) * 3 // 5])
    project.write(f"{BAD_FOLDER}/empty.jpg", b"")
    project.write(f"{BAD_FOLDER}/truncated.jpg", detailed[: len(detailed) // 2])
    project.write(f"{BAD_FOLDER}/notes.jpg", "活动通知：周五下午三点开会。\n".encode() * 20)
    bomb = bomb_png()
    assert len(bomb) < 200_000 and struct.unpack(">II", bomb[16:24]) == (30000, 30000)
    project.write(f"{BAD_FOLDER}/bomb.png", bomb)
    project.write(f"{BAD_FOLDER}/script.svg",
                  f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert("{SVG_MARK}")'
                  f'</script><rect width="10" height="10"/></svg>')
    project.write(f"{BAD_FOLDER}/good-1.jpg", small_jpeg((200, 30, 30), (120, 90)))
    project.write(f"{BAD_FOLDER}/good-2.jpg", small_jpeg((30, 30, 200), (120, 90)))
    project.story("2025/huaitu.md", title="照片有问题的稿件", date="2025-03-01", branch="tankuang", slug="huaitu",
                  cover="huaitu/cover.jpg", body="坏照片旁边的正文照常发布。", photos=[{"good-1.jpg": "好照片一"}])

    png = io.BytesIO()
    Image.new("RGB", (90, 60), (10, 120, 200)).save(png, "PNG")
    project.write(f"{GOOD_FOLDER}/png-data.jpg", png.getvalue())
    project.write(f"{GOOD_FOLDER}/活动 照片（一）.JPG", small_jpeg((200, 200, 20), (120, 90)))
    project.write(f"{GOOD_FOLDER}/合影 [2] (3).jpg", small_jpeg((20, 200, 200), (120, 90)))
    panorama = io.BytesIO()
    Image.linear_gradient("L").resize((6000, 500)).convert("RGB").save(panorama, "JPEG", quality=80)
    project.write(f"{GOOD_FOLDER}/panorama.jpg", panorama.getvalue())
    heic = heic_bytes()
    if heic:
        project.write(f"{GOOD_FOLDER}/IMG_0001.HEIC", heic)
    project.story("2025/qitu.md", title="各种文件名的照片", date="2025-02-01", branch="tankuang", slug="qitu",
                  body="这些照片都应发布。")

    before = source_digests(project.root)
    strict = project.build(strict=True)
    plain = project.build()  # warm cache: failures must still be reported
    return project, strict, plain, before, bool(heic)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_photo_is_reported_on_its_story_and_skipped(staff_upload, name):
    _, strict, plain, _, _ = staff_upload
    label = f"{BAD_FOLDER}/{name}"
    assert not strict.ok
    for result in (strict, plain):
        found = photo_message(result, BAD_STORY, label)
        assert len(found) == 1, (name, result.messages)
        assert BAD_FILES[name] in found[0] and "本次构建跳过这张照片" in found[0], found[0]


def test_story_with_bad_photos_is_still_published_with_its_good_photos(staff_upload):
    _, _, plain, _, _ = staff_upload
    assert plain.ok
    soup = plain.html(BAD_URL)
    assert "坏照片旁边的正文照常发布。" in soup.select_one(".dj-story__body").get_text()
    assert soup.select_one(".dj-story__cover") is None  # the broken cover is left out, not shown broken
    # numbered among the photos that are shown: the broken cover and the bad files are out of the count
    assert [f.img["alt"] for f in soup.select(".dj-gallery figure")] == ["好照片一", "照片有问题的稿件（图2）"]
    branch = plain.html("branches/tankuang/")
    wall = branch.select_one(".dj-profile__photos a[href$='photos/']")
    shown_on_wall = len(plain.html("branches/tankuang/photos/").select(".dj-gallery__item"))
    assert wall.get_text(strip=True) == f"活动照片（{shown_on_wall} 张）"  # the count is of photos shown
    assert check_pictures(plain, BAD_URL) == 2
    # nothing of the bad files reached the site (the SVG's script least of all)
    for path in plain.site.rglob("*"):
        if path.is_file() and path.suffix in (".svg", ".html", ".js"):
            assert SVG_MARK not in path.read_text(encoding="utf-8", errors="replace"), path
    assert not list((plain.site / "stories").rglob("*.svg"))
    # good-1/2 and the three small odd files: one width × (WebP + JPEG); the panorama: 4 widths and its
    # large view; HEIC: 1
    assert len(media_files(plain.site)) == 2 * 2 + 3 * 2 + (4 * 2 + 1) + 2 * staff_upload[4]


def test_png_data_odd_names_upper_case_extension_and_panorama_are_published(staff_upload):
    _, _, plain, _, _ = staff_upload
    assert plain.messages_about(GOOD_STORY) == []
    soup = plain.html(GOOD_URL)
    figures = soup.select(".dj-gallery figure")
    assert len(figures) == len(ODD_NAMES) + staff_upload[4]
    check_pictures(plain, GOOD_URL)
    widths = sorted(max(w for _, w in srcset_paths(GOOD_URL, f.img["srcset"])) for f in figures)
    assert 1600 in widths  # the 6000-px panorama at the largest default width
    figure = next(f for f in figures if max(w for _, w in srcset_paths(GOOD_URL, f.img["srcset"])) == 1600)
    with Image.open(plain.site / largest_jpeg(GOOD_URL, figure.picture)) as im:
        assert im.size == (1600, round(500 * 1600 / 6000))
    # the lightbox opens a view as tall as the panorama (500 px), not the 1600-px strip 133 px high
    with Image.open(plain.site / resolve(GOOD_URL, figure.select_one("a.dj-lightbox")["href"])) as im:
        assert im.size == (6000, 500)


def test_heic_photo_is_published(staff_upload):
    _, _, plain, _, has_heic = staff_upload
    if not has_heic:
        pytest.skip("pillow-heif cannot write HEIC here")
    soup = plain.html(GOOD_URL)
    sizes = []
    for figure in soup.select(".dj-gallery figure"):
        with Image.open(plain.site / largest_jpeg(GOOD_URL, figure.picture)) as im:
            rgb = im.convert("RGB")
            sizes.append((im.size, rgb.getpixel((rgb.width // 2, rgb.height // 2))))
    assert any(size == (300, 200) and close(pixel, (20, 160, 60)) for size, pixel in sizes), sizes


def test_bad_and_odd_sources_are_never_modified(staff_upload):
    project, _, _, before, _ = staff_upload
    assert len(before) >= len(BAD_FILES) + len(ODD_NAMES)
    assert source_digests(project.root) == before


def test_body_images_with_chinese_names_and_spaces_become_pictures(tmp_path):
    """MkDocs writes a body image's src percent-encoded; the rewrite must still find the photo."""
    project = SiteProject.create(tmp_path / "project")
    project.branch("tankuang")
    folder = "content/stories/2025/zhengwen"
    project.write(f"{folder}/会场照片.jpg", small_jpeg((200, 30, 30), (120, 90)))
    project.write(f"{folder}/合影 二.jpg", small_jpeg((30, 200, 30), (120, 90)))
    project.write(f"{folder}/extra.jpg", small_jpeg((30, 30, 200), (120, 90)))
    project.story("2025/zhengwen.md", title="正文图片", date="2025-03-01", branch="tankuang", slug="zhengwen",
                  body="会场。\n\n![会场全景](zhengwen/会场照片.jpg)\n\n合影。\n\n![全体合影](<zhengwen/合影 二.jpg>)\n",
                  photos=[{"extra.jpg": "另一张"}])
    result = project.build(strict=True)
    assert result.ok, result.messages
    url = "stories/2025/zhengwen/"
    soup = result.html(url)
    body = soup.select_one(".dj-story__body")
    assert [img["alt"] for img in body.select("img")] == ["会场全景", "全体合影"]
    assert all(img.find_parent("picture") for img in body.select("img")), body  # no raw link to an original
    assert [a.picture.img["alt"] for a in body.select("a.dj-lightbox")] == ["会场全景", "全体合影"]
    assert [f.img["alt"] for f in soup.select(".dj-gallery figure")] == ["另一张"]  # body photos not repeated
    check_pictures(result, url)


def test_every_date_shown_carries_its_machine_readable_date(column):
    """<time>2026年11月12日</time> is no date a reader's tools can read: every <time> has an ISO datetime."""
    _, result, _, _ = column
    times = [(page.relative_to(result.site).as_posix(), t)
             for page in result.site.rglob("*.html") for t in BeautifulSoup(page.read_text("utf-8"), "html.parser")("time")]
    assert any("photos" in page for page, _ in times)  # the galleries' captions are among them
    bad = [(page, str(t)) for page, t in times
           if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.get("datetime", ""))
           or t.get_text() != "{}年{}月{}日".format(*map(int, t["datetime"].split("-")))]
    assert not bad, bad[:5]
