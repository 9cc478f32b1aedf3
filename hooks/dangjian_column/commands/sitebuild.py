"""Building into a fresh folder and swapping it in, so a failed build never replaces a good site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from dangjian_column.pages import reuse


def mkdocs_command(root: Path, *args: str) -> list[str]:
    # MkDocs runs as a separate process: this package stays free of MkDocs imports.
    return [sys.executable, "-m", "mkdocs", *args, "-f", str(root / "mkdocs.yml")]


def quiet_env(preview: bool | None = None) -> dict[str, str]:
    """The environment for MkDocs; ``preview`` sets DANGJIAN_PREVIEW (None: leave it as it is)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if preview is not None:
        env["DANGJIAN_PREVIEW"] = "1" if preview else "0"
    return env


def build_site(root: Path, site_dir: Path, *, strict: bool = False, preview: bool = False) -> int:
    """Build into a sibling temporary folder; swap it into ``site_dir`` only if the build succeeded."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(site_dir)
    args = ["build", "--site-dir", str(staging)] + (["--strict"] if strict else [])
    # The build may link unchanged pages from the site it replaces, and records what it wrote (pages/reuse.py).
    env = {**quiet_env(preview), reuse.REUSE_ENV: str(site_dir)}
    reuse.discard_pending(root, site_dir)
    try:
        code = subprocess.run(mkdocs_command(root, *args), env=env, check=False).returncode
        if code != 0:
            print(not_replaced_message(site_dir, strict), file=sys.stderr)
            return code
        reuse.forget(root, site_dir)  # never a record of one site beside another
        swap_in(staging, site_dir)
        reuse.commit(root, site_dir)
        return 0
    finally:
        reuse.discard_pending(root, site_dir)
        shutil.rmtree(staging, ignore_errors=True)


def not_replaced_message(site_dir: Path, strict: bool) -> str:
    """The last line after a failed build: MkDocs' own ends in English ("Aborted with ... in strict mode!")."""
    why = "--strict 下有警告或错误，" if strict else ""
    if site_dir.exists():
        return f"构建没有完成：{why}保留了上一次成功构建的 {site_dir.name}/（{site_dir}），网站上的内容没有变。按上面的提示修改后重新构建。"
    return f"构建没有完成：{why}{site_dir.name}/ 没有生成（{site_dir}）。按上面的提示修改后重新构建。"


def staging_folder(site_dir: Path) -> Path:
    """A fresh sibling of ``site_dir`` with the mode a plain ``mkdir`` would give it.

    mkdtemp makes it 0700 (private scratch space); once swapped in it is the published site, and a web
    server whose workers run as another user (nginx's www-data/nobody) would answer 403 on every URL.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    staging.chmod(0o777 & ~current_umask())
    return staging


def current_umask() -> int:
    # os.umask can only be read by setting it; the CLI is single-threaded, so nothing sees the 0 meanwhile.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def swap_in(new_dir: Path, site_dir: Path) -> None:
    """Two renames on one file system: readers see the old site or the new one, never a mix."""
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    new_dir.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
