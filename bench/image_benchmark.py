"""Image pipeline benchmark: CPU and wall time, peak memory, file sizes and quality, sigal 2.6.1 like-for-like.

The photos are GENERATED (not real camera files): 4000×3000 JPEGs of 3.4–3.7 MB (noise over gradients
and a fractal), each with EXIF orientation (mostly 1, some 6, 8 and 3, as phones write it) and a GPS
block. The repository's own sample photographs (real ones, at most 1600 px) are run too, for file sizes
and quality on real pictures.

    .venv/bin/python bench/image_benchmark.py --workdir /tmp/ibench        # 200 photos, with sigal
    .venv/bin/python bench/image_benchmark.py --count 40 --skip-sigal
    .venv/bin/python bench/image_benchmark.py --project /tmp/old-checkout  # another checkout's pipeline

Every run is a child process (``--child``): wall time, CPU time (user + sys of the whole process tree,
from ``os.wait4``; the pool's forkserver is stopped before the child exits so its workers are counted)
and the peak summed RSS of the tree (sampled from /proc). Quality: for a sample of the photos, every
rendition is compared with a reference made from the original in one step (full decode, EXIF rotation,
LANCZOS to the rendition's size): SSIM on luma (7×7 uniform window, as scikit-image's default) and
PSNR over RGB.

sigal runs from its own throwaway venv (it pins other libraries):
    python3 -m venv /tmp/sigal-venv && /tmp/sigal-venv/bin/pip install sigal==2.6.1
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageOps

PROJECT = Path(__file__).resolve().parents[1]
SIZE = (4000, 3000)
ORIENTATIONS = (1, 1, 1, 1, 1, 1, 1, 6, 6, 8, 6, 3)  # roughly what a phone album holds
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_PHOTOS = (".jpg", ".jpeg", ".png")
OLD_WIDTHS = (480, 960, 1600)  # the default ladder before issue 14


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


def sample_photographs(project: Path, folder: Path) -> list[Path]:
    """The repository's real sample photos, one per distinct content, linked into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    for top in ("content", "topics"):
        for path in sorted((project / top).rglob("*")):
            if path.suffix.lower() in SAMPLE_PHOTOS and path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                if digest not in seen:
                    seen.add(digest)
                    target = folder / f"{len(seen):03d}{path.suffix.lower()}"
                    if not target.exists():
                        shutil.copyfile(path, target)
    return sorted(folder.iterdir())


# ---------------------------------------------------------------- memory and CPU of a process tree

class TreeRss:
    """Samples the summed RSS of a process and all its descendants (pool workers, forkserver)."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root = root
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
            sizes = _tree_rss_kb(self.root)
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


@dataclasses.dataclass
class Run:
    title: str
    photos: int
    wall: float
    cpu: float
    peak_mb: float
    peak_single_mb: float
    summary: str = ""
    files: dict[str, list[dict]] = dataclasses.field(default_factory=dict)  # label -> renditions

    def line(self) -> str:
        return (f"{self.title}: {self.photos} photos, {self.wall:.1f} s wall, {self.cpu:.1f} s CPU "
                f"({1000 * self.cpu / self.photos:.0f} ms CPU a photo, {self.photos / self.cpu:.2f} photos per CPU-s); "
                f"peak RSS of the tree {self.peak_mb:.0f} MB (largest process {self.peak_single_mb:.0f} MB) — "
                f"{self.summary}")


def measured(title: str, photos: int, command: list[str], env: dict | None = None) -> Run:
    with open(os.devnull, "wb") as quiet:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=quiet, stderr=subprocess.PIPE, env=env)
        with TreeRss(proc.pid) as memory:
            stderr_text = []
            reader = threading.Thread(target=lambda: stderr_text.append(proc.stderr.read()), daemon=True)
            reader.start()
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            reader.join()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{title} failed (exit {code}):\n{b''.join(stderr_text).decode(errors='replace')[-3000:]}")
    return Run(title, photos, wall, usage.ru_utime + usage.ru_stime, memory.peak_total_kb / 1024,
               memory.peak_single_kb / 1024)


# ---------------------------------------------------------------- runs

def run_project(project: Path, photos: list[Path], cache: Path, settings: dict, title: str, work: Path) -> Run:
    spec = work / f"{cache.name}.spec.json"
    manifest = work / f"{cache.name}.manifest.json"
    spec.write_text(json.dumps({"photos": [str(p) for p in photos], "cache": str(cache), "settings": settings,
                                "manifest": str(manifest)}), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(project / "hooks")}
    run = measured(title, len(photos), [sys.executable, str(Path(__file__).resolve()), "--child", str(spec)], env)
    done = json.loads(manifest.read_text(encoding="utf-8"))
    run.summary, run.files = done["summary"], done["files"]
    print(run.line(), flush=True)
    return run


def child(spec_path: Path) -> None:
    """One pipeline run in this process (and its pool); writes the outputs' manifest."""
    import multiprocessing.forkserver

    from dangjian_column.imaging import ImagePipeline, ImageRequest, ImageSettings

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    known = {f.name for f in dataclasses.fields(ImageSettings)}
    settings = ImageSettings(**{k: tuple(v) if isinstance(v, list) else v
                                for k, v in spec["settings"].items() if k in known})
    requests = [ImageRequest(Path(p), Path(p).name) for p in spec["photos"]]
    result = ImagePipeline(Path(spec["cache"]), settings, progress=False).process(requests)
    assert not result.failures, result.failures
    files = {label: [{"format": r.format, "width": r.width, "height": r.height, "path": str(r.cache_path)}
                     for r in image.files()] for label, image in result.images.items()}
    summary = f"{result.encoded} files encoded, {result.cached} from cache"
    Path(spec["manifest"]).write_text(json.dumps({"summary": summary, "files": files}), encoding="utf-8")
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    if server is not None and getattr(server, "_forkserver_pid", None):
        server._stop()  # waits for the forkserver, which has waited for the workers: their CPU is ours


def run_sigal(photos: list[Path], work: Path, sigal: Path, workers: int) -> Run | None:
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
    config.write_text(SIGAL_CONFIG.format(source=str(source), destination=str(destination), ncpu=workers),
                      encoding="utf-8")
    command = [str(sigal), "build", "-c", str(config), "-n", str(workers), str(source), str(destination)]
    run = measured("sigal 2.6.1: 1200-px JPEG q85 + 400-px thumbnail", len(photos), command)
    for photo in photos:
        outputs = [destination / "album" / photo.name, destination / "album" / "thumbnails" / photo.name]
        run.files[photo.name] = [_described(p, "jpeg") for p in outputs if p.exists()]
    run.summary = f"{sum(len(v) for v in run.files.values())} JPEG files written"
    print(run.line(), flush=True)
    return run


def _described(path: Path, fmt: str) -> dict:
    with Image.open(path) as im:
        return {"format": fmt, "width": im.width, "height": im.height, "path": str(path)}


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


# ---------------------------------------------------------------- sizes and quality

def _box_mean(a: np.ndarray, k: int) -> np.ndarray:
    c = np.zeros((a.shape[0] + 1, a.shape[1] + 1))
    c[1:, 1:] = a.cumsum(0).cumsum(1)
    return (c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]) / (k * k)


def ssim(x: Image.Image, y: Image.Image, win: int = 7) -> float:
    """Mean SSIM of the luma planes, 7×7 uniform windows, sample covariance (scikit-image's defaults)."""
    a = np.asarray(x.convert("L"), dtype=np.float64)
    b = np.asarray(y.convert("L"), dtype=np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    norm = win * win / (win * win - 1)
    ua, ub = _box_mean(a, win), _box_mean(b, win)
    va = norm * (_box_mean(a * a, win) - ua * ua)
    vb = norm * (_box_mean(b * b, win) - ub * ub)
    cov = norm * (_box_mean(a * b, win) - ua * ub)
    s = ((2 * ua * ub + c1) * (2 * cov + c2)) / ((ua * ua + ub * ub + c1) * (va + vb + c2))
    return float(s.mean())


def psnr(x: Image.Image, y: Image.Image) -> float:
    a = np.asarray(x.convert("RGB"), dtype=np.float64)
    b = np.asarray(y.convert("RGB"), dtype=np.float64)
    mse = float(((a - b) ** 2).mean())
    return 99.0 if mse == 0 else float(10 * np.log10(255 * 255 / mse))


class References:
    """LANCZOS references from the full-size, upright original, made once per photo and size."""

    def __init__(self) -> None:
        self._upright: dict[str, Image.Image] = {}
        self._sized: dict[tuple[str, tuple[int, int]], Image.Image] = {}

    def get(self, photo: Path, size: tuple[int, int]) -> Image.Image:
        key = (str(photo), size)
        if key not in self._sized:
            if str(photo) not in self._upright:
                self._upright.clear()  # one original in memory at a time (the table goes photo by photo)
                self._sized.clear()
                with Image.open(photo) as im:
                    self._upright[str(photo)] = ImageOps.exif_transpose(im).convert("RGB")
            upright = self._upright[str(photo)]
            self._sized[key] = upright if upright.size == size else upright.resize(size, Image.Resampling.LANCZOS)
        return self._sized[key]


def _kind(rendition: dict, widths: tuple[int, ...]) -> str:
    """Row of the table: the format and the configured width (sigal's are box sizes); a photo narrower
    than a configured width has a rendition at its own width instead, counted apart ("at source")."""
    width = max(rendition["width"], rendition["height"]) if rendition.get("box") else rendition["width"]
    return f"{rendition['format']} {width if width in widths else 'at source'}"


def quality_table(runs: list[tuple[Run, tuple[int, ...], bool]], photos: dict[str, Path], sample: list[str],
                  references: References) -> list[str]:
    """One Markdown row per run and rendition kind: mean size over every photo, SSIM/PSNR over the sample."""
    sizes: dict[tuple[str, str], list[int]] = defaultdict(list)
    scores: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for run, widths, _ in runs:
        for renditions in run.files.values():
            for r in renditions:
                sizes[(run.title, _kind(r, widths))].append(os.path.getsize(r["path"]))
    for label in sample:  # photo by photo: one full-size original decoded at a time
        for run, widths, boxed in runs:
            for r in run.files.get(label, []):
                with Image.open(r["path"]) as out:
                    out.load()
                    reference = references.get(photos[label], out.size)
                    scores[(run.title, _kind({**r, "box": boxed}, widths))].append((ssim(out, reference),
                                                                                    psnr(out, reference)))
    lines = ["| run | rendition | files | mean KB | total MB | SSIM mean (min) | PSNR dB mean (min) |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    def order(key: tuple[str, str]) -> tuple:
        fmt, width = key[1].split(" ", 1)
        return key[0], fmt, int(width) if width.isdigit() else 0

    for key in sorted(sizes, key=order):
        found, pairs = sizes[key], scores.get(key, [])
        quality = (f"{np.mean([p[0] for p in pairs]):.4f} ({min(p[0] for p in pairs):.4f}) | "
                   f"{np.mean([p[1] for p in pairs]):.2f} ({min(p[1] for p in pairs):.2f})") if pairs else "— | —"
        lines.append(f"| {key[0]} | {key[1]} | {len(found)} | {np.mean(found) / 1024:.1f} | "
                     f"{sum(found) / 1e6:.1f} | {quality} |")
    return lines


# ---------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200, help="number of generated photos (default 200)")
    parser.add_argument("--skip-sigal", action="store_true", help="do not run sigal")
    parser.add_argument("--workdir", type=Path, help="keep photos and caches here (default: a temp folder)")
    parser.add_argument("--sigal", type=Path, default=Path("/tmp/sigal-venv/bin/sigal"))
    parser.add_argument("--project", type=Path, default=PROJECT,
                        help="checkout whose hooks/ pipeline and column.yml defaults are measured (default: this one)")
    parser.add_argument("--quality-sample", type=int, default=12,
                        help="photos compared with a LANCZOS reference (default 12; 0 = none)")
    parser.add_argument("--sample-only", action="store_true",
                        help="only the repository's sample photographs (quick: sizes and quality on real photos)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    workers = os.cpu_count() or 1
    work = args.workdir or Path(tempfile.mkdtemp(prefix="image-bench-"))
    project = args.project.resolve()
    load = os.getloadavg()
    print(f"workdir {work}; pipeline of {project}; {workers} CPU cores, {workers} worker processes; "
          f"Pillow {Image.__version__}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    real = sample_photographs(project, work / "sample-photos")
    if args.sample_only:
        shutil.rmtree(work / "cache-real", ignore_errors=True)
        _sample_run(project, real, work, workers)
        return
    photos = generate(work / "photos", args.count)
    for name in ("cache-full", "cache-small", "cache-sigal-like", "cache-real"):
        shutil.rmtree(work / name, ignore_errors=True)
    full_widths = _default_widths(project)
    full = {"workers": workers}
    cold = run_project(project, photos, work / "cache-full", full,
                       f"project cold, full output set (WebP + JPEG × {'/'.join(map(str, full_widths))})", work)
    warm = run_project(project, photos, work / "cache-full", full, "project warm rebuild, nothing changed", work)
    assert warm.summary.startswith("0 files encoded"), warm.summary
    older = None
    if full_widths != OLD_WIDTHS:  # the same output set as before the default ladder changed, for comparison
        shutil.rmtree(work / "cache-old-widths", ignore_errors=True)
        older = run_project(project, photos, work / "cache-old-widths", {**full, "widths": list(OLD_WIDTHS)},
                            "project cold, full output set at the former widths (WebP + JPEG × 480/960/1600)", work)
    small = photos[: max(1, len(photos) // 4)]
    run_project(project, small, work / "cache-small", full, "project cold, full output set, a quarter of the photos",
                work)
    # progressive, as sigal's jpg_options below (a checkout without the setting always writes progressive)
    like = {"widths": [400, 1200], "jpeg_quality": 85, "jpeg_progressive": True, "webp": False, "workers": workers}
    ours = run_project(project, photos, work / "cache-sigal-like", like, "project like-for-like: JPEG q85 400 + 1200 px",
                       work)
    theirs = None if args.skip_sigal else run_sigal(photos, work, args.sigal, workers)
    if theirs:
        print(f"like-for-like, project / sigal: {theirs.cpu / ours.cpu:.2f}× by CPU, "
              f"{theirs.wall / ours.wall:.2f}× by wall time (target ≥ 2× by CPU)")
    print(f"cold full set {cold.cpu:.1f} s CPU / {cold.wall:.1f} s wall = {cold.cpu / ours.cpu:.2f}× the "
          f"like-for-like job's CPU; warm rebuild {warm.wall:.2f} s wall")
    if args.quality_sample:
        step = max(1, len(photos) // args.quality_sample)
        sample = [p.name for p in photos[::step][: args.quality_sample]]
        runs = [(cold, full_widths, False), (ours, (400, 1200), False)]
        if older:
            runs.insert(1, (older, OLD_WIDTHS, False))
        if theirs:
            runs.append((theirs, (400, 1200), True))
        print(f"\nGenerated photos: sizes over all {len(photos)}, SSIM/PSNR over {len(sample)} "
              "(against a LANCZOS reference from the full-size original):")
        print("\n".join(quality_table(runs, {p.name: p for p in photos}, sample, References())))
    if real:
        _sample_run(project, real, work, workers, quality=bool(args.quality_sample))


def _sample_run(project: Path, real: list[Path], work: Path, workers: int, quality: bool = True) -> None:
    """The repository's real photographs through the full output set: time, then sizes and quality."""
    run = run_project(project, real, work / "cache-real", {"workers": workers},
                      "project, the repository's sample photographs, full output set", work)
    if quality:
        print(f"\nThe repository's {len(real)} distinct sample photographs (real, ≤ 1600 px), full output set "
              "(SSIM/PSNR over all of them):")
        print("\n".join(quality_table([(run, _default_widths(project), False)], {p.name: p for p in real},
                                      [p.name for p in real], References())))


def _default_widths(project: Path) -> tuple[int, ...]:
    """The measured checkout's default ``images.widths`` (for the size table's rows)."""
    code = "from dangjian_column.config.images import ImageSettings; print(*ImageSettings().widths)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(project / "hooks")})
    return tuple(int(w) for w in done.stdout.split())


if __name__ == "__main__":
    main()
