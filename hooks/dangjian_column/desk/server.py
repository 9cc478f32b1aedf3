"""The desk's HTTP side: ``POST /api/v1`` on 127.0.0.1, run by ``dangjian serve`` beside MkDocs' server.

Only loopback: the desk writes into the project, so it must never listen where another PC could reach it.
CORS lets the /admin/ page (served by MkDocs on another port) call it, from loopback origins only.
"""

from __future__ import annotations

import json
import mimetypes
import re
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from dangjian_column.content.slugs import slugify
from dangjian_column.desk.admin import SLUG_PATH, admin_page, vendor_file
from dangjian_column.desk.backend import DeskBackend, DeskError

API_PATH = "/api/v1"
MAX_BODY = 50 * 1024 * 1024  # a dozen phone photos at once, base64 (decap-server's own limit)
LOOPBACK_ORIGIN = re.compile(r"^https?://(localhost|127\.0\.0\.1)(:\d+)?$")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class DeskServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, config: Callable[[str], dict], *, title: str = "党建品牌专栏",
                 host: str = "127.0.0.1", port: int = 0):
        """``config(api_url)`` makes Decap's configuration; it is called for every page load, so a
        branch or kind added while the preview runs is offered at the next reload."""
        if host not in LOOPBACK_HOSTS:
            raise ValueError(f"写稿台只在本机地址上运行（127.0.0.1），不能用 {host}。")
        self.backend = DeskBackend(root)
        self.make_config = config
        self.title = title
        super().__init__((host, port), _Handler)
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.origin + API_PATH

    @property
    def admin_url(self) -> str:
        return self.origin + "/admin/"

    def start(self) -> DeskServer:
        self._thread = threading.Thread(target=self.serve_forever, name="dangjian-desk", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread:
            self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    server: DeskServer

    def do_OPTIONS(self) -> None:  # CORS preflight of the JSON POST
        self._reply(HTTPStatus.NO_CONTENT, None)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path in ("/admin", "/"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", "/admin/")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if path == "/admin/":
            return self._send(admin_page(self.server.title).encode("utf-8"), "text/html; charset=utf-8")
        if path == SLUG_PATH:  # the 网址名 field's suggestion for a new story
            title = parse_qs(urlsplit(self.path).query).get("title", [""])[0]
            return self._send(json.dumps({"slug": slugify(title)}).encode("utf-8"), "application/json")
        if path == "/admin/config.json":
            config = self.server.make_config(self.server.url)
            return self._send(json.dumps(config, ensure_ascii=False).encode("utf-8"), "application/json")
        asset = vendor_file(path.removeprefix("/admin/")) if path.startswith("/admin/") else None
        if asset is None:
            return self._reply(HTTPStatus.NOT_FOUND, {"error": "Not found"})
        kind = "application/wasm" if asset.suffix == ".wasm" else mimetypes.guess_type(asset.name)[0]
        self._send(asset.read_bytes(), kind or "application/octet-stream")

    def _send(self, data: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        if self.path.split("?")[0] != API_PATH:
            return self._reply(HTTPStatus.NOT_FOUND, {"error": "Not found"})
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "照片太大：一次上传不能超过 50 MB。"})
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            answer = self.server.backend.handle(str(body.get("action", "")), body.get("params") or {})
        except DeskError as exc:
            return self._reply(exc.status, {"error": str(exc)})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return self._reply(HTTPStatus.BAD_REQUEST, {"error": f"请求无效：{exc}"})
        self._reply(HTTPStatus.OK, answer)

    def _reply(self, status: int, payload: object) -> None:
        data = b"" if status == HTTPStatus.NO_CONTENT else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        origin = self.headers.get("Origin", "")
        if LOOPBACK_ORIGIN.match(origin):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Vary", "Origin")
        if data:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # MkDocs' own log is what staff watch
        pass
