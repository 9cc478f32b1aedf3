"""Where a page's start-up JavaScript spends its time: one page load in Debian's Chromium, CPU slowed as
Lighthouse slows it, self time by source file, Material's minified bundle mapped back to its sources.

    .venv/bin/python bench/startup_profile.py URL [--cpu 4] [--top 25]

URL is a page of a served column (``lighthouse_report.py --keep`` or ``page_weight.py --keep`` leave one
behind with its nginx config). The V8 sampling profiler (CDP ``Profiler``, 0.1 ms) runs from before the
navigation until 3 s after ``load``, in a fresh 412×823 phone context (Lighthouse's), with
``Emulation.setCPUThrottlingRate``. A forced style or layout is counted in the function that forced it;
"(program)" is the browser's own work (parsing, style, layout, paint) outside any script. Material's bundle
ships its source map with ``sourcesContent`` (material/templates/assets/javascripts/), so a sample in it is
named by the TypeScript file it came from (``integrations/instant/index.ts``…). Used for issue 14's total
blocking time (bench/README.md).
"""

from __future__ import annotations

import argparse
import bisect
import collections
import json
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "devtools"))

from browser_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

_BASE64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def _vlq(segment: str) -> list[int]:
    values, value, shift = [], 0, 0
    for char in segment:
        digit = _BASE64[char]
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        values.append(-(value >> 1) if value & 1 else value >> 1)
        value, shift = 0, 0
    return values


class SourceMap:
    """Generated (line, column) -> source file, from a version-3 source map's ``mappings``."""

    def __init__(self, path: Path):
        data = json.loads(path.read_text(encoding="utf-8"))
        self.sources = data["sources"]
        self.lines: list[tuple[list[int], list[int]]] = []
        source = 0
        for line in data["mappings"].split(";"):
            columns, files, column = [], [], 0
            for segment in filter(None, line.split(",")):
                fields = _vlq(segment)
                column += fields[0]
                if len(fields) > 1:
                    source += fields[1]
                columns.append(column)
                files.append(source)
            self.lines.append((columns, files))

    def source(self, line: int, column: int) -> str:
        if line >= len(self.lines) or not self.lines[line][0]:
            return "?"
        columns, files = self.lines[line]
        return self.sources[files[max(bisect.bisect_right(columns, column) - 1, 0)]]


def material_map() -> SourceMap:
    import material

    found = sorted((Path(material.__file__).parent / "templates" / "assets" / "javascripts").glob("bundle.*.min.js.map"))
    return SourceMap(found[0])


def profile(url: str, cpu: float) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless=new", *CHROMIUM_ARGS])
        try:
            context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75,
                                          is_mobile=True, has_touch=True)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 100})
            cdp.send("Profiler.start")
            page.goto(url, wait_until="load")
            page.wait_for_timeout(3000)
            return cdp.send("Profiler.stop")["profile"]
        finally:
            browser.close()


def self_time(prof: dict, bundle: SourceMap) -> collections.Counter:
    """Milliseconds of self time by source file (Material's bundle by its TypeScript file)."""
    nodes = {node["id"]: node for node in prof["nodes"]}
    micros: collections.Counter = collections.Counter()
    for node_id, delta in zip(prof["samples"], prof["timeDeltas"], strict=True):
        micros[node_id] += delta
    by_source: collections.Counter = collections.Counter()
    for node_id, us in micros.items():
        frame = nodes[node_id]["callFrame"]
        url = frame["url"]
        if "/javascripts/bundle." in url:
            key = bundle.source(frame["lineNumber"], frame["columnNumber"])
        else:
            key = url.rsplit("/", 1)[-1] if url else (frame["functionName"] or "(native)")
        by_source[key] += us / 1000
    return by_source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--cpu", type=float, default=4, help="CPU slow-down (Lighthouse mobile: 4)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    by_source = self_time(profile(args.url, args.cpu), material_map())
    busy = sum(ms for key, ms in by_source.items() if key not in ("(idle)", "(program)"))
    print(f"script self time {busy:.1f} ms; (program) {by_source['(program)']:.1f} ms (at {args.cpu:g}x CPU)")
    for key, ms in by_source.most_common(args.top + 2):
        if key != "(idle)":
            print(f"{ms:8.1f} ms  {key}")


if __name__ == "__main__":
    main()
