"""Helpers for the real-browser tests: a sub-path static server, Chromium launch, page recorders."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BASE_PATH = "/dangjian/"  # production serves the column under a sub-path of the official website
LOCAL_HOST = "127.0.0.1"

# Text types a production web server compresses (deploy/nginx.conf gzip_types); the search index is JSON.
_COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


def require_chromium() -> None:
    """Skip locally when Debian's Chromium is absent; in CI (CI set) a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    reason = f"浏览器测试需要 {CHROMIUM}（apt-get install chromium）"
    if os.environ.get("CI"):
        pytest.fail(reason + "；CI 环境不允许跳过浏览器测试。", pytrace=False)
    pytest.skip(reason)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def env_var(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


@contextlib.contextmanager
def built_and_served(project, *, strict: bool = True) -> Iterator[tuple[StaticServer, object]]:
    """Build a fixture project for the address it is served at (under /dangjian/), then serve it."""
    server = StaticServer(site=project.root / "site", port=0).start()
    try:
        with env_var("SITE_URL", server.base_url):
            result = project.build(strict=strict)
        assert result.ok, result.messages
        yield server, result
    finally:
        server.stop()


def jpeg_bytes(width: int = 160, height: int = 90, color=(190, 30, 45)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).rectangle((width // 4, height // 4, width * 3 // 4, height * 3 // 4),
                                    fill=(250, 220, 90))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def png_bytes(size: int = 96, color=(200, 20, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buf, "PNG")
    return buf.getvalue()


class _ByteCounter:
    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self.value += n


class _CountingWriter(io.RawIOBase):
    """Counts every byte the server writes to a connection (status line, headers, body)."""

    def __init__(self, raw, counter: _ByteCounter):
        super().__init__()
        self._raw = raw
        self._counter = counter

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        written = self._raw.write(data)
        self._counter.add(len(data) if written is None else written)
        return len(data) if written is None else written

    def flush(self) -> None:
        self._raw.flush()


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves site/<path> at /dangjian/<path>; anything outside the sub-path is 404."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def __init__(self, *args, site: Path, gzip_text: bool, counter: _ByteCounter, **kwargs):
        self._site = site
        self._gzip = gzip_text
        self._counter = counter
        super().__init__(*args, directory=str(site), **kwargs)

    def setup(self):
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self._counter)

    def log_message(self, format, *args):  # keep pytest output clean
        pass

    def translate_path(self, path):
        url_path = urllib.parse.urlsplit(path).path
        if not url_path.startswith(BASE_PATH):
            return str(self._site / "__outside_sub_path__")
        return super().translate_path("/" + url_path[len(BASE_PATH):])

    def do_GET(self):
        url_path = urllib.parse.urlsplit(self.path).path
        if url_path == BASE_PATH.rstrip("/"):
            self.send_response(301)
            self.send_header("Location", BASE_PATH)
            self.end_headers()
            return
        fs_path = Path(self.translate_path(self.path))
        if fs_path.is_dir() and url_path.endswith("/"):
            fs_path = fs_path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if self._gzip and wants_gzip and fs_path.suffix in _COMPRESSIBLE and fs_path.is_file():
            body = gzip.compress(fs_path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(fs_path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@dataclass
class StaticServer:
    site: Path
    port: int
    gzip_text: bool = True
    counter: _ByteCounter = field(default_factory=_ByteCounter)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOCAL_HOST}:{self.port}{BASE_PATH}"

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")

    @property
    def bytes_sent(self) -> int:
        """Bytes written to all connections so far (headers included)."""
        return self.counter.value

    def start(self) -> StaticServer:
        def handler(*args, **kwargs):
            return _SubPathHandler(*args, site=self.site, gzip_text=self.gzip_text,
                                   counter=self.counter, **kwargs)

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer((LOCAL_HOST, self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


@dataclass
class PageRecord:
    """Everything a page did on the network and the console, for assertions."""

    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    cancelled_prefetches: list[str] = field(default_factory=list)

    def attach(self, page) -> PageRecord:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.failures.append(f"{r.url} -> {r.status}"))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))
        return self

    def _failed(self, request) -> None:
        # A link prefetched on hover or touch (main.html's speculation rule) that the reader's navigation overtook is
        # cancelled: Chromium reports net::ERR_ABORTED for it, though nothing failed that the reader sees. It is
        # no navigation and no image, script, style or fetch: Sec-Purpose: prefetch, resource type "other".
        prefetch = request.headers.get("sec-purpose", "").startswith("prefetch") or request.resource_type == "other"
        if prefetch and not request.is_navigation_request() and "ERR_ABORTED" in (request.failure or ""):
            self.cancelled_prefetches.append(request.url)
        else:
            self.failures.append(f"{request.url} ({request.failure})")

    def foreign_requests(self) -> list[str]:
        outside = []
        for url in self.requests:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname != LOCAL_HOST:
                outside.append(url)
        return outside


class TransferMeter:
    """Bytes a page transferred, as Chromium reports them (headers + encoded body), workers included.

    A script that fetches from a Web Worker is counted too: Playwright's page events include worker
    requests, a page-level CDP session would not.
    """

    def __init__(self, page):
        self.by_url: dict[str, int] = {}
        self.types: dict[str, str] = {}  # url -> Playwright's resource type ("image", "script"…)
        self.decoded = 0
        page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        if request.url.startswith("data:"):
            return
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        self.by_url[request.url] = self.by_url.get(request.url, 0) + size
        self.types[request.url] = request.resource_type

    def snapshot(self) -> dict[str, tuple[int, str]]:
        """url -> (bytes, resource type) so far."""
        return {url: (size, self.types[url]) for url, size in self.by_url.items()}

    @property
    def total(self) -> int:
        return sum(self.by_url.values())

    def report(self) -> str:
        rows = sorted(self.by_url.items(), key=lambda kv: -kv[1])
        return "\n".join(f"{size:>8}  {urllib.parse.urlsplit(url).path}" for url, size in rows)


def wait_http_ok(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited early with code {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
            conn.request("GET", parts.path or "/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
            last = f"HTTP {status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout}s ({last})")


@contextlib.contextmanager
def mkdocs_serve(config_file: Path, port: int, site_url: str, log_file: Path) -> Iterator[subprocess.Popen]:
    """`mkdocs serve --livereload` as a subprocess; always terminated (process group) on exit."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload",
               "-a", f"{LOCAL_HOST}:{port}", "-f", str(config_file)]
    with log_file.open("wb") as log:
        proc = subprocess.Popen(command, cwd=config_file.parent, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)


# Off-screen sections (content-visibility: auto, column.css) are not rendered until they near the screen: axe
# cannot judge colours it cannot see (it files them "incomplete", silently unchecked), and a section's paint
# containment would clip what is too wide instead of letting the page scroll sideways. Checks of colours and of
# layout draw everything first; colours and sizes do not depend on it.
RENDER_EVERYTHING = "* { content-visibility: visible !important; }"


def render_everything(page) -> None:
    """Draw the whole loaded page, off-screen sections too (for axe and the overflow checks)."""
    page.add_style_tag(content=RENDER_EVERYTHING)

