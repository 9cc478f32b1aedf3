"""``dangjian serve``: the live-reload preview, and beside it the 写稿台 (editing desk) on 127.0.0.1.

The preview is incremental (hooks/column_preview.py, MkDocs' side of it): after the first build a saved
story re-renders only the pages it changed. The desk listens on the port after the preview's (8001 for
8000; any free one if that is taken) and is stopped when the preview stops. ``--production`` previews
what the public site shows with MkDocs' own ``serve`` (every save a whole build), so no desk there.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from dangjian_column.commands.sitebuild import mkdocs_command, quiet_env
from dangjian_column.config.settings import load_settings
from dangjian_column.desk.admin import DESK_ENV
from dangjian_column.desk.config import desk_config
from dangjian_column.desk.server import DeskServer
from dangjian_column.problems import ProblemLog


def serve(root: Path, addr: str, *, production: bool = False) -> int:
    env = quiet_env(preview=not production)
    if production:
        command = mkdocs_command(root, "serve", "--livereload", "-a", addr)
        return subprocess.run(command, env=env, check=False).returncode
    command = preview_command(root, addr)
    host, _, port = addr.rpartition(":")
    desk = start_desk(root, host or "127.0.0.1", int(port or 8000) + 1,
                      preview_url=f"http://{addr}{preview_path(root)}")
    env[DESK_ENV] = desk.admin_url
    print(f"写稿台：{desk.admin_url}（预览网站的 /admin/ 也会转到这里）", file=sys.stderr, flush=True)
    preview = subprocess.Popen(command, env=env)
    # Closing the window or a service manager sends SIGTERM: stop MkDocs and the desk alike, never one alone.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return preview.wait()
    except KeyboardInterrupt:
        preview.terminate()
        return preview.wait()
    finally:
        desk.stop()


def preview_command(root: Path, addr: str) -> list[str]:
    """Like MkDocs itself, a separate process: this package stays free of MkDocs imports. The project's own
    hooks/column_preview.py, else the one beside this package's source (a project whose mkdocs.yml names
    this repository's hooks/column_hooks.py, as the benchmark corpora do)."""
    script = root / "hooks" / "column_preview.py"
    if not script.is_file():
        script = Path(__file__).resolve().parents[2] / "column_preview.py"
    return [sys.executable, str(script), "-f", str(root / "mkdocs.yml"), "-a", addr]


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def preview_path(root: Path) -> str:
    """The sub-path MkDocs serves the preview under: site_url's path (SITE_URL, else mkdocs.yml's default)."""
    site_url = os.environ.get("SITE_URL", "")
    if not site_url:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        found = re.search(r"^site_url:.*?(https?://[^\s\"'\]]+)", text, flags=re.MULTILINE)
        site_url = found.group(1) if found else ""
    return urlsplit(site_url).path or "/"


def start_desk(root: Path, host: str, port: int, *, preview_url: str = "") -> DeskServer:
    """Start the desk in a thread; a taken port falls back to any free one."""
    def config(api_url: str) -> dict:  # made per page load: branches or kinds added meanwhile show up
        settings = load_settings(root, ProblemLog())
        return desk_config(root, settings, api_url=api_url, site_url=preview_url)

    title = load_settings(root, ProblemLog()).title
    try:
        server = DeskServer(root, config, title=title, host=host, port=port)
    except OSError:
        server = DeskServer(root, config, title=title, host=host, port=0)
    return server.start()
