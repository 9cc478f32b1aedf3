"""Image pipeline benchmark: cold and warm throughput, peak memory, and sigal 2.6.1 like-for-like.

The photos are GENERATED (not real camera files): 4000×3000 JPEGs of 2–5 MB (noise over gradients
and a fractal, so they compress like busy outdoor photos), each with EXIF orientation (mostly 1, some
6, 8 and 3, as phones write it) and a GPS block.

    .venv/bin/python bench/image_benchmark.py                    # 200 photos, with sigal
    .venv/bin/python bench/image_benchmark.py --count 40 --skip-sigal

sigal runs from its own throwaway venv (it pins other libraries):
    python3 -m venv /tmp/sigal-venv && /tmp/sigal-venv/bin/pip install sigal==2.6.1
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image, ImageChops

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))

from dangjian_column.imaging import ImagePipeline, ImageRequest, ImageSettings

SIZE = (4000, 3000)
ORIENTATIONS = (1, 1, 1, 1, 1, 1, 1, 6, 6, 8, 6, 3)  # roughly what a phone album holds
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


# ---------------------------------------------------------------- generated photos

@functools.cache  # four base pictures per generating process; each photo is an offset copy of one
def _base(seed: int) -> Image.Image:
    gradient = Image.linear_gradient("L").rotate(seed * 40).resize(SIZE)
    fractal = Image.effect_mandelbrot(SIZE, (-2.2 + seed * 0.1, -1.2, 1.0, 1.2 - seed * 0.05), 80)
    channels = [Image.blend(Image.blend(gradient, Image.effect_noise(SIZE, 16 + 4 * c + seed), 0.5), fractal, 0.3)
                for c in range(3)]
    return Image.merge("RGB", channels)


def _write_photo(args: tuple[int, Path]) -> int:
    index, folder = args
    base = _base(index % 4)
    # A different offset per photo: every file has different bytes (a different digest) at no cost.
    photo = ImageChops.offset(base, (index * 137) % SIZE[0], (index * 71) % SIZE[1])
    exif = Image.Exif()
    exif[0x0112] = ORIENTATIONS[index % len(ORIENTATIONS)]
    exif[0x010F] = "BenchPhone"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (30.0, 35.0, float(index % 60)), 3: "E", 4: (114.0, 18.0, 5.5)})
    path = folder / f"IMG_{index:04d}.jpg"
    photo.save(path, "JPEG", quality=92, exif=exif.tobytes())
    return path.stat().st_size


def generate(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("IMG_*.jpg"))
    if len(existing) >= count:
        return existing[:count]
    with multiprocessing.get_context("forkserver").Pool() as pool:
        sizes = pool.map(_write_photo, [(i, folder) for i in range(count)])
    print(f"generated {count} photos {SIZE[0]}×{SIZE[1]}, {min(sizes) / 1e6:.1f}–{max(sizes) / 1e6:.1f} MB "
          f"(mean {sum(sizes) / len(sizes) / 1e6:.1f} MB), EXIF orientation + GPS")
    return sorted(folder.glob("IMG_*.jpg"))[:count]


# ---------------------------------------------------------------- memory of the process tree

class TreeRss:
    """Samples the summed RSS of this process and all its descendants (pool workers, forkserver)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak_total_kb = 0
        self.peak_single_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = _tree_rss_kb(os.getpid())
            self.peak_total_kb = max(self.peak_total_kb, sum(sizes))
            self.peak_single_kb = max(self.peak_single_kb, max(sizes, default=0))
            self._stop.wait(self.interval)


def _tree_rss_kb(root: int) -> list[int]:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/statm", "rb") as fh:
                rss[int(entry)] = int(fh.read().split()[1]) * PAGE_KB
        except (OSError, IndexError, ValueError):
            continue
        parents[int(entry)] = int(fields[1])
    tree, changed = {root}, True
    while changed:
        grown = tree | {pid for pid, ppid in parents.items() if ppid in tree}
        changed, tree = grown != tree, grown
    return [rss[pid] for pid in tree if pid in rss]


# ---------------------------------------------------------------- runs

def run_project(photos: list[Path], cache: Path, settings: ImageSettings, title: str) -> dict:
    requests = [ImageRequest(p, p.name) for p in photos]
    with TreeRss() as memory:
        started = time.perf_counter()
        result = ImagePipeline(cache, settings, progress=False).process(requests)
        seconds = time.perf_counter() - started
    assert not result.failures, result.failures
    figures = {"title": title, "photos": len(photos), "seconds": seconds, "per_s": len(photos) / seconds,
               "encoded": result.encoded, "cached": result.cached, "peak_mb": memory.peak_total_kb / 1024,
               "peak_single_mb": memory.peak_single_kb / 1024, "summary": result.summary()}
    _print(figures)
    return figures


def run_sigal(photos: list[Path], work: Path, sigal: Path, workers: int) -> dict | None:
    if not sigal.exists():
        print(f"sigal not found at {sigal}; see the docstring for the throwaway venv (skipped)")
        return None
    source, destination = work / "sigal-src", work / "sigal-out"
    shutil.rmtree(destination, ignore_errors=True)
    album = source / "album"
    album.mkdir(parents=True, exist_ok=True)
    for photo in photos:
        if not (album / photo.name).exists():
            os.link(photo, album / photo.name)
    config = work / "sigal.conf.py"
    config.write_text(SIGAL_CONFIG.format(source=str(source), destination=str(destination), ncpu=workers), encoding="utf-8")
    command = [str(sigal), "build", "-c", str(config), "-n", str(workers), str(source), str(destination)]
    with TreeRss() as memory:
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
    made = len(list(destination.rglob("*.jpg")))
    figures = {"title": "sigal 2.6.1: 1200-px JPEG q85 + 400-px thumbnail", "photos": len(photos),
               "seconds": seconds, "per_s": len(photos) / seconds, "encoded": made, "cached": 0,
               "peak_mb": memory.peak_total_kb / 1024, "peak_single_mb": memory.peak_single_kb / 1024,
               "summary": f"{made} JPEG files written"}
    _print(figures)
    return figures


# Like-for-like with the project's "widths=(400, 1200), webp=False, jpeg_quality=85": sigal fits the
# photo in a 1200×1200 box (ResizeToFit) and makes a 400×400-box thumbnail from that, JPEG q85,
# optimised and progressive like ours, EXIF not copied, autorotated. No HTML pages, no originals.
SIGAL_CONFIG = """
source = {source!r}
destination = {destination!r}
img_processor = "ResizeToFit"
img_size = (1200, 1200)
jpg_options = {{"quality": 85, "optimize": True, "progressive": True}}
make_thumbs = True
thumb_size = (400, 400)
thumb_fit = False
keep_orig = False
autorotate_images = True
copy_exif_data = False
use_orig = False
write_html = False
zip_gallery = False
video_extensions = []
ncpu = {ncpu}
"""


def _print(f: dict) -> None:
    print(f"{f['title']}: {f['photos']} photos in {f['seconds']:.1f} s = {f['per_s']:.1f} photos/s; "
          f"files encoded {f['encoded']}, from cache {f['cached']}; peak RSS of the process tree "
          f"{f['peak_mb']:.0f} MB (largest process {f['peak_single_mb']:.0f} MB) — {f['summary']}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200, help="number of generated photos (default 200)")
    parser.add_argument("--skip-sigal", action="store_true", help="do not run sigal")
    parser.add_argument("--workdir", type=Path, help="keep photos and caches here (default: a temp folder)")
    parser.add_argument("--sigal", type=Path, default=Path("/tmp/sigal-venv/bin/sigal"))
    args = parser.parse_args()
    workers = os.cpu_count() or 1
    work = args.workdir or Path(tempfile.mkdtemp(prefix="image-bench-"))
    print(f"workdir {work}; {workers} CPU cores, {workers} worker processes; Pillow {Image.__version__}")
    photos = generate(work / "photos", args.count)
    full = ImageSettings(workers=workers)
    for name in ("cache-full", "cache-small", "cache-sigal-like"):
        shutil.rmtree(work / name, ignore_errors=True)
    cold = run_project(photos, work / "cache-full", full, "project cold, full output set (WebP+JPEG × 480/960/1600)")
    warm = run_project(photos, work / "cache-full", full, "project warm rebuild, nothing changed")
    assert warm["encoded"] == 0
    small = photos[: max(1, len(photos) // 4)]
    run_project(small, work / "cache-small", full, f"project cold, full output set, {len(small)} photos")
    like = ImageSettings(widths=(400, 1200), jpeg_quality=85, webp=False, workers=workers)
    ours = run_project(photos, work / "cache-sigal-like", like, "project like-for-like: JPEG q85 400 + 1200 px")
    if not args.skip_sigal:
        theirs = run_sigal(photos, work, args.sigal, workers)
        if theirs:
            print(f"like-for-like: project / sigal throughput = {ours['per_s'] / theirs['per_s']:.2f}× (target ≥ 2×)")
    print(f"cold full set {cold['per_s']:.1f} photos/s; warm rebuild {warm['seconds']:.2f} s")


if __name__ == "__main__":
    main()
